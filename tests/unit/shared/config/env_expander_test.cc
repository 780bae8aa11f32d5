#include "shared/config/env_expander.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

namespace silt::config {
namespace {

using ::testing::HasSubstr;

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::string Expand(std::string_view text) {
  Result<std::string> r = ExpandEnv(text, FakeEnv({{"HOST", "db1"}, {"EMPTY", ""}}));
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : "<error>";
}

TEST(EnvExpanderTest, ReplacesReferences) {
  EXPECT_EQ(Expand("${HOST}"), "db1");
  EXPECT_EQ(Expand("http://${HOST}:${PORT:-3100}/x"), "http://db1:3100/x");
  EXPECT_EQ(Expand("no references"), "no references");
}

TEST(EnvExpanderTest, DefaultAppliesWhenUnsetOrEmpty) {
  EXPECT_EQ(Expand("${MISSING:-fallback}"), "fallback");
  EXPECT_EQ(Expand("${EMPTY:-fallback}"), "fallback");
  EXPECT_EQ(Expand("${HOST:-fallback}"), "db1");
  EXPECT_EQ(Expand("${MISSING:-}"), "");
  EXPECT_EQ(Expand("${MISSING:-a:b-c}"), "a:b-c");
}

TEST(EnvExpanderTest, SetButEmptyWithoutDefaultIsEmpty) { EXPECT_EQ(Expand("[${EMPTY}]"), "[]"); }

TEST(EnvExpanderTest, DoubleDollarIsALiteralDollar) {
  EXPECT_EQ(Expand("$${HOST}"), "${HOST}");
  EXPECT_EQ(Expand("cost: $$5"), "cost: $5");
}

TEST(EnvExpanderTest, OtherDollarsAreKept) {
  EXPECT_EQ(Expand("^.*error$"), "^.*error$");
  EXPECT_EQ(Expand("$1 $HOST $"), "$1 $HOST $");
}

TEST(EnvExpanderTest, ValuesAreNotExpandedTwice) {
  Result<std::string> r = ExpandEnv("${A}", FakeEnv({{"A", "${B}"}, {"B", "x"}}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "${B}");
}

TEST(EnvExpanderTest, UnsetVariableWithoutDefaultIsAnError) {
  Result<std::string> r = ExpandEnv("Bearer ${TOKEN}", FakeEnv({}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(),
            "environment variable \"TOKEN\" is not set; set it, or give a default with "
            "\"${TOKEN:-default}\"");
}

TEST(EnvExpanderTest, UnterminatedReferenceIsAnError) {
  Result<std::string> r = ExpandEnv("${HOST", FakeEnv({{"HOST", "x"}}));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("unterminated \"${\" in \"${HOST\""));
}

TEST(EnvExpanderTest, InvalidNameIsAnError) {
  for (const char* bad : {"${1X}", "${}", "${A-B}", "${:-x}"}) {
    Result<std::string> r = ExpandEnv(bad, FakeEnv({}));
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_THAT(r.status().message(), HasSubstr("invalid environment variable name")) << bad;
  }
}

TEST(EnvExpanderTest, ProcessEnvReadsTheEnvironment) {
  EnvLookup env = ProcessEnv();
  EXPECT_EQ(env("SILT_CONFIG_TEST_SURELY_UNSET_VARIABLE"), std::nullopt);
  const char* path = std::getenv("PATH");
  ASSERT_NE(path, nullptr);
  EXPECT_EQ(env("PATH"), std::string(path));
}

}  // namespace
}  // namespace silt::config
