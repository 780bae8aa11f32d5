#include "agent/app/event_logger.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "shared/log/memory_sink.h"

namespace silt::agent {
namespace {

TailerEvent Event(TailerEvent::Kind kind, std::string path, std::string message,
                  uint64_t source = 0) {
  TailerEvent event;
  event.kind = kind;
  event.path = std::move(path);
  event.message = std::move(message);
  event.source_id = source;
  return event;
}

class EventLoggerTest : public ::testing::Test {
 protected:
  EventLoggerTest() : logger_(log::LoggerOptions{log::Level::kDebug, &sink_, nullptr}) {}
  log::MemorySink sink_;
  log::Logger logger_;
  EventLogger events_{&logger_};
};

TEST_F(EventLoggerTest, EventsAreLoggedWithKindPathAndSource) {
  events_.Log({Event(TailerEvent::Kind::kRotated, "/l/a.log", "draining it", 0xabc)});
  const std::string text = sink_.Text();
  EXPECT_NE(text.find("level=info component=tailer msg=\"draining it\" event=rotated "
                      "path=/l/a.log source=0000000000000abc"),
            std::string::npos)
      << text;
}

TEST_F(EventLoggerTest, LevelsFollowTheKind) {
  events_.Log({Event(TailerEvent::Kind::kAbandoned, "/a", "dropped"),
               Event(TailerEvent::Kind::kError, "/b", "open failed")});
  const std::string text = sink_.Text();
  EXPECT_NE(text.find("level=warn component=tailer msg=dropped event=abandoned"), std::string::npos)
      << text;
  EXPECT_NE(text.find("level=error component=tailer msg=\"open failed\" event=error"),
            std::string::npos)
      << text;
}

TEST_F(EventLoggerTest, RepeatedErrorIsLoggedOnce) {
  for (int i = 0; i < 3; ++i) {
    events_.Log({Event(TailerEvent::Kind::kError, "/a", "permission denied")});
  }
  EXPECT_EQ(sink_.Lines().size(), 1u);
  EXPECT_EQ(events_.suppressed(), 2u);
}

TEST_F(EventLoggerTest, ChangedErrorIsLoggedAgain) {
  events_.Log({Event(TailerEvent::Kind::kError, "/a", "permission denied")});
  events_.Log({Event(TailerEvent::Kind::kError, "/a", "i/o error")});
  events_.Log({Event(TailerEvent::Kind::kError, "/b", "i/o error")});
  EXPECT_EQ(sink_.Lines().size(), 3u);
}

TEST_F(EventLoggerTest, OpeningThePathRearmsItsError) {
  events_.Log({Event(TailerEvent::Kind::kError, "/a", "permission denied")});
  events_.Log({Event(TailerEvent::Kind::kOpened, "/a", "tailing")});
  events_.Log({Event(TailerEvent::Kind::kError, "/a", "permission denied")});
  EXPECT_EQ(sink_.Lines().size(), 3u);
}

TEST(EventKindNameTest, EveryKindHasAName) {
  EXPECT_STREQ(EventKindName(TailerEvent::Kind::kOpened), "opened");
  EXPECT_STREQ(EventKindName(TailerEvent::Kind::kResumed), "resumed");
  EXPECT_STREQ(EventKindName(TailerEvent::Kind::kFoundRotated), "found_rotated");
  EXPECT_STREQ(EventKindName(TailerEvent::Kind::kTruncated), "truncated");
  EXPECT_STREQ(EventKindName(TailerEvent::Kind::kCopyRecovered), "copy_recovered");
  EXPECT_STREQ(EventKindName(TailerEvent::Kind::kCopySeen), "copy_seen");
  EXPECT_STREQ(EventKindName(TailerEvent::Kind::kClosed), "closed");
}

}  // namespace
}  // namespace silt::agent
