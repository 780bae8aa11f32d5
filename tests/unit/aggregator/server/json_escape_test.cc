#include "aggregator/server/json_escape.h"

#include <gtest/gtest.h>

namespace silt::server {
namespace {

std::string Json(std::string_view bytes) {
  std::string out;
  AppendJsonString(bytes, &out);
  return out;
}

TEST(JsonEscapeTest, PlainTextIsQuoted) { EXPECT_EQ(Json("GET /"), "\"GET /\""); }

TEST(JsonEscapeTest, QuotesBackslashesAndControlsAreEscaped) {
  EXPECT_EQ(Json("a\"b\\c\n\t\r"), "\"a\\\"b\\\\c\\n\\t\\r\"");
  EXPECT_EQ(Json(std::string_view("\0\x1f\x7f", 3)), "\"\\u0000\\u001f\\u007f\"");
}

TEST(JsonEscapeTest, ValidUtf8PassesThrough) { EXPECT_EQ(Json("h\xC3\xA9 \xE2\x82\xAC"), "\"h\xC3\xA9 \xE2\x82\xAC\""); }

TEST(JsonEscapeTest, LineSeparatorsAreEscaped) {
  EXPECT_EQ(Json("\xE2\x80\xA8\xE2\x80\xA9"), "\"\\u2028\\u2029\"");
}

TEST(JsonEscapeTest, EachInvalidByteBecomesOneReplacement) {
  EXPECT_EQ(Json("a\xFF\xC3z"), "\"a\\ufffd\\ufffdz\"");
}

}  // namespace
}  // namespace silt::server
