#include "aggregator/store/chunk_layout.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace silt::store {
namespace {

TEST(ChunkLayoutTest, HeaderRoundTrips) {
  ChunkHeader header{Codec::kZstd, "team-a.prod", 1000, 2000};
  std::string bytes;
  EncodeHeader(header, &bytes);
  EXPECT_EQ(bytes.size(), kHeaderFixedSize + header.tenant.size());
  auto decoded = DecodeHeader(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->codec, Codec::kZstd);
  EXPECT_EQ(decoded->tenant, "team-a.prod");
  EXPECT_EQ(decoded->partition_start, 1000);
  EXPECT_EQ(decoded->partition_end, 2000);
}

void ExpectHeaderCorruption(std::string bytes, std::string_view fragment) {
  auto decoded = DecodeHeader(bytes);
  ASSERT_EQ(decoded.status().code(), StatusCode::kCorruption);
  EXPECT_NE(decoded.status().message().find(fragment), std::string_view::npos) << decoded.status();
}

TEST(ChunkLayoutTest, HeaderFieldsAreChecked) {
  std::string good;
  EncodeHeader(ChunkHeader{Codec::kLz4, "fake", 0, 10}, &good);
  std::string bad = good;
  bad[0] = 'X';
  ExpectHeaderCorruption(bad, "magic");
  bad = good;
  bad[kHeaderVersionOffset] = kChunkFormatVersion + 1;
  ExpectHeaderCorruption(bad, "unknown version " + std::to_string(kChunkFormatVersion + 1) +
                                  " (this build reads versions 1 to " +
                                  std::to_string(kChunkFormatVersion) + ")");
  bad[kHeaderVersionOffset] = 0;
  ExpectHeaderCorruption(bad, "unknown version 0");
  bad[kHeaderVersionOffset] = 1;  // the interleaved block layout, still read
  auto old_version = DecodeHeader(bad);
  ASSERT_TRUE(old_version.ok()) << old_version.status();
  EXPECT_EQ(old_version->version, 1);
  bad = good;
  bad[kHeaderCodecOffset] = 9;
  ExpectHeaderCorruption(bad, "unknown codec 9");
  bad = good;
  bad[kHeaderFlagsOffset] = 1;
  ExpectHeaderCorruption(bad, "unknown flags");
  ExpectHeaderCorruption(good + "x", "tenant length");
  bad = good;
  bad[kHeaderFixedSize] = '/';
  ExpectHeaderCorruption(bad, "invalid tenant");
  std::string inverted;
  EncodeHeader(ChunkHeader{Codec::kLz4, "fake", 10, 10}, &inverted);
  ExpectHeaderCorruption(inverted, "partition");
}

TEST(ChunkLayoutTest, FooterRoundTripsAndIsFixedSize) {
  ChunkFooter footer{27, 1, 100, 50, 2, 99, -5, 7, 12, 3, 4};
  std::string bytes;
  EncodeFooter(footer, &bytes);
  ASSERT_EQ(bytes.size(), kFooterSize);
  EXPECT_EQ(bytes.substr(kFooterMagicOffset), "LOGS");
  auto decoded = DecodeFooter(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, footer);
}

TEST(ChunkLayoutTest, FooterChecksumCoversEveryField) {
  std::string bytes;
  EncodeFooter(ChunkFooter{27, 1, 100, 50, 2, 99, -5, 7, 12, 3, 4}, &bytes);
  for (size_t i = 0; i < kFooterVersionOffset; ++i) {
    std::string bad = bytes;
    bad[i] ^= 0x01;
    auto decoded = DecodeFooter(bad);
    ASSERT_EQ(decoded.status().code(), StatusCode::kCorruption) << i;
    EXPECT_NE(decoded.status().message().find("checksum mismatch"), std::string_view::npos);
  }
}

TEST(ChunkLayoutTest, DirectoryRoundTrips) {
  std::vector<StreamInfo> streams(2);
  streams[0].labels = labels::LabelSet::Of({{"app", "a"}});
  streams[1].labels = labels::LabelSet::Of({{"app", "b"}, {"env", "prod"}});
  for (StreamInfo& s : streams) {
    s.fingerprint = s.labels.Fingerprint();
    s.blocks = {BlockInfo{27, 10, 20, 0xAB, 5, 9, 3, 16, 37, 0xCD},
                BlockInfo{53, 10, 20, 0xEF, 9, 12, 2, 0, 0, 0}};
    s.min_ts = 5;
    s.max_ts = 12;
    s.entry_count = 5;
  }
  std::string bytes;
  EncodeDirectory(streams, &bytes);
  EXPECT_EQ(bytes.size(), 4 + 2 * kStreamFixedSize + 4 * kBlockEntrySize + 9 + 21);
  auto decoded = DecodeDirectory(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ASSERT_EQ(decoded->size(), 2u);
  EXPECT_EQ((*decoded)[1].labels, streams[1].labels);
  EXPECT_EQ((*decoded)[1].blocks, streams[1].blocks);
  EXPECT_EQ((*decoded)[0].entry_count, 5u);
}

std::vector<StreamInfo> OneStream() {
  std::vector<StreamInfo> streams(1);
  streams[0].labels = labels::LabelSet::Of({{"app", "a"}});
  streams[0].fingerprint = streams[0].labels.Fingerprint();
  streams[0].blocks = {BlockInfo{27, 10, 20, 0, 5, 9, 3, 0, 0, 0}};
  streams[0].min_ts = 5;
  streams[0].max_ts = 9;
  streams[0].entry_count = 3;
  return streams;
}

void ExpectDirectoryCorruption(const std::vector<StreamInfo>& streams, std::string_view fragment) {
  std::string bytes;
  EncodeDirectory(streams, &bytes);
  auto decoded = DecodeDirectory(bytes);
  ASSERT_EQ(decoded.status().code(), StatusCode::kCorruption);
  EXPECT_NE(decoded.status().message().find(fragment), std::string_view::npos) << decoded.status();
}

TEST(ChunkLayoutTest, DirectoryInvariantsAreChecked) {
  auto streams = OneStream();
  streams[0].fingerprint ^= 1;
  ExpectDirectoryCorruption(streams, "fingerprint does not match");
  streams = OneStream();
  streams[0].entry_count = 4;
  ExpectDirectoryCorruption(streams, "totals");
  streams = OneStream();
  streams[0].blocks[0].min_ts = 10;
  ExpectDirectoryCorruption(streams, "impossible");
  streams = OneStream();
  streams[0].blocks.push_back(BlockInfo{60, 10, 20, 0, 8, 9, 1, 0, 0, 0});
  streams[0].entry_count = 4;
  ExpectDirectoryCorruption(streams, "impossible");  // overlaps the previous block's range
  streams = OneStream();
  streams.push_back(streams[0]);
  ExpectDirectoryCorruption(streams, "appears twice");
  streams = OneStream();
  streams[0].blocks.clear();
  streams[0].entry_count = 0;
  ExpectDirectoryCorruption(streams, "totals");
}

TEST(ChunkLayoutTest, NonCanonicalLabelsAreCorruption) {
  std::string bytes;
  auto streams = OneStream();
  EncodeDirectory(streams, &bytes);
  size_t pos = bytes.find("{app=\"a\"}");
  ASSERT_NE(pos, std::string::npos);
  bytes[pos + 4] = ' ';  // `{app "a"}`
  auto decoded = DecodeDirectory(bytes);
  EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption);
}

TEST(ChunkLayoutTest, EveryTruncatedDirectoryIsCorruption) {
  std::string bytes;
  EncodeDirectory(OneStream(), &bytes);
  for (size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_EQ(DecodeDirectory(bytes.substr(0, size)).status().code(), StatusCode::kCorruption)
        << size;
  }
  EXPECT_EQ(DecodeDirectory(bytes + "x").status().code(), StatusCode::kCorruption);
}

TEST(ChunkLayoutTest, TenantValidation) {
  EXPECT_TRUE(ValidateTenant("fake").ok());
  EXPECT_TRUE(ValidateTenant("a.b-c_D9").ok());
  EXPECT_TRUE(ValidateTenant(std::string(64, 'x')).ok());
  EXPECT_FALSE(ValidateTenant(std::string(65, 'x')).ok());
  EXPECT_FALSE(ValidateTenant("").ok());
  EXPECT_FALSE(ValidateTenant(".").ok());
  EXPECT_FALSE(ValidateTenant("..").ok());
  EXPECT_FALSE(ValidateTenant("a b").ok());
}

}  // namespace
}  // namespace silt::store
