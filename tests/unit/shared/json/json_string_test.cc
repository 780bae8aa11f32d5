#include "shared/json/json_string.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <random>
#include <string>

namespace silt::json {
namespace {

std::string Json(std::string_view bytes) {
  std::string out;
  AppendJsonString(bytes, &out);
  return out;
}

// What a JSON parser reads back from our output.
std::string Parse(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  std::string_view value;
  EXPECT_EQ(parser.parse(padded).get_string().get(value), simdjson::SUCCESS) << json;
  return std::string(value);
}

TEST(JsonStringTest, PlainTextIsQuotedAsIs) {
  EXPECT_EQ(Json("GET /index.html 200"), "\"GET /index.html 200\"");
  EXPECT_EQ(Json(""), "\"\"");
}

TEST(JsonStringTest, QuoteAndBackslashAreEscaped) {
  EXPECT_EQ(Json(R"(say "hi" \o/)"), R"("say \"hi\" \\o/")");
}

TEST(JsonStringTest, ControlCharactersUseShortOrUnicodeEscapes) {
  EXPECT_EQ(Json("a\nb\rc\td\be\ff"), R"("a\nb\rc\td\be\ff")");
  EXPECT_EQ(Json(std::string("\x01\x1f", 2)), R"("\u0001\u001f")");
}

TEST(JsonStringTest, NulIsEscaped) { EXPECT_EQ(Json(std::string("a\0b", 3)), R"("a\u0000b")"); }

TEST(JsonStringTest, DeleteCharacterPassesThrough) { EXPECT_EQ(Json("\x7f"), "\"\x7f\""); }

TEST(JsonStringTest, ValidUtf8PassesThrough) {
  EXPECT_EQ(Json("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
            "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
}

TEST(JsonStringTest, LineAndParagraphSeparatorsAreEscaped) {
  EXPECT_EQ(Json("a\xe2\x80\xa8"
                 "b\xe2\x80\xa9"),
            R"("a\u2028b\u2029")");
}

TEST(JsonStringTest, EachInvalidByteBecomesOneReplacementCharacter) {
  EXPECT_EQ(Json("a\xff"
                 "b"),
            R"("a\ufffdb")");
  EXPECT_EQ(Json("\xc3"), R"("\ufffd")");                      // truncated sequence
  EXPECT_EQ(Json("\xc0\xaf"), R"("\ufffd\ufffd")");            // overlong '/'
  EXPECT_EQ(Json("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");  // surrogate
  EXPECT_EQ(Json("\xe2\x82"), R"("\ufffd\ufffd")");
}

TEST(JsonStringTest, ParsersReadBackTheSameText) {
  const std::string text = "tab\there \"q\" back\\slash \xc3\xa9 nul";
  EXPECT_EQ(Parse(Json(text)), text);
  EXPECT_EQ(Parse(Json(std::string("x\0y", 3))), std::string("x\0y", 3));
}

TEST(JsonStringTest, ArbitraryBytesAlwaysGiveValidJson) {
  std::mt19937 rng(42);
  for (int round = 0; round < 2000; ++round) {
    std::string bytes(rng() % 40, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() % 256);
    const std::string json = Json(bytes);
    simdjson::dom::parser parser;
    simdjson::padded_string padded(json);
    std::string_view value;
    ASSERT_EQ(parser.parse(padded).get_string().get(value), simdjson::SUCCESS) << "round " << round;
  }
}

}  // namespace
}  // namespace silt::json
