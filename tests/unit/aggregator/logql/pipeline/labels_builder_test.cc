// Tests for aggregator/logql/pipeline/labels_builder.h.
#include "aggregator/logql/pipeline/labels_builder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace silt::logql::pipeline {
namespace {

using labels::LabelSet;
using labels::LabelView;

class LabelsBuilderTest : public ::testing::Test {
 protected:
  void Reset(std::vector<LabelView> metadata = {}) {
    for (LabelView l : stream_) views_.push_back(l);
    builder_.Reset(views_, metadata);
  }
  LabelSet stream_ = LabelSet::Of({{"app", "api"}, {"env", "prod"}});
  std::vector<LabelView> views_;
  LabelsBuilder builder_;
};

TEST_F(LabelsBuilderTest, StartsWithTheStreamLabels) {
  Reset();
  EXPECT_EQ(builder_.Build(), stream_);
  EXPECT_EQ(builder_.Get("app"), "api");
  EXPECT_EQ(builder_.Get("nope"), std::nullopt);
}

TEST_F(LabelsBuilderTest, MetadataIsAddedAndOverridesStreamLabels) {
  Reset({{"trace", "t1"}, {"env", "dev"}});
  EXPECT_EQ(builder_.Build(), LabelSet::Of({{"app", "api"}, {"env", "dev"}, {"trace", "t1"}}));
}

TEST_F(LabelsBuilderTest, SetDelKeepNamesSorted) {
  Reset();
  builder_.Set("zeta", "1");
  builder_.Set("alpha", "2");
  builder_.Set("beta", "3");
  builder_.Del("env");
  builder_.Del("missing");
  EXPECT_EQ(builder_.Build(),
            LabelSet::Of({{"alpha", "2"}, {"app", "api"}, {"beta", "3"}, {"zeta", "1"}}));
}

TEST_F(LabelsBuilderTest, EmptyValueIsPresentButNotOutput) {
  Reset();
  builder_.Set("flag", "");
  EXPECT_EQ(builder_.Get("flag"), "");
  EXPECT_EQ(builder_.Build(), stream_);
  EXPECT_TRUE(builder_.Equals(stream_));
}

TEST_F(LabelsBuilderTest, ExtractedNameClashingWithStreamGetsSuffix) {
  Reset({{"meta", "m"}});
  builder_.SetExtracted("app", "x");
  builder_.SetExtracted("meta", "y");  // metadata is not a stream label: overwritten
  EXPECT_EQ(builder_.Get("app"), "api");
  EXPECT_EQ(builder_.Get("app_extracted"), "x");
  EXPECT_EQ(builder_.Get("meta"), "y");
}

TEST_F(LabelsBuilderTest, ResetForgetsThePreviousEntry) {
  Reset();
  builder_.Set("x", "1");
  builder_.SetError(kJsonParserErr, "bad");
  EXPECT_TRUE(builder_.HasError());
  builder_.Reset(views_, {});
  EXPECT_FALSE(builder_.HasError());
  EXPECT_EQ(builder_.Build(), stream_);
}

TEST_F(LabelsBuilderTest, HashAndEqualsFollowTheOutputLabels) {
  Reset();
  builder_.Set("a", "1");
  uint64_t h1 = builder_.Hash();
  LabelSet built = builder_.Build();
  EXPECT_TRUE(builder_.Equals(built));
  builder_.Set("b", "");
  EXPECT_EQ(builder_.Hash(), h1);
  builder_.Set("a", "2");
  EXPECT_NE(builder_.Hash(), h1);
  EXPECT_FALSE(builder_.Equals(built));
}

TEST_F(LabelsBuilderTest, CopyFromCopiesEverything) {
  Reset();
  builder_.Set("x", "1");
  LabelsBuilder copy;
  copy.CopyFrom(builder_);
  EXPECT_EQ(copy.Build(), builder_.Build());
  EXPECT_TRUE(copy.StreamHas("app"));
}

TEST(SanitizeLabelNameTest, Rules) {
  std::string out;
  SanitizeLabelName("user-agent", true, &out);
  EXPECT_EQ(out, "user_agent");
  SanitizeLabelName("1st", true, &out);
  EXPECT_EQ(out, "_1st");
  SanitizeLabelName("1st", false, &out);
  EXPECT_EQ(out, "1st");
  SanitizeLabelName("h\xc3\xa9llo", true, &out);
  EXPECT_EQ(out, "h_llo");
  SanitizeLabelName("  pad  ", true, &out);
  EXPECT_EQ(out, "pad");
  SanitizeLabelName("bad\xff", true, &out);
  EXPECT_EQ(out, "bad_");
  SanitizeLabelName("", true, &out);
  EXPECT_EQ(out, "");
}

}  // namespace
}  // namespace silt::logql::pipeline
