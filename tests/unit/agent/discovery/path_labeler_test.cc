#include "agent/discovery/path_labeler.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace silt::agent {
namespace {

labels::LabelSet Apply(const PathLabeler& labeler, const std::string& path,
                       size_t* rejected = nullptr) {
  labels::LabelSetBuilder builder;
  const size_t dropped = labeler.Apply(path, &builder);
  if (rejected != nullptr) *rejected = dropped;
  return builder.Build();
}

TEST(PathLabelerTest, NamedGroupsBecomeLabels) {
  Result<PathLabeler> labeler =
      PathLabeler::Create({R"(/var/log/(?P<app>[^/]+)/(?P<component>[^/.]+)\.log)"});
  ASSERT_TRUE(labeler.ok()) << labeler.status();
  EXPECT_EQ(Apply(*labeler, "/var/log/nginx/access.log"),
            labels::LabelSet::Of({{"app", "nginx"}, {"component", "access"}}));
}

TEST(PathLabelerTest, NonMatchingPathAddsNothing) {
  Result<PathLabeler> labeler = PathLabeler::Create({R"(^/srv/(?P<app>[^/]+)/)"});
  ASSERT_TRUE(labeler.ok());
  EXPECT_TRUE(Apply(*labeler, "/var/log/x.log").empty());
}

TEST(PathLabelerTest, SearchIsUnanchored) {
  Result<PathLabeler> labeler = PathLabeler::Create({R"((?P<name>[a-z]+)\.log)"});
  ASSERT_TRUE(labeler.ok());
  EXPECT_EQ(Apply(*labeler, "/var/log/app.log.1"), labels::LabelSet::Of({{"name", "app"}}));
}

TEST(PathLabelerTest, LaterRegexOverridesEarlierLabel) {
  Result<PathLabeler> labeler =
      PathLabeler::Create({R"(/(?P<app>[^/]+)/)", R"(/srv/(?P<app>[^/]+)/)"});
  ASSERT_TRUE(labeler.ok());
  EXPECT_EQ(Apply(*labeler, "/srv/shop/a.log"), labels::LabelSet::Of({{"app", "shop"}}));
}

TEST(PathLabelerTest, EmptyOrMissingGroupAddsNothing) {
  Result<PathLabeler> labeler = PathLabeler::Create({R"(/l/(?P<a>x*)(?P<b>y)?z)"});
  ASSERT_TRUE(labeler.ok());
  EXPECT_TRUE(Apply(*labeler, "/l/z").empty());
  EXPECT_EQ(Apply(*labeler, "/l/xyz"), labels::LabelSet::Of({{"a", "x"}, {"b", "y"}}));
}

TEST(PathLabelerTest, InvalidUtf8ValueIsDroppedAndCounted) {
  // \C matches any byte; character classes match only valid UTF-8 in RE2's default mode.
  Result<PathLabeler> labeler = PathLabeler::Create({R"(/l/(?P<name>\C+))"});
  ASSERT_TRUE(labeler.ok());
  size_t rejected = 0;
  EXPECT_TRUE(Apply(*labeler, "/l/bad\xff", &rejected).empty());
  EXPECT_EQ(rejected, 1u);
}

TEST(PathLabelerTest, InvalidRegexIsRejectedNamingIt) {
  Result<PathLabeler> labeler = PathLabeler::Create({"/ok/(?P<a>x)", "/(?P<b>["});
  ASSERT_FALSE(labeler.ok());
  EXPECT_NE(labeler.status().message().find("path_labels[1] \"/(?P<b>[\""), std::string::npos)
      << labeler.status();
  EXPECT_NE(labeler.status().message().find("not a valid RE2 regex"), std::string::npos);
}

TEST(PathLabelerTest, RegexWithoutNamedGroupIsRejected) {
  Result<PathLabeler> labeler = PathLabeler::Create({"/var/(log)/"});
  ASSERT_FALSE(labeler.ok());
  EXPECT_NE(labeler.status().message().find("no named group"), std::string::npos);
}

TEST(PathLabelerTest, ReservedGroupNameIsRejected) {
  Result<PathLabeler> labeler = PathLabeler::Create({"/(?P<__name__>x)"});
  ASSERT_FALSE(labeler.ok());
  EXPECT_NE(labeler.status().message().find("__name__"), std::string::npos) << labeler.status();
}

}  // namespace
}  // namespace silt::agent
