#include "tests/bench/loggen/stream_set.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace silt::loggen {
namespace {

// Distinct values of each label name over all streams.
std::map<std::string, std::set<std::string>> ValuesByLabel(const StreamSet& set) {
  std::map<std::string, std::set<std::string>> values;
  for (size_t i = 0; i < set.size(); ++i) {
    for (const auto& [name, value] : set[i].labels) values[name].insert(value);
  }
  return values;
}

TEST(StreamSetTest, EachVaryingLabelHasExactlyMinOfStreamsAndCardinalityValues) {
  struct Case {
    uint32_t streams, cardinality;
  };
  for (Case c : {Case{1, 1}, Case{10, 4}, Case{100, 10}, Case{64, 4}, Case{5, 50}, Case{1000, 10},
                 Case{37, 20}}) {
    Result<StreamSet> set = StreamSet::Create(Format::kNginx, c.streams, c.cardinality);
    ASSERT_TRUE(set.ok()) << set.status();
    ASSERT_EQ(set->size(), c.streams);
    const auto values = ValuesByLabel(*set);
    const size_t expected = std::min(c.streams, c.cardinality);
    for (const char* name : {"app", "host", "namespace"}) {
      EXPECT_EQ(values.at(name).size(), expected)
          << name << " with streams=" << c.streams << " cardinality=" << c.cardinality;
    }
    EXPECT_EQ(values.at("job").size(), 1u);
  }
}

TEST(StreamSetTest, LabelSetsAreDistinct) {
  Result<StreamSet> set = StreamSet::Create(Format::kJson, 1000, 10);
  ASSERT_TRUE(set.ok());
  std::set<std::string> seen;
  for (size_t i = 0; i < set->size(); ++i) seen.insert((*set)[i].labels_json);
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(StreamSetTest, AutoCardinalityIsSmallestCubeRoot) {
  EXPECT_EQ(StreamSet::Create(Format::kNginx, 1, 0)->cardinality(), 1u);
  EXPECT_EQ(StreamSet::Create(Format::kNginx, 8, 0)->cardinality(), 2u);
  EXPECT_EQ(StreamSet::Create(Format::kNginx, 9, 0)->cardinality(), 3u);
  EXPECT_EQ(StreamSet::Create(Format::kNginx, 1000, 0)->cardinality(), 10u);
}

TEST(StreamSetTest, TooManyStreamsForCardinalityIsRejected) {
  Result<StreamSet> set = StreamSet::Create(Format::kNginx, 28, 3);
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(set.status().message().find("at least 4"), std::string_view::npos) << set.status();
}

TEST(StreamSetTest, ZeroStreamsIsRejected) {
  EXPECT_EQ(StreamSet::Create(Format::kNginx, 0, 0).status().code(), StatusCode::kInvalidArgument);
}

TEST(StreamSetTest, HugeCardinalityDoesNotOverflow) {
  Result<StreamSet> set = StreamSet::Create(Format::kNginx, 3, 4'000'000'000u);
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(ValuesByLabel(*set).at("host").size(), 3u);
}

TEST(StreamSetTest, MixedAssignsFormatsInTurn) {
  Result<StreamSet> set = StreamSet::Create(Format::kMixed, 9, 0);
  ASSERT_TRUE(set.ok());
  for (size_t i = 0; i < set->size(); ++i) {
    EXPECT_EQ((*set)[i].format, ConcreteFormats()[i % 7]);
    EXPECT_EQ((*set)[i].job, FormatName((*set)[i].format));
  }
}

TEST(StreamSetTest, LabelsJsonIsSortedObject) {
  Result<StreamSet> set = StreamSet::Create(Format::kLogfmt, 1, 0);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ((*set)[0].labels_json,
            R"({"app":"checkout","host":"web-01","job":"logfmt","namespace":"default"})");
}

TEST(StreamSetTest, LabelValueNamesStayDistinctPastTheVocabulary) {
  std::set<std::string> hosts, apps, namespaces;
  for (uint32_t i = 0; i < 500; ++i) {
    hosts.insert(HostValue(i));
    apps.insert(AppValue(i));
    namespaces.insert(NamespaceValue(i));
  }
  EXPECT_EQ(hosts.size(), 500u);
  EXPECT_EQ(apps.size(), 500u);
  EXPECT_EQ(namespaces.size(), 500u);
  EXPECT_EQ(HostValue(0), "web-01");
  EXPECT_EQ(HostValue(8), "web-02");
  EXPECT_EQ(AppValue(16), "checkout-2");
}

}  // namespace
}  // namespace silt::loggen
