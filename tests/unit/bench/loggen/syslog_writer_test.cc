// Syslog lines checked against the header grammar of RFC 5424 (section 6) and RFC 3164 (4.1).
#include "tests/bench/loggen/syslog_writer.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <set>
#include <string>

#include "shared/time/timestamp.h"
#include "tests/bench/loggen/generator.h"
#include "tests/unit/bench/loggen/loggen_test_util.h"

namespace silt::loggen {
namespace {

using testing::MakeGenerator;
using testing::OptionsFor;
using testing::Take;

// PRI VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP STRUCTURED-DATA SP MSG
// with the field lengths of RFC 5424 (HOSTNAME 1*255, APP-NAME 1*48, PROCID 1*128, MSGID 1*32,
// printable US-ASCII) and SD = "-" or elements with PARAM-NAME="PARAM-VALUE".
constexpr char kRfc5424[] =
    R"re(^<(\d{1,3})>1 (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z) ([!-~]{1,255}) )re"
    R"re(([!-~]{1,48}) ([!-~]{1,128}) ([!-~]{1,32}) )re"
    R"re((-|(?:\[[^ \]=]+(?: [^ \]=]+="[^"\\\]]*")*\])+) (.+)$)re";

// <PRI>TIMESTAMP HOSTNAME TAG[PID]: CONTENT, TIMESTAMP as "Mmm dd hh:mm:ss" with a space-padded
// day.
constexpr char kRfc3164[] =
    R"re(^<(\d{1,3})>((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 1-3]\d )re"
    R"re(\d{2}:\d{2}:\d{2}) (\S+) ([A-Za-z0-9_.-]{1,32})(?:\[(\d+)\])?: (.+)$)re";

TEST(SyslogWriterTest, Rfc5424HeaderMatchesGrammar) {
  const RE2 re(kRfc5424);
  ASSERT_TRUE(re.ok()) << re.error();
  GeneratorOptions options = OptionsFor(Format::kSyslog5424);
  options.streams = 8;
  auto generator = MakeGenerator(options);
  std::set<std::string> msgids;
  int with_sd = 0;
  for (const auto& entry : Take(*generator, 5000)) {
    int pri;
    std::string timestamp, host, app, procid, msgid, sd, msg;
    ASSERT_TRUE(
        RE2::FullMatch(entry.line, re, &pri, &timestamp, &host, &app, &procid, &msgid, &sd, &msg))
        << entry.line;
    EXPECT_LE(pri, 191);
    Result<int64_t> parsed = time::ParseRfc3339(timestamp);
    ASSERT_TRUE(parsed.ok()) << timestamp;
    EXPECT_EQ(*parsed, entry.timestamp_ns / 1000 * 1000);  // microseconds
    EXPECT_EQ(host, entry.stream->host);
    EXPECT_TRUE(RE2::FullMatch(procid, R"(\d+)")) << procid;
    msgids.insert(msgid);
    with_sd += sd != "-" ? 1 : 0;
  }
  EXPECT_GT(msgids.size(), 3u);
  EXPECT_GT(with_sd, 500);
}

TEST(SyslogWriterTest, Rfc3164LinesMatchBsdFormat) {
  const RE2 re(kRfc3164);
  ASSERT_TRUE(re.ok()) << re.error();
  auto generator = MakeGenerator(OptionsFor(Format::kSyslog3164));
  std::set<std::string> programs;
  for (const auto& entry : Take(*generator, 5000)) {
    int pri;
    std::string timestamp, host, tag, pid, content;
    ASSERT_TRUE(RE2::FullMatch(entry.line, re, &pri, &timestamp, &host, &tag, &pid, &content))
        << entry.line;
    EXPECT_LE(pri, 191);
    EXPECT_EQ(host, entry.stream->host);
    programs.insert(tag);
  }
  // The stream's application and system programs.
  EXPECT_TRUE(programs.count("checkout"));
  EXPECT_TRUE(programs.count("sshd"));
  EXPECT_GT(programs.size(), 4u);
}

TEST(SyslogWriterTest, SeverityFollowsLevelSkew) {
  const RE2 re(R"(^<(\d+)>)");
  auto generator = MakeGenerator(OptionsFor(Format::kSyslog5424));
  int severities[8] = {};
  for (const auto& entry : Take(*generator, 10'000)) {
    int pri;
    ASSERT_TRUE(RE2::PartialMatch(entry.line, re, &pri));
    ++severities[pri % 8];
  }
  EXPECT_GT(severities[6] + severities[5], 7'000);  // info + notice
  EXPECT_GT(severities[3], 0);                      // err
  EXPECT_GT(severities[4], 0);                      // warning
  EXPECT_EQ(severities[0] + severities[1] + severities[2], 0);
}

TEST(SyslogWriterTest, LineSizeTargetIsMetOnAverage) {
  for (Format format : {Format::kSyslog5424, Format::kSyslog3164}) {
    GeneratorOptions options = OptionsFor(format);
    options.line_size = 120;
    auto generator = MakeGenerator(options);
    uint64_t total = 0;
    const auto entries = Take(*generator, 20'000);
    for (const auto& entry : entries) total += entry.line.size();
    EXPECT_NEAR(static_cast<double>(total) / entries.size(), 120, 6) << FormatName(format);
  }
}

}  // namespace
}  // namespace silt::loggen
