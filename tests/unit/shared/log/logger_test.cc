#include "shared/log/logger.h"

#include <fcntl.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "shared/log/memory_sink.h"
#include "shared/time/fake_clock.h"

namespace silt::log {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

constexpr int64_t kExample = 1'795'312'323'123'456'789;  // 2026-11-22T01:52:03.123456789Z
constexpr char kExampleTs[] = "ts=2026-11-22T01:52:03.123456789Z";

// A clock that counts how often it is read, to prove disabled levels do no work.
class CountingClock final : public time::Clock {
 public:
  int64_t WallNanos() const override {
    ++reads;
    return kExample;
  }
  int64_t MonotonicNanos() const override { return 0; }
  mutable std::atomic<int> reads{0};
};

class LoggerTest : public ::testing::Test {
 protected:
  time::FakeClock clock_{kExample};
  MemorySink sink_;
  Logger logger_{LoggerOptions{.min_level = Level::kDebug, .sink = &sink_, .clock = &clock_}};

  std::string OnlyLine() {
    std::vector<std::string> lines = sink_.Lines();
    EXPECT_EQ(lines.size(), 1u);
    return lines.empty() ? "" : lines[0];
  }
};

TEST_F(LoggerTest, WritesTheDocumentedLine) {
  const std::string path = "/var/lib/silt/wal/0000000000000001.wal";
  const int64_t bytes = 67108864;
  logger_.Info("wal", "segment rotated", {{"path", path}, {"bytes", bytes}});
  EXPECT_EQ(sink_.Text(),
            "ts=2026-11-22T01:52:03.123456789Z level=info component=wal msg=\"segment rotated\" "
            "path=/var/lib/silt/wal/0000000000000001.wal bytes=67108864\n");
}

TEST_F(LoggerTest, EachLevelWritesItsName) {
  logger_.Debug("c", "m");
  logger_.Info("c", "m");
  logger_.Warn("c", "m");
  logger_.Error("c", "m");
  logger_.Log(Level::kWarn, "c", "m");
  const std::string rest = " component=c msg=m";
  EXPECT_THAT(sink_.Lines(), ElementsAre(std::string(kExampleTs) + " level=debug" + rest,
                                         std::string(kExampleTs) + " level=info" + rest,
                                         std::string(kExampleTs) + " level=warn" + rest,
                                         std::string(kExampleTs) + " level=error" + rest,
                                         std::string(kExampleTs) + " level=warn" + rest));
}

TEST_F(LoggerTest, LinesBelowTheMinimumLevelAreDropped) {
  logger_.SetMinLevel(Level::kWarn);
  EXPECT_EQ(logger_.min_level(), Level::kWarn);
  EXPECT_FALSE(logger_.Enabled(Level::kDebug));
  EXPECT_FALSE(logger_.Enabled(Level::kInfo));
  EXPECT_TRUE(logger_.Enabled(Level::kWarn));
  EXPECT_TRUE(logger_.Enabled(Level::kError));
  logger_.Debug("c", "no");
  logger_.Info("c", "no");
  logger_.Warn("c", "yes");
  logger_.Error("c", "yes");
  ASSERT_EQ(sink_.Lines().size(), 2u);
  EXPECT_THAT(sink_.Lines()[0], testing::HasSubstr("level=warn"));
  EXPECT_THAT(sink_.Lines()[1], testing::HasSubstr("level=error"));
}

TEST(LoggerOptionsTest, DefaultMinimumLevelIsInfo) {
  MemorySink sink;
  time::FakeClock clock;
  Logger logger(LoggerOptions{.sink = &sink, .clock = &clock});
  EXPECT_EQ(logger.min_level(), Level::kInfo);
  logger.Debug("c", "dropped");
  EXPECT_THAT(sink.Lines(), IsEmpty());
}

TEST(LoggerOptionsTest, DisabledLevelsReadNoClockAndWriteNothing) {
  MemorySink sink;
  CountingClock clock;
  Logger logger(LoggerOptions{.min_level = Level::kError, .sink = &sink, .clock = &clock});
  Status status = Status::InvalidArgument("x");
  for (int i = 0; i < 100; ++i) {
    logger.Info("c", "dropped", {{"i", i}, {"err", status}, {"s", std::string(100, 'x')}});
  }
  EXPECT_EQ(clock.reads.load(), 0);
  EXPECT_THAT(sink.Lines(), IsEmpty());
  logger.Error("c", "kept");
  EXPECT_EQ(clock.reads.load(), 1);
}

TEST_F(LoggerTest, TimeComesFromTheInjectedClock) {
  logger_.Info("c", "first");
  clock_.Advance(1'500'000'000);
  logger_.Info("c", "second");
  clock_.SetWallNanos(-1);
  logger_.Info("c", "third");
  std::vector<std::string> lines = sink_.Lines();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_THAT(lines[0], StartsWith("ts=2026-11-22T01:52:03.123456789Z "));
  EXPECT_THAT(lines[1], StartsWith("ts=2026-11-22T01:52:04.623456789Z "));
  EXPECT_THAT(lines[2], StartsWith("ts=1969-12-31T23:59:59.999999999Z "));
}

TEST_F(LoggerTest, EmptyComponentIsLeftOut) {
  logger_.Info("", "started");
  EXPECT_EQ(OnlyLine(), std::string(kExampleTs) + " level=info msg=started");
}

TEST_F(LoggerTest, IntegerFieldsOfEveryWidth) {
  logger_.Info("c", "m",
               {{"i8", int8_t{-8}},
                {"u16", uint16_t{65535}},
                {"i32", -2147483647 - 1},
                {"u32", 4294967295u},
                {"min", std::numeric_limits<int64_t>::min()},
                {"max", std::numeric_limits<uint64_t>::max()},
                {"size", size_t{42}}});
  EXPECT_EQ(OnlyLine(), std::string(kExampleTs) +
                            " level=info component=c msg=m i8=-8 u16=65535 i32=-2147483648 "
                            "u32=4294967295 min=-9223372036854775808 "
                            "max=18446744073709551615 size=42");
}

TEST_F(LoggerTest, DoubleAndBoolFields) {
  logger_.Info("c", "m",
               {{"ratio", 0.1},
                {"big", 1e21},
                {"neg", -2.5},
                {"whole", 3.0},
                {"f", 0.5f},
                {"inf", std::numeric_limits<double>::infinity()},
                {"nan", std::numeric_limits<double>::quiet_NaN()},
                {"yes", true},
                {"no", false}});
  EXPECT_EQ(OnlyLine(), std::string(kExampleTs) +
                            " level=info component=c msg=m ratio=0.1 big=1e+21 neg=-2.5 whole=3 "
                            "f=0.5 inf=inf nan=nan yes=true no=false");
}

TEST_F(LoggerTest, StringFieldsOfEveryKind) {
  const std::string owned = "owned";
  const std::string_view view = "view";
  const char* pointer = "pointer";
  logger_.Info("c", "m",
               {{"a", owned},
                {"b", view},
                {"c", pointer},
                {"d", "literal"},
                {"e", std::string("temp") + "orary"},
                {"f", ""}});
  EXPECT_EQ(OnlyLine(), std::string(kExampleTs) +
                            " level=info component=c msg=m a=owned b=view c=pointer d=literal "
                            "e=temporary f=\"\"");
}

TEST_F(LoggerTest, StatusFieldsPrintTheirToString) {
  logger_.Warn(
      "config", "reload failed",
      {{"err", Status::InvalidArgument("3:7: unknown key \"prot\"")}, {"ok", Status::Ok()}});
  EXPECT_EQ(OnlyLine(), std::string(kExampleTs) +
                            " level=warn component=config msg=\"reload failed\" "
                            "err=\"InvalidArgument: 3:7: unknown key \\\"prot\\\"\" ok=OK");
}

TEST_F(LoggerTest, ValuesAreQuotedAndEscapedOnlyWhenNeeded) {
  logger_.Info(
      "tail er", "line\none",
      {{"plain", "a/b.c"}, {"eq", "k=v"}, {"ctl", "\x1b"}, {"bad", "\xff"}, {"bad key", 1}});
  EXPECT_EQ(OnlyLine(), std::string(kExampleTs) +
                            " level=info component=\"tail er\" msg=\"line\\none\" plain=a/b.c "
                            "eq=\"k=v\" ctl=\"\\u001b\" bad=\"\\xff\" bad_key=1");
}

TEST_F(LoggerTest, EveryCallWritesExactlyOneLine) {
  logger_.Info("c", "a\nb\r\nc", {{"v", "x\ny"}});
  std::string text = sink_.Text();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
  EXPECT_EQ(text.back(), '\n');
}

TEST_F(LoggerTest, SpanOverloadTakesFieldsBuiltAtRunTime) {
  std::vector<std::string> names = {"a", "b", "c"};
  std::vector<Field> fields;
  for (size_t i = 0; i < names.size(); ++i) fields.push_back({names[i], i});
  logger_.Log(Level::kInfo, "c", "m", std::span<const Field>(fields));
  EXPECT_EQ(OnlyLine(), std::string(kExampleTs) + " level=info component=c msg=m a=0 b=1 c=2");
}

TEST_F(LoggerTest, ComponentLoggerFillsInTheComponent) {
  ComponentLogger wal = logger_.WithComponent("wal");
  EXPECT_EQ(wal.component(), "wal");
  EXPECT_EQ(&wal.logger(), &logger_);
  wal.Debug("d");
  wal.Info("i", {{"n", 1}});
  wal.Warn("w");
  wal.Error("e");
  wal.Log(Level::kInfo, "l");
  const std::string ts = kExampleTs;
  EXPECT_THAT(sink_.Lines(), ElementsAre(ts + " level=debug component=wal msg=d",
                                         ts + " level=info component=wal msg=i n=1",
                                         ts + " level=warn component=wal msg=w",
                                         ts + " level=error component=wal msg=e",
                                         ts + " level=info component=wal msg=l"));
  logger_.SetMinLevel(Level::kError);
  EXPECT_FALSE(wal.Enabled(Level::kWarn));
  wal.Warn("dropped");
  EXPECT_EQ(sink_.Lines().size(), 5u);
}

TEST(LoggerFormatLineTest, FormatsWithoutASink) {
  const Field fields[] = {{"k", "v"}};
  EXPECT_EQ(Logger::FormatLine(0, Level::kError, "x", "boom", fields),
            "ts=1970-01-01T00:00:00.000000000Z level=error component=x msg=boom k=v\n");
}

TEST(LoggerConcurrencyTest, ThreadsLogWholeLines) {
  MemorySink sink;
  time::FakeClock clock(kExample);
  Logger logger(LoggerOptions{.sink = &sink, .clock = &clock});
  constexpr int kThreads = 4;
  constexpr int kLines = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&logger, t] {
      for (int i = 0; i < kLines; ++i) {
        logger.Info("worker", "tick", {{"thread", t}, {"i", i}});
        if (i == kLines / 2) logger.SetMinLevel(Level::kInfo);  // concurrent reconfiguration
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::vector<std::string> lines = sink.Lines();
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kLines));
  for (const std::string& line : lines) {
    ASSERT_THAT(line, MatchesRegex("ts=2026-11-22T01:52:03\\.123456789Z level=info "
                                   "component=worker msg=tick thread=[0-3] i=[0-9]+"));
  }
}

TEST(LoggerDefaultsTest, DefaultSinkIsStderr) {
  char path[] = "/tmp/silt_logger_test_XXXXXX";
  const int file = mkstemp(path);
  ASSERT_GE(file, 0);
  const int saved_stderr = dup(2);
  ASSERT_GE(saved_stderr, 0);
  ASSERT_EQ(dup2(file, 2), 2);
  {
    time::FakeClock clock(0);
    Logger logger(LoggerOptions{.clock = &clock});
    logger.Error("main", "to stderr");
  }
  dup2(saved_stderr, 2);
  close(saved_stderr);
  char buffer[256];
  const ssize_t n = pread(file, buffer, sizeof(buffer), 0);
  close(file);
  unlink(path);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buffer, static_cast<size_t>(n)),
            "ts=1970-01-01T00:00:00.000000000Z level=error component=main msg=\"to stderr\"\n");
}

TEST(LoggerDefaultsTest, DefaultClockIsTheSystemClock) {
  MemorySink sink;
  Logger logger(LoggerOptions{.sink = &sink});
  logger.Info("c", "now");
  ASSERT_EQ(sink.Lines().size(), 1u);
  // A 20xx or 21xx date, i.e. the real wall clock rather than the epoch.
  EXPECT_THAT(sink.Lines()[0],
              MatchesRegex("ts=2[01][0-9][0-9]-.* level=info component=c msg=now"));
}

}  // namespace
}  // namespace silt::log
