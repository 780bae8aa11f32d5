#include "tests/bench/loggen/format.h"

#include <gtest/gtest.h>

namespace silt::loggen {
namespace {

TEST(FormatTest, NamesRoundTrip) {
  for (Format format : ConcreteFormats()) {
    Result<Format> parsed = ParseFormat(FormatName(format));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, format);
  }
  EXPECT_EQ(*ParseFormat("mixed"), Format::kMixed);
}

TEST(FormatTest, AliasesAreAccepted) {
  EXPECT_EQ(*ParseFormat("access"), Format::kNginx);
  EXPECT_EQ(*ParseFormat("rfc5424"), Format::kSyslog5424);
  EXPECT_EQ(*ParseFormat("rfc3164"), Format::kSyslog3164);
}

TEST(FormatTest, UnknownNameIsRejectedWithTheList) {
  Result<Format> parsed = ParseFormat("Nginx");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(parsed.status().message().find("\"Nginx\""), std::string_view::npos);
  EXPECT_NE(parsed.status().message().find("syslog5424"), std::string_view::npos);
}

TEST(FormatTest, SevenConcreteFormats) { EXPECT_EQ(ConcreteFormats().size(), 7u); }

}  // namespace
}  // namespace silt::loggen
