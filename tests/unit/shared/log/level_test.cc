#include "shared/log/level.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace silt::log {
namespace {

using ::testing::HasSubstr;

TEST(LevelTest, NamesAreLowercaseWords) {
  EXPECT_EQ(LevelName(Level::kDebug), "debug");
  EXPECT_EQ(LevelName(Level::kInfo), "info");
  EXPECT_EQ(LevelName(Level::kWarn), "warn");
  EXPECT_EQ(LevelName(Level::kError), "error");
}

TEST(LevelTest, LevelsAreOrderedByImportance) {
  EXPECT_LT(static_cast<int>(Level::kDebug), static_cast<int>(Level::kInfo));
  EXPECT_LT(static_cast<int>(Level::kInfo), static_cast<int>(Level::kWarn));
  EXPECT_LT(static_cast<int>(Level::kWarn), static_cast<int>(Level::kError));
}

TEST(ParseLevelTest, AcceptsNamesInAnyCase) {
  struct Case {
    const char* text;
    Level level;
  };
  const Case cases[] = {
      {"debug", Level::kDebug},  {"DEBUG", Level::kDebug},  {"Info", Level::kInfo},
      {"info", Level::kInfo},    {"warn", Level::kWarn},    {"WARN", Level::kWarn},
      {"warning", Level::kWarn}, {"Warning", Level::kWarn}, {"error", Level::kError},
      {"ERROR", Level::kError},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    Result<Level> got = ParseLevel(c.text);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, c.level);
  }
}

TEST(ParseLevelTest, RoundTripsEveryName) {
  for (Level level : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    EXPECT_EQ(ParseLevel(LevelName(level)).value(), level);
  }
}

TEST(ParseLevelTest, RejectsUnknownNamesQuotingThem) {
  for (const char* text : {"", "verbose", "trace", "fatal", " info", "info ", "inf", "err", "3"}) {
    SCOPED_TRACE(text);
    Result<Level> got = ParseLevel(text);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
    const std::string message(got.status().message());
    EXPECT_THAT(message, HasSubstr("invalid log level \"" + std::string(text) + "\""));
    EXPECT_THAT(message, HasSubstr("expected debug, info, warn or error"));
  }
}

}  // namespace
}  // namespace silt::log
