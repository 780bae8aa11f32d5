// Access log lines checked against the combined log format as a regex, plus their realism.
#include "tests/bench/loggen/access_log_writer.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <map>
#include <set>
#include <string>

#include "tests/bench/loggen/generator.h"
#include "tests/unit/bench/loggen/loggen_test_util.h"

namespace silt::loggen {
namespace {

using testing::MakeGenerator;
using testing::OptionsFor;
using testing::Take;

// nginx's "combined" log_format / Apache's "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\"
// \"%{User-agent}i\"".
constexpr char kCombined[] =
    R"re(^(\S+) (\S+) (\S+) \[(\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4})\] )re"
    R"re("([A-Z]+) (\S+) (HTTP/\d\.\d)" (\d{3}) (\d+|-) "([^"]*)" "([^"]*)"$)re";

struct Parsed {
  std::string ip, ident, user, time, method, path, version, status, bytes, referer, agent;
};

bool Parse(const RE2& re, const std::string& line, Parsed* p) {
  return RE2::FullMatch(line, re, &p->ip, &p->ident, &p->user, &p->time, &p->method, &p->path,
                        &p->version, &p->status, &p->bytes, &p->referer, &p->agent);
}

TEST(AccessLogWriterTest, NginxLinesMatchCombinedFormat) {
  const RE2 re(kCombined);
  ASSERT_TRUE(re.ok());
  auto generator = MakeGenerator(OptionsFor(Format::kNginx));
  std::map<char, int> status_classes;
  std::set<std::string> ips, paths, methods;
  for (const auto& entry : Take(*generator, 5000)) {
    Parsed p;
    ASSERT_TRUE(Parse(re, entry.line, &p)) << entry.line;
    EXPECT_EQ(p.ident, "-");
    EXPECT_NE(p.bytes, "-") << "nginx writes 0 for an empty body";
    EXPECT_EQ(p.path[0], '/');
    ++status_classes[p.status[0]];
    ips.insert(p.ip);
    paths.insert(p.path);
    methods.insert(p.method);
  }
  // Realistic mix: mostly 2xx, some 3xx and 4xx, a few 5xx.
  EXPECT_GT(status_classes['2'], 4000);
  EXPECT_GT(status_classes['3'], 50);
  EXPECT_GT(status_classes['4'], 50);
  EXPECT_GT(status_classes['5'], 5);
  EXPECT_LT(status_classes['5'], 150);
  // Varied clients and paths with ids, not a constant line.
  EXPECT_GT(ips.size(), 1000u);
  EXPECT_GT(paths.size(), 1000u);
  EXPECT_GE(methods.size(), 5u);
}

TEST(AccessLogWriterTest, ApacheWritesDashForEmptyBody) {
  const RE2 re(kCombined);
  auto generator = MakeGenerator(OptionsFor(Format::kApache));
  int dashes = 0;
  for (const auto& entry : Take(*generator, 3000)) {
    Parsed p;
    ASSERT_TRUE(Parse(re, entry.line, &p)) << entry.line;
    if (p.status == "304" || p.status == "204") {
      EXPECT_EQ(p.bytes, "-") << entry.line;
    }
    dashes += p.bytes == "-" ? 1 : 0;
  }
  EXPECT_GT(dashes, 0);
}

TEST(AccessLogWriterTest, TimeFieldFollowsSimulatedClock) {
  GeneratorOptions options = OptionsFor(Format::kNginx);
  options.step_ns = 1'000'000'000;
  options.jitter_ns = 0;
  auto generator = MakeGenerator(options);
  const auto entries = Take(*generator, 3);
  EXPECT_NE(entries[0].line.find("[01/Jan/2024:00:00:00 +0000]"), std::string::npos);
  EXPECT_NE(entries[2].line.find("[01/Jan/2024:00:00:02 +0000]"), std::string::npos);
}

TEST(AccessLogWriterTest, LineSizeTargetIsMetOnAverage) {
  const RE2 re(kCombined);
  for (uint32_t target : {120u, 200u, 400u}) {
    GeneratorOptions options = OptionsFor(Format::kNginx);
    options.line_size = target;
    auto generator = MakeGenerator(options);
    uint64_t total = 0;
    const auto entries = Take(*generator, 20'000);
    for (const auto& entry : entries) {
      Parsed p;
      ASSERT_TRUE(Parse(re, entry.line, &p)) << entry.line;
      total += entry.line.size();
    }
    const double average = static_cast<double>(total) / entries.size();
    EXPECT_NEAR(average, target, target * 0.05) << "target " << target;
  }
}

TEST(AccessLogWriterTest, RareTokenIsAQueryParameter) {
  GeneratorOptions options = OptionsFor(Format::kNginx);
  options.rare_token_rate = 1;
  options.rare_token = "zz_rare";
  const RE2 re(kCombined);
  auto generator = MakeGenerator(options);
  for (const auto& entry : Take(*generator, 200)) {
    Parsed p;
    ASSERT_TRUE(Parse(re, entry.line, &p)) << entry.line;
    EXPECT_TRUE(RE2::PartialMatch(p.path, R"([?&]q=zz_rare(&|$))")) << p.path;
  }
}

}  // namespace
}  // namespace silt::loggen
