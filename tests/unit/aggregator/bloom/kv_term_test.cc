#include "aggregator/bloom/kv_term.h"

#include <gtest/gtest.h>

#include <string>

namespace silt::bloom {
namespace {

std::string Term(std::string_view name, std::string_view value) {
  std::string out;
  return MakeKeyValueTerm(name, value, &out) ? out : "<none>";
}

TEST(KvTermTest, TermIsNormalizedNameEqualsValue) {
  EXPECT_EQ(Term("level", "error"), "level=error");
}

TEST(KvTermTest, NonAlphanumericNameBytesAreDropped) {
  EXPECT_EQ(Term("pod_uuid", "x"), "poduuid=x");
  EXPECT_EQ(Term(" pod.uuid ", "x"), "poduuid=x");
  EXPECT_EQ(Term("_1abc", "x"), "1abc=x");
  EXPECT_EQ(Term("caf\xC3\xA9", "x"), "caf=x");
}

TEST(KvTermTest, LokiSanitizedNamesMatchTheirRawKeys) {
  // Loki names {"pod":{"uuid":..}} pod_uuid, "1abc" _1abc, "a-b" a_b: the same terms.
  EXPECT_EQ(Term("pod_uuid", "v"), Term("poduuid", "v"));
  EXPECT_EQ(Term("_1abc", "v"), Term("1abc", "v"));
  EXPECT_EQ(Term("a_b", "v"), Term("a-b", "v"));
}

TEST(KvTermTest, ValueIsKeptAsIs) { EXPECT_EQ(Term("msg", "a b=c \"d\""), "msg=a b=c \"d\""); }

TEST(KvTermTest, EmptyValueOrNameGetsNoTerm) {
  EXPECT_EQ(Term("level", ""), "<none>");
  EXPECT_EQ(Term("_", "x"), "<none>");
  EXPECT_EQ(Term("", "x"), "<none>");
}

TEST(KvTermTest, NormalizedNameIsTheNameItselfWhenAlreadyNormal) {
  std::string scratch = "untouched";
  std::string_view name = "level2";
  std::string_view normalized = NormalizedName(name, &scratch);
  EXPECT_EQ(normalized, "level2");
  EXPECT_EQ(normalized.data(), name.data());  // no copy
  EXPECT_EQ(NormalizedName("http.status_code", &scratch), "httpstatuscode");
  EXPECT_EQ(NormalizedName("_", &scratch), "");
  EXPECT_EQ(NormalizedName("", &scratch), "");
}

TEST(KvTermTest, TokensStandForAsciiValuesWithFourDigitsOrMore) {
  EXPECT_TRUE(TokensMayStandForValue("1234"));
  EXPECT_TRUE(TokensMayStandForValue("2024-01-01T00:00:00Z"));
  EXPECT_TRUE(TokensMayStandForValue("4bf92f3577b34da6a3ce929d0e0e4736"));
  EXPECT_TRUE(TokensMayStandForValue("12.34ms"));
  EXPECT_FALSE(TokensMayStandForValue("123"));  // status codes keep their term
  EXPECT_FALSE(TokensMayStandForValue("error"));
  EXPECT_FALSE(TokensMayStandForValue(""));
  EXPECT_FALSE(
      TokensMayStandForValue("12\xC3\xA9"
                             "34"));  // not ASCII
}

}  // namespace
}  // namespace silt::bloom
