#include "shared/http/body_decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/unit/shared/http/compress_for_test.h"

namespace silt::http {
namespace {

using ::silt::http::testing::Compress;
using ::silt::http::testing::Gzip;
using ::silt::http::testing::Wrapper;
using ::testing::HasSubstr;

constexpr size_t kMiB = 1024 * 1024;

std::string Lines(size_t n) {
  std::string text;
  for (size_t i = 0; i < n; ++i)
    text += "level=info msg=\"request served\" i=" + std::to_string(i) + "\n";
  return text;
}

TEST(ParseContentEncodingTest, AbsentOrIdentityIsIdentity) {
  EXPECT_EQ(ParseContentEncoding(Headers{}).value(), ContentCoding::kIdentity);
  EXPECT_EQ(ParseContentEncoding(Headers{{"Content-Encoding", "identity"}}).value(),
            ContentCoding::kIdentity);
}

TEST(ParseContentEncodingTest, KnowsGzipAndDeflateInAnyCase) {
  EXPECT_EQ(ParseContentEncoding(Headers{{"content-encoding", "GZIP"}}).value(),
            ContentCoding::kGzip);
  EXPECT_EQ(ParseContentEncoding(Headers{{"Content-Encoding", "x-gzip"}}).value(),
            ContentCoding::kGzip);
  EXPECT_EQ(ParseContentEncoding(Headers{{"Content-Encoding", " deflate "}}).value(),
            ContentCoding::kDeflate);
}

TEST(ParseContentEncodingTest, UnknownCodingIsRejected) {
  auto coding = ParseContentEncoding(Headers{{"Content-Encoding", "br"}});
  ASSERT_FALSE(coding.ok());
  EXPECT_THAT(coding.status().message(), HasSubstr("\"br\""));
  EXPECT_FALSE(ParseContentEncoding(Headers{{"Content-Encoding", "snappy"}}).ok());
}

TEST(ParseContentEncodingTest, StackedCodingsAreRejected) {
  EXPECT_FALSE(ParseContentEncoding(Headers{{"Content-Encoding", "gzip, deflate"}}).ok());
  EXPECT_FALSE(
      ParseContentEncoding(Headers{{"Content-Encoding", "gzip"}, {"Content-Encoding", "gzip"}})
          .ok());
}

TEST(DecodeBodyTest, GzipRoundTrips) {
  const std::string text = Lines(5000);
  auto decoded = DecodeBody(ContentCoding::kGzip, Gzip(text), kMiB);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, text);
}

TEST(DecodeBodyTest, ConcatenatedGzipMembersAreAllRead) {
  auto decoded = DecodeBody(ContentCoding::kGzip, Gzip("first ") + Gzip("second"), kMiB);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, "first second");
}

TEST(DecodeBodyTest, DeflateAcceptsZlibAndRawStreams) {
  EXPECT_EQ(DecodeBody(ContentCoding::kDeflate, Compress("zlib", Wrapper::kZlib), kMiB).value(),
            "zlib");
  EXPECT_EQ(DecodeBody(ContentCoding::kDeflate, Compress("raw", Wrapper::kRaw), kMiB).value(),
            "raw");
}

TEST(DecodeBodyTest, OutputExactlyAtTheLimitIsAccepted) {
  const std::string text(4096, 'x');
  EXPECT_EQ(DecodeBody(ContentCoding::kGzip, Gzip(text), 4096).value(), text);
}

TEST(DecodeBodyTest, GzipBombIsStoppedAtTheLimit) {
  const std::string zeros(64 * kMiB, '\0');
  const std::string bomb = Gzip(zeros);
  ASSERT_LT(bomb.size(), 100'000u);
  auto decoded = DecodeBody(ContentCoding::kGzip, bomb, kMiB);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(decoded.status().message(), HasSubstr("1048576"));
}

TEST(DecodeBodyTest, TruncatedGzipIsCorrupt) {
  std::string gz = Gzip(Lines(100));
  gz.resize(gz.size() / 2);
  auto decoded = DecodeBody(ContentCoding::kGzip, gz, kMiB);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(decoded.status().message(), HasSubstr("corrupt or truncated"));
}

TEST(DecodeBodyTest, GarbageIsCorrupt) {
  EXPECT_EQ(DecodeBody(ContentCoding::kGzip, "not gzip at all", kMiB).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeBody(ContentCoding::kDeflate, "\xff\xff\xff\xff", kMiB).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(DecodeBodyTest, TrailingGarbageAfterGzipIsCorrupt) {
  EXPECT_FALSE(DecodeBody(ContentCoding::kGzip, Gzip("ok") + "junk", kMiB).ok());
}

TEST(DecodeBodyTest, EmptyBodyStaysEmpty) {
  EXPECT_EQ(DecodeBody(ContentCoding::kGzip, "", kMiB).value(), "");
}

TEST(DecodeBodyTest, IdentityIsCheckedAgainstTheLimit) {
  EXPECT_EQ(DecodeBody(ContentCoding::kIdentity, "abc", 3).value(), "abc");
  EXPECT_EQ(DecodeBody(ContentCoding::kIdentity, "abcd", 3).status().code(),
            StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace silt::http
