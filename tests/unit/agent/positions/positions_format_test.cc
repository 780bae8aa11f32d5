#include "agent/positions/positions_format.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "shared/hash/xxh3.h"

namespace silt::agent {
namespace {

Position Sample(uint64_t id, std::string path) {
  Position p;
  p.source_id = id;
  p.identity = FileIdentity{2049, 1000 + id, Fingerprint{0x0123456789abcdefULL + id, 1024}};
  p.path = std::move(path);
  p.offset = 5000 + id;
  p.last_seen_ns = 1700000000000000000 + static_cast<int64_t>(id);
  p.mtime_ns = -5;  // before 1970: still a valid timestamp
  return p;
}

// Replaces the trailer so the checksum and count fit `body` (every byte before "end ").
std::string Seal(const std::string& body, size_t count) {
  char checksum[17];
  std::snprintf(checksum, sizeof(checksum), "%016llx",
                static_cast<unsigned long long>(hash::Xxh3(body)));
  return body + "end " + std::to_string(count) + " " + checksum + "\n";
}

std::string Body(const std::string& encoded) { return encoded.substr(0, encoded.rfind("end ")); }

TEST(PositionsFormatTest, RoundTripsEntries) {
  std::vector<Position> in = {Sample(1, "/var/log/app.log"), Sample(0xfedcba9876543210ULL, "/x")};
  Result<std::vector<Position>> out = DecodePositions(EncodePositions(in));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, in);
}

TEST(PositionsFormatTest, RoundTripsAnEmptyTable) {
  const std::string encoded = EncodePositions({});
  EXPECT_EQ(encoded.substr(0, 17), "silt-positions 1\n");
  Result<std::vector<Position>> out = DecodePositions(encoded);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(out->empty());
}

TEST(PositionsFormatTest, RoundTripsAwkwardPaths) {
  std::vector<Position> in = {Sample(1, "/logs/with space/a%b.log"), Sample(2, "/n\nl\t\r.log"),
                              Sample(3, "/utf8/\xc3\xa9t\xc3\xa9/\xff.log"), Sample(4, "")};
  const std::string encoded = EncodePositions(in);
  EXPECT_NE(encoded.find("/logs/with%20space/a%25b.log"), std::string::npos);
  Result<std::vector<Position>> out = DecodePositions(encoded);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, in);
}

// The worked example in agent/positions/README.md, byte for byte.
TEST(PositionsFormatTest, ReadmeWorkedExampleIsPinned) {
  Position p;
  p.source_id = 0x8f3a2c1d4e5b6a79ULL;
  p.identity = FileIdentity{2049, 131074, Fingerprint{0x1f2e3d4c5b6a7988ULL, 1024}};
  p.path = "/var/log/app.log";
  p.offset = 52431;
  p.last_seen_ns = 1718000000000000000;
  p.mtime_ns = 1717999990000000000;
  Position q = p;
  q.source_id = 0x04c1e2f3a4b5c6d7ULL;
  q.identity = FileIdentity{2049, 131070, Fingerprint{0x77aa55cc33ee11ffULL, 1024}};
  q.path = "/var/log/my app.log";
  q.offset = 1048576;
  q.mtime_ns = 1717990000000000000;
  const std::string expected =
      "silt-positions 1\n"
      "# source_id device inode fingerprint fingerprint_bytes offset last_seen_ns mtime_ns path\n"
      "04c1e2f3a4b5c6d7 2049 131070 77aa55cc33ee11ff 1024 1048576 1718000000000000000 "
      "1717990000000000000 /var/log/my%20app.log\n"
      "8f3a2c1d4e5b6a79 2049 131074 1f2e3d4c5b6a7988 1024 52431 1718000000000000000 "
      "1717999990000000000 /var/log/app.log\n"
      "end 2 9e6043a010aea2f4\n";
  EXPECT_EQ(EncodePositions({q, p}), expected);
  Result<std::vector<Position>> decoded = DecodePositions(expected);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, (std::vector<Position>{q, p}));
}

TEST(PositionsFormatTest, WrongMagicIsCorruption) {
  Result<std::vector<Position>> out = DecodePositions(Seal("not-positions 1\n", 0));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kCorruption);
  EXPECT_NE(out.status().message().find("line 1"), std::string::npos);
}

TEST(PositionsFormatTest, OtherVersionIsCorruption) {
  Result<std::vector<Position>> out = DecodePositions(Seal("silt-positions 2\n", 0));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kCorruption);
}

TEST(PositionsFormatTest, ChecksumMismatchIsCorruption) {
  std::string encoded = EncodePositions({Sample(1, "/a.log")});
  encoded[encoded.find("5001")] = '6';  // offset 5001 -> 6001; the trailer still says otherwise
  Result<std::vector<Position>> out = DecodePositions(encoded);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kCorruption);
  EXPECT_NE(out.status().message().find("checksum mismatch"), std::string::npos);
}

TEST(PositionsFormatTest, CountMismatchIsCorruption) {
  const std::string body = Body(EncodePositions({Sample(1, "/a.log")}));
  Result<std::vector<Position>> out = DecodePositions(Seal(body, 2));
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("trailer counts 2 entries"), std::string::npos);
}

TEST(PositionsFormatTest, RepeatedSourceIdIsCorruption) {
  std::string body = Body(EncodePositions({Sample(1, "/a.log")}));
  const std::string entry = body.substr(body.find("0000000000000001"));
  Result<std::vector<Position>> out = DecodePositions(Seal(body + entry, 2));
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("line 4: source id appears twice"), std::string::npos);
}

TEST(PositionsFormatTest, MalformedFieldIsCorruptionNamingLineAndField) {
  std::string body = Body(EncodePositions({Sample(1, "/a.log")}));
  body.replace(body.find(" 5001 "), 6, " 50x1 ");
  Result<std::vector<Position>> out = DecodePositions(Seal(body, 1));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(), "line 3: bad offset \"50x1\"");
}

TEST(PositionsFormatTest, ZeroSourceIdIsCorruption) {
  std::string body = Body(EncodePositions({Sample(1, "/a.log")}));
  body.replace(body.find("0000000000000001"), 16, "0000000000000000");
  EXPECT_FALSE(DecodePositions(Seal(body, 1)).ok());
}

TEST(PositionsFormatTest, FingerprintLongerThanOneKibIsCorruption) {
  std::string body = Body(EncodePositions({Sample(1, "/a.log")}));
  body.replace(body.find(" 1024 "), 6, " 1025 ");
  EXPECT_FALSE(DecodePositions(Seal(body, 1)).ok());
}

TEST(PositionsFormatTest, BadPathEscapeIsCorruption) {
  std::string body = Body(EncodePositions({Sample(1, "/a.log")}));
  body.replace(body.find("/a.log"), 6, "/a%zz");
  EXPECT_FALSE(DecodePositions(Seal(body, 1)).ok());
  std::string cut = Body(EncodePositions({Sample(1, "/a.log")}));
  cut.replace(cut.find("/a.log"), 6, "/a%2");
  EXPECT_FALSE(DecodePositions(Seal(cut, 1)).ok());
}

TEST(PositionsFormatTest, BytesAfterTheTrailerAreCorruption) {
  EXPECT_FALSE(DecodePositions(EncodePositions({Sample(1, "/a.log")}) + "x").ok());
}

TEST(PositionsFormatTest, EveryCutShortFileIsCorruption) {
  const std::string encoded = EncodePositions({Sample(1, "/a.log"), Sample(2, "/b.log")});
  for (size_t size = 0; size < encoded.size(); ++size) {
    Result<std::vector<Position>> out = DecodePositions(encoded.substr(0, size));
    EXPECT_FALSE(out.ok()) << "prefix of " << size << " bytes decoded";
    if (!out.ok()) {
      EXPECT_EQ(out.status().code(), StatusCode::kCorruption);
    }
  }
}

TEST(PositionsFormatTest, EverySingleByteChangeIsCorruption) {
  const std::string encoded = EncodePositions({Sample(1, "/a.log"), Sample(2, "/b.log")});
  for (size_t i = 0; i < encoded.size(); ++i) {
    std::string changed = encoded;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    EXPECT_FALSE(DecodePositions(changed).ok()) << "flip at byte " << i << " went unnoticed";
  }
}

TEST(PositionsFormatTest, EscapeAndUnescapeAreInverse) {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  const std::string escaped = EscapePath(all);
  EXPECT_EQ(escaped.find(' '), std::string::npos);
  EXPECT_EQ(escaped.find('\n'), std::string::npos);
  std::string back;
  ASSERT_TRUE(UnescapePath(escaped, &back));
  EXPECT_EQ(back, all);
}

}  // namespace
}  // namespace silt::agent
