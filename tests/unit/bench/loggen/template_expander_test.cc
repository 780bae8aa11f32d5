#include "tests/bench/loggen/template_expander.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <string>

namespace silt::loggen {
namespace {

std::string Expand(Rng& rng, std::string_view text) {
  TextBuffer out;
  ExpandTemplate(rng, text, &out);
  return std::string(out.view());
}

TEST(TemplateExpanderTest, TextWithoutPlaceholdersIsCopied) {
  Rng rng(1);
  EXPECT_EQ(Expand(rng, "health check passed"), "health check passed");
  EXPECT_EQ(Expand(rng, ""), "");
}

TEST(TemplateExpanderTest, FillsEveryPlaceholder) {
  Rng rng(2);
  for (int i = 0; i < 1000; ++i) {
    const std::string text =
        Expand(rng,
               "id={id} n={n} ms={ms} pct={pct} w={word} u={user} h={hex} uuid={uuid} "
               "ip={ip} port={port}");
    ASSERT_TRUE(RE2::FullMatch(
        text,
        R"(id=\d+ n=\d{1,2} ms=\d+ pct=\d{1,3} w=[a-z]+ u=[a-z]+ h=[0-9a-f]{8} )"
        R"(uuid=[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12} )"
        R"(ip=(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|2001:db8:[0-9a-f]{4}:[0-9a-f]{4}::[0-9a-f]{4}) )"
        R"(port=\d{4,5})"))
        << text;
  }
}

TEST(TemplateExpanderTest, UnclosedBraceIsLiteral) {
  Rng rng(3);
  EXPECT_EQ(Expand(rng, "a {b"), "a {b");
}

TEST(TemplateExpanderTest, ClientIpsAreMostlyIpv4WithSomeIpv6) {
  Rng rng(4);
  int v6 = 0;
  for (int i = 0; i < 10'000; ++i) {
    TextBuffer out;
    AppendClientIp(rng, &out);
    v6 += out.view().find(':') != std::string_view::npos ? 1 : 0;
  }
  EXPECT_GT(v6, 100);
  EXPECT_LT(v6, 1'500);
}

TEST(TemplateExpanderTest, RandomHexHasRequestedLength) {
  Rng rng(5);
  TextBuffer out;
  AppendRandomHex(rng, 32, &out);
  EXPECT_TRUE(RE2::FullMatch(std::string(out.view()), "[0-9a-f]{32}"));
  out.Clear();
  AppendRandomHex(rng, 5, &out);
  EXPECT_EQ(out.size(), 5u);
}

}  // namespace
}  // namespace silt::loggen
