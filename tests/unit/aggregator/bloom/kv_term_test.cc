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

}  // namespace
}  // namespace silt::bloom
