#include "shared/http/response.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace silt::http {
namespace {

TEST(ResponseTest, JsonSetsContentType) {
  Response r = Response::Json(200, "{\"status\":\"success\"}");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.Get("Content-Type"), "application/json");
  EXPECT_EQ(r.body, "{\"status\":\"success\"}");
}

TEST(ResponseTest, TextSetsUtf8ContentType) {
  Response r = Response::Text(200, "ready");
  EXPECT_EQ(r.headers.Get("content-type"), "text/plain; charset=utf-8");
}

TEST(ResponseTest, ErrorIsPlainTextWithNewline) {
  Response r = Response::Error(400, "parse error at line 1, col 5");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, "parse error at line 1, col 5\n");
  EXPECT_EQ(r.headers.Get("Content-Type"), "text/plain; charset=utf-8");
}

TEST(ResponseTest, FromStatusMapsCodes) {
  EXPECT_EQ(Response::FromStatus(Status::InvalidArgument("bad step")).status, 400);
  EXPECT_EQ(Response::FromStatus(Status::InvalidArgument("bad step")).body, "bad step\n");
  EXPECT_EQ(Response::FromStatus(Status::Unauthenticated("x")).status, 401);
  EXPECT_EQ(Response::FromStatus(Status::PermissionDenied("x")).status, 403);
  EXPECT_EQ(Response::FromStatus(Status::NotFound("x")).status, 404);
  EXPECT_EQ(Response::FromStatus(Status::ResourceExhausted("x")).status, 429);
  EXPECT_EQ(Response::FromStatus(Status::Unavailable("x")).status, 503);
  EXPECT_EQ(Response::FromStatus(Status::IOError("x")).status, 500);
  EXPECT_EQ(Response::FromStatus(Status::Corruption("x")).status, 500);
}

TEST(ResponseTest, ReasonPhrases) {
  EXPECT_EQ(ReasonPhrase(200), "OK");
  EXPECT_EQ(ReasonPhrase(404), "Not Found");
  EXPECT_EQ(ReasonPhrase(431), "Request Header Fields Too Large");
  EXPECT_EQ(ReasonPhrase(599), "Unknown");
}

TEST(ResponseTest, BodylessStatuses) {
  EXPECT_TRUE(StatusForbidsBody(100));
  EXPECT_TRUE(StatusForbidsBody(204));
  EXPECT_TRUE(StatusForbidsBody(304));
  EXPECT_FALSE(StatusForbidsBody(200));
  EXPECT_FALSE(StatusForbidsBody(404));
}

}  // namespace
}  // namespace silt::http
