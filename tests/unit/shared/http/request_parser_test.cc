#include "shared/http/request_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/shared/http/compress_for_test.h"

namespace silt::http {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Phase = RequestParser::Phase;

struct Outcome {
  std::vector<ParsedRequest> requests;
  bool failed = false;
  HttpError error;
  Phase final_phase = Phase::kIdle;
};

// Feeds `input` in pieces of `step` bytes (0: all at once), taking every completed request.
Outcome ParseAll(std::string_view input, size_t step = 0, RequestLimits limits = {}) {
  RequestParser parser(limits);
  Outcome outcome;
  std::string_view rest = input;
  while (!rest.empty()) {
    const size_t n = step == 0 ? rest.size() : std::min(step, rest.size());
    std::string_view piece = rest.substr(0, n);
    while (!piece.empty()) {
      const size_t used = parser.Feed(piece);
      piece.remove_prefix(used);
      rest.remove_prefix(used);
      if (parser.phase() == Phase::kFailed) {
        outcome.failed = true;
        outcome.error = parser.error();
        outcome.final_phase = Phase::kFailed;
        return outcome;
      }
      if (parser.phase() == Phase::kComplete)
        outcome.requests.push_back(parser.TakeRequest());
      else if (used == 0)
        break;
    }
  }
  outcome.final_phase = parser.phase();
  return outcome;
}

TEST(RequestParserTest, ParsesAGetRequest) {
  Outcome out = ParseAll(
      "GET /loki/api/v1/query?query=%7Bjob%3D%22x%22%7D&limit=5 HTTP/1.1\r\n"
      "Host: localhost:3100\r\nUser-Agent: test\r\nX-Scope-OrgID: tenant-a\r\n\r\n");
  ASSERT_FALSE(out.failed) << out.error.reason;
  ASSERT_EQ(out.requests.size(), 1u);
  const Request& r = out.requests[0].request;
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/loki/api/v1/query?query=%7Bjob%3D%22x%22%7D&limit=5");
  EXPECT_EQ(r.raw_path, "/loki/api/v1/query");
  EXPECT_EQ(r.path, "/loki/api/v1/query");
  EXPECT_EQ(r.query, "query=%7Bjob%3D%22x%22%7D&limit=5");
  EXPECT_EQ(r.Header("x-scope-orgid"), "tenant-a");
  EXPECT_EQ(r.http_minor, 1);
  EXPECT_TRUE(out.requests[0].keep_alive);
  EXPECT_FALSE(out.requests[0].upgrade);
  EXPECT_EQ(out.final_phase, Phase::kIdle);
}

TEST(RequestParserTest, PathIsPercentDecodedButRawPathIsNot) {
  Outcome out = ParseAll("GET /label/a%2Fb+c/values#frag HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(out.requests.size(), 1u);
  EXPECT_EQ(out.requests[0].request.path, "/label/a/b+c/values");
  EXPECT_EQ(out.requests[0].request.raw_path, "/label/a%2Fb+c/values");
  EXPECT_EQ(out.requests[0].request.query, "");
}

TEST(RequestParserTest, AbsoluteFormTargetIsSplit) {
  Outcome out = ParseAll("GET http://example.com:3100/ready?x=1 HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(out.requests.size(), 1u) << out.error.reason;
  EXPECT_EQ(out.requests[0].request.path, "/ready");
  EXPECT_EQ(out.requests[0].request.query, "x=1");
}

TEST(RequestParserTest, ByteByByteGivesTheSameRequest) {
  const std::string input =
      "POST /loki/api/v1/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 11\r\n\r\n{\"a\":\"b\"}\r\n";
  Outcome whole = ParseAll(input);
  Outcome bytes = ParseAll(input, 1);
  ASSERT_EQ(whole.requests.size(), 1u);
  ASSERT_EQ(bytes.requests.size(), 1u);
  EXPECT_EQ(bytes.requests[0].request.body, "{\"a\":\"b\"}\r\n");
  EXPECT_EQ(bytes.requests[0].request.body, whole.requests[0].request.body);
  EXPECT_EQ(bytes.requests[0].request.headers.entries().size(), 3u);
  EXPECT_EQ(bytes.requests[0].request.Header("content-type"), "application/json");
}

TEST(RequestParserTest, FeedStopsAtTheEndOfEachPipelinedRequest) {
  const std::string first = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string second = "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc";
  const std::string third = "GET /c HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string input = first + second + third;
  RequestParser parser(RequestLimits{});
  EXPECT_EQ(parser.Feed(input), first.size());
  ASSERT_EQ(parser.phase(), Phase::kComplete);
  EXPECT_EQ(parser.Feed(input.substr(first.size())), 0u) << "no progress before TakeRequest";
  EXPECT_EQ(parser.TakeRequest().request.path, "/a");
  EXPECT_EQ(parser.Feed(input.substr(first.size())), second.size());
  EXPECT_EQ(parser.TakeRequest().request.body, "abc");
  EXPECT_EQ(parser.Feed(input.substr(first.size() + second.size())), third.size());
  EXPECT_EQ(parser.TakeRequest().request.path, "/c");
}

TEST(RequestParserTest, RepeatedHeadersAreKept) {
  Outcome out = ParseAll("GET / HTTP/1.1\r\nHost: x\r\nAccept: a\r\naccept: b\r\n\r\n");
  ASSERT_EQ(out.requests.size(), 1u);
  EXPECT_THAT(out.requests[0].request.headers.GetAll("Accept"), ElementsAre("a", "b"));
}

TEST(RequestParserTest, HeaderValueWhitespaceIsTrimmed) {
  Outcome out = ParseAll("GET / HTTP/1.1\r\nHost: x\r\nX-A:   padded  \t\r\nX-B:\r\n\r\n");
  ASSERT_EQ(out.requests.size(), 1u);
  EXPECT_EQ(out.requests[0].request.Header("X-A"), "padded");
  EXPECT_EQ(out.requests[0].request.Header("X-B"), "");
}

TEST(RequestParserTest, ChunkedBodyIsJoined) {
  Outcome out = ParseAll(
      "POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n",
      3);
  ASSERT_FALSE(out.failed) << out.error.reason;
  ASSERT_EQ(out.requests.size(), 1u);
  EXPECT_EQ(out.requests[0].request.body, "hello, world");
}

TEST(RequestParserTest, BadChunkSizeIs400) {
  Outcome out = ParseAll(
      "POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
  ASSERT_TRUE(out.failed);
  EXPECT_EQ(out.error.status, 400);
  EXPECT_THAT(out.error.reason, HasSubstr("chunk size"));
}

TEST(RequestParserTest, ContentLengthWithChunkedIsRejected) {
  Outcome out = ParseAll(
      "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
      "0\r\n\r\n");
  ASSERT_TRUE(out.failed);
  EXPECT_EQ(out.error.status, 400);
}

TEST(RequestParserTest, GarbageIs400) {
  Outcome out = ParseAll("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03");
  ASSERT_TRUE(out.failed);
  EXPECT_EQ(out.error.status, 400);
  EXPECT_THAT(out.error.reason, HasSubstr("malformed request"));
}

TEST(RequestParserTest, MissingHostInHttp11Is400) {
  Outcome out = ParseAll("GET / HTTP/1.1\r\n\r\n");
  ASSERT_TRUE(out.failed);
  EXPECT_EQ(out.error.status, 400);
  EXPECT_THAT(out.error.reason, HasSubstr("Host"));
}

TEST(RequestParserTest, Http10NeedsNoHostAndDoesNotKeepAlive) {
  Outcome out = ParseAll("GET / HTTP/1.0\r\n\r\n");
  ASSERT_EQ(out.requests.size(), 1u);
  EXPECT_FALSE(out.requests[0].keep_alive);
  Outcome kept = ParseAll("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  ASSERT_EQ(kept.requests.size(), 1u);
  EXPECT_TRUE(kept.requests[0].keep_alive);
}

TEST(RequestParserTest, ConnectionCloseEndsKeepAlive) {
  Outcome out = ParseAll("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_EQ(out.requests.size(), 1u);
  EXPECT_FALSE(out.requests[0].keep_alive);
}

TEST(RequestParserTest, DuplicateHostIs400) {
  Outcome out = ParseAll("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
  ASSERT_TRUE(out.failed);
  EXPECT_EQ(out.error.status, 400);
}

TEST(RequestParserTest, OtherHttpMajorVersionIs505) {
  Outcome out = ParseAll("GET / HTTP/2.0\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(out.failed);
  EXPECT_EQ(out.error.status, 505);
}

TEST(RequestParserTest, OversizedHeadersAre431) {
  RequestLimits limits;
  limits.max_header_bytes = 1024;
  Outcome out = ParseAll(
      "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n", 0, limits);
  ASSERT_TRUE(out.failed);
  EXPECT_EQ(out.error.status, 431);
  EXPECT_THAT(out.error.reason, HasSubstr("1024"));
}

TEST(RequestParserTest, ManySmallHeadersAddUpTo431) {
  RequestLimits limits;
  limits.max_header_bytes = 1024;
  std::string input = "GET / HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 80; ++i) input += "X-" + std::to_string(i) + ": vvvvvvvvvv\r\n";
  Outcome out = ParseAll(input + "\r\n", 0, limits);
  ASSERT_TRUE(out.failed);
  EXPECT_EQ(out.error.status, 431);
}

TEST(RequestParserTest, TooManyHeaderLinesAre431) {
  RequestLimits limits;
  limits.max_headers = 3;
  Outcome out = ParseAll("GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", 0, limits);
  ASSERT_TRUE(out.failed);
  EXPECT_EQ(out.error.status, 431);
  EXPECT_THAT(out.error.reason, HasSubstr("more than 3 header lines"));
}

TEST(RequestParserTest, OverlongTargetIs414) {
  RequestLimits limits;
  limits.max_header_bytes = 1024;
  Outcome out =
      ParseAll("GET /" + std::string(1100, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n", 7, limits);
  ASSERT_TRUE(out.failed);
  EXPECT_EQ(out.error.status, 414);
}

TEST(RequestParserTest, DeclaredBodyOverLimitIs413BeforeTheBodyArrives) {
  RequestLimits limits;
  limits.max_body_bytes = 100;
  RequestParser parser(limits);
  parser.Feed("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n");
  ASSERT_EQ(parser.phase(), Phase::kFailed);
  EXPECT_EQ(parser.error().status, 413);
}

TEST(RequestParserTest, ChunkedBodyOverLimitIs413) {
  RequestLimits limits;
  limits.max_body_bytes = 8;
  Outcome out = ParseAll(
      "POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
      "chunked\r\n\r\n5\r\nhello\r\n5\r\nworld\r\n"
      "0\r\n\r\n",
      0, limits);
  ASSERT_TRUE(out.failed);
  EXPECT_EQ(out.error.status, 413);
}

TEST(RequestParserTest, GzipBodyIsDecompressedAndEncodingHeaderRemoved) {
  const std::string body = testing::Gzip("{\"streams\":[]}");
  Outcome out = ParseAll(
      "POST /loki/api/v1/push HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body);
  ASSERT_FALSE(out.failed) << out.error.reason;
  ASSERT_EQ(out.requests.size(), 1u);
  EXPECT_EQ(out.requests[0].request.body, "{\"streams\":[]}");
  EXPECT_FALSE(out.requests[0].request.headers.Has("Content-Encoding"));
  EXPECT_FALSE(out.requests[0].request.headers.Has("Content-Length"));
}

TEST(RequestParserTest, GzipBombIs413) {
  RequestLimits limits;
  limits.max_decoded_body_bytes = 1024 * 1024;
  const std::string body = testing::Gzip(std::string(8 * 1024 * 1024, 'a'));
  Outcome out = ParseAll(
      "POST /p HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\n"
      "Content-Length: " +
          std::to_string(body.size()) + "\r\n\r\n" + body,
      0, limits);
  ASSERT_TRUE(out.failed);
  EXPECT_EQ(out.error.status, 413);
  EXPECT_THAT(out.error.reason, HasSubstr("decompresses to more than"));
}

TEST(RequestParserTest, CorruptGzipIs400) {
  Outcome out = ParseAll(
      "POST /p HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\nabcd");
  ASSERT_TRUE(out.failed);
  EXPECT_EQ(out.error.status, 400);
}

TEST(RequestParserTest, UnsupportedEncodingIs415AtTheHeaders) {
  RequestParser parser(RequestLimits{});
  parser.Feed("POST /p HTTP/1.1\r\nHost: x\r\nContent-Encoding: br\r\nContent-Length: 10\r\n\r\n");
  ASSERT_EQ(parser.phase(), Phase::kFailed);
  EXPECT_EQ(parser.error().status, 415);
  EXPECT_THAT(parser.error().reason, HasSubstr("\"br\""));
}

TEST(RequestParserTest, ExpectContinueIsSignalledOnceBeforeTheBody) {
  RequestParser parser(RequestLimits{});
  parser.Feed("POST /p HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
  EXPECT_EQ(parser.phase(), Phase::kBody);
  EXPECT_TRUE(parser.TakeContinueRequest());
  EXPECT_FALSE(parser.TakeContinueRequest());
  parser.Feed("abc");
  ASSERT_EQ(parser.phase(), Phase::kComplete);
  EXPECT_EQ(parser.TakeRequest().request.body, "abc");
}

TEST(RequestParserTest, ExpectContinueWithBodyAlreadySentNeedsNoInterim) {
  RequestParser parser(RequestLimits{});
  parser.Feed("POST /p HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nab");
  EXPECT_FALSE(parser.TakeContinueRequest());
}

TEST(RequestParserTest, UnknownExpectationIs417) {
  Outcome out = ParseAll("POST /p HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n\r\n");
  ASSERT_TRUE(out.failed);
  EXPECT_EQ(out.error.status, 417);
}

TEST(RequestParserTest, ExpectIsIgnoredForHttp10) {
  Outcome out = ParseAll("GET / HTTP/1.0\r\nExpect: teapot\r\n\r\n");
  EXPECT_FALSE(out.failed);
  EXPECT_EQ(out.requests.size(), 1u);
}

TEST(RequestParserTest, BadEscapeInPathIs400) {
  Outcome out = ParseAll("GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(out.failed);
  EXPECT_EQ(out.error.status, 400);
  EXPECT_THAT(out.error.reason, HasSubstr("bad request path"));
}

TEST(RequestParserTest, UpgradeRequestIsAnsweredAsHttpAndParsingGoesOn) {
  Outcome out = ParseAll(
      "GET /a HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
      "GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_FALSE(out.failed) << out.error.reason;
  ASSERT_EQ(out.requests.size(), 2u);
  EXPECT_TRUE(out.requests[0].upgrade);
  EXPECT_EQ(out.requests[1].request.path, "/b");
  EXPECT_FALSE(out.requests[1].upgrade);
}

TEST(RequestParserTest, LeadingEmptyLinesBetweenRequestsAreSkipped) {
  Outcome out =
      ParseAll("GET /a HTTP/1.1\r\nHost: x\r\n\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(out.requests.size(), 2u);
  EXPECT_EQ(out.requests[1].request.path, "/b");
}

TEST(RequestParserTest, PartialRequestWaitsInTheRightPhase) {
  RequestParser parser(RequestLimits{});
  EXPECT_EQ(parser.phase(), Phase::kIdle);
  parser.Feed("GET / HT");
  EXPECT_EQ(parser.phase(), Phase::kHeaders);
  parser.Feed("TP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\na");
  EXPECT_EQ(parser.phase(), Phase::kBody);
}

TEST(RequestParserTest, FailedParserConsumesNothingMore) {
  RequestParser parser(RequestLimits{});
  parser.Feed("BAD\x01 / HTTP/1.1\r\n");
  ASSERT_EQ(parser.phase(), Phase::kFailed);
  EXPECT_EQ(parser.Feed("GET / HTTP/1.1\r\n\r\n"), 0u);
  EXPECT_EQ(parser.phase(), Phase::kFailed);
}

}  // namespace
}  // namespace silt::http
