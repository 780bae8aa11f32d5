#include "shared/http/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace silt::http {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

Handler Noop() {
  return [](Request, Responder) {};
}

TEST(RouterTest, LiteralRouteMatches) {
  Router router;
  ASSERT_TRUE(router.Add("GET", "/ready", Noop()).ok());
  RouteMatch match = router.Find("GET", "/ready");
  EXPECT_EQ(match.outcome, RouteMatch::Outcome::kFound);
  EXPECT_EQ(match.pattern, "/ready");
  EXPECT_NE(match.handler, nullptr);
  EXPECT_TRUE(match.params.empty());
}

TEST(RouterTest, NamedSegmentIsCapturedDecoded) {
  Router router;
  ASSERT_TRUE(router.Add("GET", "/loki/api/v1/label/{name}/values", Noop()).ok());
  RouteMatch match = router.Find("GET", "/loki/api/v1/label/service%2Fname/values");
  ASSERT_EQ(match.outcome, RouteMatch::Outcome::kFound);
  EXPECT_EQ(match.pattern, "/loki/api/v1/label/{name}/values");
  EXPECT_THAT(match.params, ElementsAre(Pair("name", "service/name")));
}

TEST(RouterTest, SeveralParametersInOrder) {
  Router router;
  ASSERT_TRUE(router.Add("DELETE", "/api/v1/rules/{namespace}/{group}", Noop()).ok());
  RouteMatch match = router.Find("DELETE", "/api/v1/rules/ns1/g%20one");
  ASSERT_EQ(match.outcome, RouteMatch::Outcome::kFound);
  EXPECT_THAT(match.params, ElementsAre(Pair("namespace", "ns1"), Pair("group", "g one")));
}

TEST(RouterTest, ParameterDoesNotMatchEmptySegment) {
  Router router;
  ASSERT_TRUE(router.Add("GET", "/label/{name}/values", Noop()).ok());
  EXPECT_EQ(router.Find("GET", "/label//values").outcome, RouteMatch::Outcome::kNotFound);
}

TEST(RouterTest, UnknownPathIs404) {
  Router router;
  ASSERT_TRUE(router.Add("GET", "/ready", Noop()).ok());
  EXPECT_EQ(router.Find("GET", "/nope").outcome, RouteMatch::Outcome::kNotFound);
  EXPECT_EQ(router.Find("GET", "/ready/").outcome, RouteMatch::Outcome::kNotFound);
  EXPECT_EQ(router.Find("GET", "*").outcome, RouteMatch::Outcome::kNotFound);
}

TEST(RouterTest, WrongMethodIs405WithAllow) {
  Router router;
  ASSERT_TRUE(router.Add("POST", "/loki/api/v1/push", Noop()).ok());
  ASSERT_TRUE(router.Add("GET", "/loki/api/v1/query_range", Noop()).ok());
  ASSERT_TRUE(router.Add("POST", "/loki/api/v1/query_range", Noop()).ok());
  RouteMatch push = router.Find("GET", "/loki/api/v1/push");
  EXPECT_EQ(push.outcome, RouteMatch::Outcome::kMethodNotAllowed);
  EXPECT_EQ(push.allow, "POST");
  RouteMatch range = router.Find("DELETE", "/loki/api/v1/query_range");
  EXPECT_EQ(range.outcome, RouteMatch::Outcome::kMethodNotAllowed);
  EXPECT_EQ(range.allow, "GET, HEAD, POST");
}

TEST(RouterTest, HeadFallsBackToGet) {
  Router router;
  int which = 0;
  ASSERT_TRUE(router.Add("GET", "/metrics", [&](Request, Responder) { which = 1; }).ok());
  RouteMatch match = router.Find("HEAD", "/metrics");
  ASSERT_EQ(match.outcome, RouteMatch::Outcome::kFound);
  (*match.handler)(Request{}, Responder());
  EXPECT_EQ(which, 1);
}

TEST(RouterTest, ExplicitHeadRouteWins) {
  Router router;
  int which = 0;
  ASSERT_TRUE(router.Add("GET", "/x", [&](Request, Responder) { which = 1; }).ok());
  ASSERT_TRUE(router.Add("HEAD", "/x", [&](Request, Responder) { which = 2; }).ok());
  (*router.Find("HEAD", "/x").handler)(Request{}, Responder());
  EXPECT_EQ(which, 2);
}

TEST(RouterTest, LiteralSegmentBeatsParameter) {
  Router router;
  int which = 0;
  ASSERT_TRUE(router.Add("GET", "/a/{x}/c", [&](Request, Responder) { which = 1; }).ok());
  ASSERT_TRUE(router.Add("GET", "/a/b/{y}", [&](Request, Responder) { which = 2; }).ok());
  RouteMatch match = router.Find("GET", "/a/b/c");
  ASSERT_EQ(match.outcome, RouteMatch::Outcome::kFound);
  EXPECT_EQ(match.pattern, "/a/b/{y}");
  EXPECT_EQ(router.Find("GET", "/a/z/c").pattern, "/a/{x}/c");
}

TEST(RouterTest, RootPathMatchesRootPattern) {
  Router router;
  ASSERT_TRUE(router.Add("GET", "/", Noop()).ok());
  EXPECT_EQ(router.Find("GET", "/").outcome, RouteMatch::Outcome::kFound);
  EXPECT_EQ(router.Find("GET", "/x").outcome, RouteMatch::Outcome::kNotFound);
}

TEST(RouterTest, BadEscapeInPathIsReported) {
  Router router;
  ASSERT_TRUE(router.Add("GET", "/label/{name}", Noop()).ok());
  RouteMatch match = router.Find("GET", "/label/%zz");
  EXPECT_EQ(match.outcome, RouteMatch::Outcome::kBadPath);
  EXPECT_THAT(match.error, HasSubstr("%zz"));
}

TEST(RouterTest, InvalidPatternsAreRejected) {
  Router router;
  EXPECT_THAT(router.Add("GET", "ready", Noop()).message(), HasSubstr("starts with '/'"));
  EXPECT_THAT(router.Add("GET", "/a/{1x}", Noop()).message(), HasSubstr("{1x}"));
  EXPECT_FALSE(router.Add("GET", "/a/x{y}", Noop()).ok());
  EXPECT_FALSE(router.Add("GET", "/a/{y", Noop()).ok());
  EXPECT_THAT(router.Add("GET", "/a/{y}/{y}", Noop()).message(), HasSubstr("appears twice"));
  EXPECT_FALSE(router.Add("BAD METHOD", "/a", Noop()).ok());
  EXPECT_THAT(router.Add("GET", "/a", Handler()).message(), HasSubstr("handler is empty"));
  EXPECT_EQ(router.size(), 0u);
}

TEST(RouterTest, SameShapeTwiceIsAConflict) {
  Router router;
  ASSERT_TRUE(router.Add("GET", "/label/{name}/values", Noop()).ok());
  Status again = router.Add("GET", "/label/{other}/values", Noop());
  EXPECT_EQ(again.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(again.message(), HasSubstr("conflicts with route \"GET /label/{name}/values\""));
  EXPECT_TRUE(router.Add("POST", "/label/{other}/values", Noop()).ok());
}

}  // namespace
}  // namespace silt::http
