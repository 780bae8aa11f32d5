#include "shared/http/query_params.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace silt::http {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(QueryParamsTest, ParsesDecodedPairs) {
  auto params = QueryParams::Parse("a=1&b=x%20y&query=%7Bjob%3D%22x%22%7D");
  ASSERT_TRUE(params.ok()) << params.status();
  EXPECT_EQ(params->Get("a"), "1");
  EXPECT_EQ(params->Get("b"), "x y");
  EXPECT_EQ(params->Get("query"), "{job=\"x\"}");
  EXPECT_FALSE(params->Get("c").has_value());
  EXPECT_EQ(params->GetOr("c", "dflt"), "dflt");
}

TEST(QueryParamsTest, RepeatedKeysAreKeptInOrder) {
  auto params = QueryParams::Parse("match%5B%5D=%7Ba%3D%221%22%7D&limit=5&match[]={b=\"2\"}");
  ASSERT_TRUE(params.ok()) << params.status();
  EXPECT_THAT(params->GetAll("match[]"), ElementsAre("{a=\"1\"}", "{b=\"2\"}"));
  EXPECT_EQ(params->size(), 3u);
}

TEST(QueryParamsTest, PlusIsASpace) {
  EXPECT_EQ(QueryParams::Parse("q=a+b%2Bc").value().Get("q"), "a b+c");
}

TEST(QueryParamsTest, KeyWithoutEqualsHasEmptyValue) {
  auto params = QueryParams::Parse("direction&x=");
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(params->Get("direction"), "");
  EXPECT_EQ(params->Get("x"), "");
}

TEST(QueryParamsTest, EmptyPairsAreSkipped) {
  auto params = QueryParams::Parse("&a=1&&b=2&");
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(params->size(), 2u);
  EXPECT_TRUE(QueryParams::Parse("").value().empty());
}

TEST(QueryParamsTest, ValueMayContainEquals) {
  EXPECT_EQ(QueryParams::Parse("q=a=b").value().Get("q"), "a=b");
}

TEST(QueryParamsTest, BadEscapeInValueNamesTheParameter) {
  auto params = QueryParams::Parse("limit=10&query=%zz");
  ASSERT_FALSE(params.ok());
  EXPECT_EQ(params.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(params.status().message(), HasSubstr("parameter \"query\""));
  EXPECT_THAT(params.status().message(), HasSubstr("%zz"));
}

TEST(QueryParamsTest, BadEscapeInKeyIsRejected) {
  auto params = QueryParams::Parse("a%=1");
  ASSERT_FALSE(params.ok());
  EXPECT_THAT(params.status().message(), HasSubstr("parameter name"));
}

TEST(QueryParamsTest, FormBodyComesBeforeQueryForPost) {
  Request request;
  request.method = "POST";
  request.query = "limit=5&query=fromquery";
  request.headers.Add("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  request.body = "query=%7Bjob%3D%22x%22%7D+%7C%3D+%22err%22&step=15";
  auto params = QueryParams::FromRequest(request);
  ASSERT_TRUE(params.ok()) << params.status();
  EXPECT_THAT(params->GetAll("query"), ElementsAre("{job=\"x\"} |= \"err\"", "fromquery"));
  EXPECT_EQ(params->Get("step"), "15");
  EXPECT_EQ(params->Get("limit"), "5");
}

TEST(QueryParamsTest, FormBodyIgnoredForGetAndOtherContentTypes) {
  Request get;
  get.method = "GET";
  get.headers.Add("Content-Type", "application/x-www-form-urlencoded");
  get.body = "a=1";
  EXPECT_TRUE(QueryParams::FromRequest(get).value().empty());
  Request json;
  json.method = "POST";
  json.headers.Add("Content-Type", "application/json");
  json.body = "a=1";
  EXPECT_TRUE(QueryParams::FromRequest(json).value().empty());
}

TEST(QueryParamsTest, BadFormBodySaysSo) {
  Request request;
  request.method = "POST";
  request.headers.Add("Content-Type", "application/x-www-form-urlencoded");
  request.body = "q=%4";
  auto params = QueryParams::FromRequest(request);
  ASSERT_FALSE(params.ok());
  EXPECT_THAT(params.status().message(), HasSubstr("form body"));
}

TEST(QueryParamsTest, EncodeRoundTrips) {
  QueryParams params;
  params.Add("query", "{job=\"x\"} |= \"a b\"");
  params.Add("match[]", "{a=\"1\"}");
  params.Add("match[]", "+&=");
  auto parsed = QueryParams::Parse(params.Encode());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->pairs(), params.pairs());
}

}  // namespace
}  // namespace silt::http
