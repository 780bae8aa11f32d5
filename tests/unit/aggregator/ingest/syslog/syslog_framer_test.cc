#include "aggregator/ingest/syslog/syslog_framer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace silt::ingest {
namespace {

class Collector : public SyslogFramer::Handler {
 public:
  void OnMessage(std::string_view message, Framing framing) override {
    messages.emplace_back(message);
    framings.push_back(framing);
  }
  void OnOversize(size_t size, Framing framing) override {
    oversize.push_back(size);
    oversize_framings.push_back(framing);
  }
  std::vector<std::string> messages;
  std::vector<Framing> framings;
  std::vector<size_t> oversize;
  std::vector<Framing> oversize_framings;
};

struct FramerTest : ::testing::Test {
  // Feeds `stream` in pieces of `piece` bytes (0: all at once).
  Status Feed(std::string_view stream, size_t piece = 0) {
    if (piece == 0) return framer.Feed(stream);
    for (size_t i = 0; i < stream.size(); i += piece) {
      Status s = framer.Feed(stream.substr(i, piece));
      if (!s.ok()) return s;
    }
    return Status::Ok();
  }
  Collector out;
  SyslogFramer framer{100, &out};
};

TEST_F(FramerTest, OctetCountedFrames) {
  ASSERT_TRUE(Feed("5 hello11 hello world").ok());
  EXPECT_EQ(out.messages, (std::vector<std::string>{"hello", "hello world"}));
  EXPECT_EQ(out.framings[0], Framing::kOctetCounting);
}

TEST_F(FramerTest, OctetCountedMessageMayContainLineFeeds) {
  ASSERT_TRUE(Feed("6 a\nb\nc\n3 xyz").ok());
  EXPECT_EQ(out.messages, (std::vector<std::string>{"a\nb\nc\n", "xyz"}));
}

TEST_F(FramerTest, LineFeedFrames) {
  ASSERT_TRUE(Feed("<13>one\n<13>two\r\n").ok());
  EXPECT_EQ(out.messages, (std::vector<std::string>{"<13>one", "<13>two\r"}));
  EXPECT_EQ(out.framings[1], Framing::kLineFeed);
}

TEST_F(FramerTest, FramingIsDetectedPerFrame) {
  ASSERT_TRUE(Feed("3 abc<13>line\n4 defg").ok());
  EXPECT_EQ(out.messages, (std::vector<std::string>{"abc", "<13>line", "defg"}));
}

TEST_F(FramerTest, DigitsWithoutSpaceStartALine) {
  ASSERT_TRUE(Feed("2026-12-06 text\n123\n").ok());
  EXPECT_EQ(out.messages, (std::vector<std::string>{"2026-12-06 text", "123"}));
}

TEST_F(FramerTest, ByteByByteEqualsAllAtOnce) {
  const std::string stream = "5 hello<13>x\n12 <13>1 - - - \n\n3 abc";
  ASSERT_TRUE(Feed(stream, 1).ok());
  Collector all;
  SyslogFramer other(100, &all);
  ASSERT_TRUE(other.Feed(stream).ok());
  EXPECT_EQ(out.messages, all.messages);
  EXPECT_EQ(out.messages.size(), 4u);
}

TEST_F(FramerTest, EmptyLinesAreIgnored) {
  ASSERT_TRUE(Feed("\n\n<13>x\n\n").ok());
  EXPECT_EQ(out.messages, (std::vector<std::string>{"<13>x"}));
}

TEST_F(FramerTest, OversizeOctetCountIsSkippedAndTheNextFrameKept) {
  ASSERT_TRUE(Feed("101 " + std::string(101, 'x') + "2 ok", 7).ok());
  EXPECT_EQ(out.messages, (std::vector<std::string>{"ok"}));
  EXPECT_EQ(out.oversize, (std::vector<size_t>{101}));
  EXPECT_EQ(out.oversize_framings[0], Framing::kOctetCounting);
}

TEST_F(FramerTest, MessageOfExactlyTheLimitIsKept) {
  ASSERT_TRUE(Feed("100 " + std::string(100, 'x') + std::string(100, 'y') + "\n").ok());
  ASSERT_EQ(out.messages.size(), 2u);
  EXPECT_TRUE(out.oversize.empty());
}

TEST_F(FramerTest, OversizeLineIsSkippedUpToItsLineFeed) {
  ASSERT_TRUE(Feed("a\n" + std::string(150, 'x') + "\nb\n", 9).ok());
  EXPECT_EQ(out.messages, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(out.oversize, (std::vector<size_t>{150}));
  EXPECT_EQ(out.oversize_framings[0], Framing::kLineFeed);
}

TEST_F(FramerTest, TenDigitOctetCountLosesFraming) {
  Status s = Feed("3 abc1234567890 rest");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("1234567890"), std::string::npos) << s;
  EXPECT_EQ(out.messages, (std::vector<std::string>{"abc"}));
  EXPECT_TRUE(framer.Feed("3 xyz").ok());  // ignored after the failure
  EXPECT_EQ(out.messages.size(), 1u);
}

TEST_F(FramerTest, NineDigitOctetCountIsSkippedNotFatal) {
  ASSERT_TRUE(Feed("999999999 abc").ok());
  EXPECT_EQ(out.oversize, (std::vector<size_t>{999999999}));
  EXPECT_TRUE(out.messages.empty());
}

TEST_F(FramerTest, FinishStoresTrailingPartialLine) {
  ASSERT_TRUE(Feed("<13>a\n<13>partial").ok());
  framer.Finish();
  EXPECT_EQ(out.messages, (std::vector<std::string>{"<13>a", "<13>partial"}));
  EXPECT_EQ(out.framings[1], Framing::kLineFeed);
}

TEST_F(FramerTest, FinishStoresTrailingShortOctetFrame) {
  ASSERT_TRUE(Feed("10 abc").ok());
  framer.Finish();
  EXPECT_EQ(out.messages, (std::vector<std::string>{"abc"}));
  EXPECT_EQ(out.framings[0], Framing::kOctetCounting);
}

TEST_F(FramerTest, FinishWithNothingBufferedStoresNothing) {
  ASSERT_TRUE(Feed("3 abc").ok());
  framer.Finish();
  framer.Finish();
  EXPECT_EQ(out.messages.size(), 1u);
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST_F(FramerTest, FinishReportsAnOversizeLineInProgress) {
  ASSERT_TRUE(Feed(std::string(150, 'x')).ok());
  framer.Finish();
  EXPECT_TRUE(out.messages.empty());
  EXPECT_EQ(out.oversize, (std::vector<size_t>{150}));
}

TEST_F(FramerTest, NulBytesArePartOfTheMessage) {
  const std::string stream("3 a\0b<13>c\0d\n", 13);
  ASSERT_TRUE(Feed(stream).ok());
  ASSERT_EQ(out.messages.size(), 2u);
  EXPECT_EQ(out.messages[0], std::string("a\0b", 3));
  EXPECT_EQ(out.messages[1], std::string("<13>c\0d", 7));
}

}  // namespace
}  // namespace silt::ingest
