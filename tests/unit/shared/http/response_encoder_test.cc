#include "shared/http/response_encoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace silt::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ResponseEncoderTest, WritesStatusHeadersAndLength) {
  Response r = Response::Json(200, "{}");
  r.headers.Add("X-Request-Id", "42");
  HeadOptions options;
  options.content_length = 2;
  options.date = "Sun, 06 Nov 1994 08:49:37 GMT";
  std::string out;
  AppendResponseHead(r, options, &out);
  EXPECT_EQ(out,
            "HTTP/1.1 200 OK\r\n"
            "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "Content-Type: application/json\r\n"
            "X-Request-Id: 42\r\n"
            "Content-Length: 2\r\n"
            "\r\n");
}

TEST(ResponseEncoderTest, ServerOwnedHeadersFromTheHandlerAreDropped) {
  Response r;
  r.status = 204;
  r.headers.Add("Content-Length", "99");
  r.headers.Add("transfer-encoding", "gzip");
  r.headers.Add("Connection", "upgrade");
  r.headers.Add("Date", "yesterday");
  HeadOptions options;
  options.framing = BodyFraming::kNone;
  std::string out;
  AppendResponseHead(r, options, &out);
  EXPECT_EQ(out, "HTTP/1.1 204 No Content\r\n\r\n");
}

TEST(ResponseEncoderTest, ChunkedAndClose) {
  Response r;
  HeadOptions options;
  options.framing = BodyFraming::kChunked;
  options.close = true;
  options.keep_alive = true;  // ignored with close
  std::string out;
  AppendResponseHead(r, options, &out);
  EXPECT_EQ(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
}

TEST(ResponseEncoderTest, KeepAliveForHttp10) {
  Response r;
  HeadOptions options;
  options.framing = BodyFraming::kUntilClose;
  options.keep_alive = true;
  std::string out;
  AppendResponseHead(r, options, &out);
  EXPECT_EQ(out, "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\n\r\n");
}

TEST(ResponseEncoderTest, HeaderInjectionIsNeutralised) {
  Response r;
  r.headers.Add("X-Echo", "a\r\nSet-Cookie: evil=1");
  r.headers.Add("Bad Name", "dropped");
  HeadOptions options;
  std::string out;
  AppendResponseHead(r, options, &out);
  EXPECT_THAT(out, HasSubstr("X-Echo: a  Set-Cookie: evil=1\r\n"));
  EXPECT_THAT(out, Not(HasSubstr("\r\nSet-Cookie")));
  EXPECT_THAT(out, Not(HasSubstr("dropped")));
}

TEST(ResponseEncoderTest, ChunkSizeIsHex) {
  std::string out;
  AppendChunkSize(26, &out);
  AppendChunkSize(1, &out);
  AppendChunkSize(4096, &out);
  EXPECT_EQ(out, "1a\r\n1\r\n1000\r\n");
}

TEST(ResponseEncoderTest, HttpDateMatchesRfcExample) {
  EXPECT_EQ(FormatHttpDate(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(FormatHttpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(FormatHttpDate(951782400), "Tue, 29 Feb 2000 00:00:00 GMT");
}

}  // namespace
}  // namespace silt::http
