#include "aggregator/ingest/push/truncated_json.h"

#include <gtest/gtest.h>

#include <string>

namespace silt::ingest {
namespace {

TEST(TruncatedJsonTest, BalancedTextIsLeftAlone) {
  std::string text = R"({"a":[1,{"b":"]"}]})";
  ClosedJson closed = CloseTruncatedJson(&text, 2);
  EXPECT_FALSE(closed.closed);
  EXPECT_EQ(closed.trailing_at, std::string::npos);
  EXPECT_EQ(text, R"({"a":[1,{"b":"]"}]})");
}

TEST(TruncatedJsonTest, OpenBracketsAreClosedInOrder) {
  std::string text = R"({"a":[1,{"b":"x\"}"},)";
  ClosedJson closed = CloseTruncatedJson(&text, 2);
  EXPECT_TRUE(closed.closed);
  EXPECT_EQ(closed.original_size, 21u);
  EXPECT_EQ(closed.cut_element, 5u);  // the '[' at depth 2
  EXPECT_EQ(text, R"({"a":[1,{"b":"x\"}"}]})");
}

TEST(TruncatedJsonTest, CutInsideAStringIsLeftAlone) {
  std::string text = R"({"a":"unfinished)";
  EXPECT_FALSE(CloseTruncatedJson(&text, 1).closed);
  EXPECT_EQ(text, R"({"a":"unfinished)");
}

TEST(TruncatedJsonTest, TrailingBytesAfterTheRootAreCut) {
  std::string text = "[1,2] \n tail";
  ClosedJson closed = CloseTruncatedJson(&text, 1);
  EXPECT_FALSE(closed.closed);
  EXPECT_EQ(closed.trailing_at, 8u);
  EXPECT_EQ(text, "[1,2]");
  std::string spaces = "[1] \n";
  EXPECT_EQ(CloseTruncatedJson(&spaces, 1).trailing_at, std::string::npos);
  EXPECT_EQ(spaces, "[1] \n");
}

TEST(TruncatedJsonTest, MoreClosersThanOpenersIsLeftAlone) {
  std::string text = "]]";
  EXPECT_FALSE(CloseTruncatedJson(&text, 1).closed);
  EXPECT_EQ(text, "]]");
}

}  // namespace
}  // namespace silt::ingest
