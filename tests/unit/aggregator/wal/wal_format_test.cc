#include "aggregator/wal/wal_format.h"

#include <gtest/gtest.h>

#include <string>

#include "shared/hash/xxh3.h"

namespace silt::wal {
namespace {

TEST(WalFormatTest, FixedIntegersAreLittleEndian) {
  char buf[8];
  PutFixed32(buf, 0x04030201u);
  EXPECT_EQ(std::string(buf, 4), std::string("\x01\x02\x03\x04", 4));
  EXPECT_EQ(GetFixed32(buf), 0x04030201u);
  PutFixed64(buf, 0x0807060504030201ull);
  EXPECT_EQ(std::string(buf, 8), std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  EXPECT_EQ(GetFixed64(buf), 0x0807060504030201ull);
}

TEST(WalFormatTest, SegmentHeaderRoundTrips) {
  std::string bytes;
  AppendSegmentHeader({42, -7}, &bytes);
  ASSERT_EQ(bytes.size(), kSegmentHeaderSize);
  EXPECT_EQ(bytes.substr(0, 4), "WLOG");
  EXPECT_EQ(bytes[4], 1);
  Result<SegmentHeader> header = DecodeSegmentHeader(bytes);
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_EQ(header->first_sequence, 42u);
  EXPECT_EQ(header->created_wall_ns, -7);
}

TEST(WalFormatTest, SegmentHeaderCheckCatchesEveryByteFlip) {
  std::string good;
  AppendSegmentHeader({42, 123}, &good);
  for (size_t i = 0; i < kSegmentHeaderSize; ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x10);
    Result<SegmentHeader> header = DecodeSegmentHeader(bad);
    ASSERT_FALSE(header.ok()) << "byte " << i;
    EXPECT_EQ(header.status().code(), StatusCode::kCorruption) << "byte " << i;
  }
}

TEST(WalFormatTest, UnknownSegmentVersionIsInvalidArgument) {
  std::string bytes;
  AppendSegmentHeader({1, 0}, &bytes);
  bytes[kSegmentVersionOffset] = 2;
  PutFixed32(bytes.data() + kSegmentCheckOffset, HeaderCheck(bytes.data()));
  Result<SegmentHeader> header = DecodeSegmentHeader(bytes);
  ASSERT_FALSE(header.ok());
  EXPECT_EQ(header.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(header.status().message().find("version 2"), std::string_view::npos);
}

TEST(WalFormatTest, RecordRoundTrips) {
  std::string bytes;
  AppendRecord(9, 77, "payload", &bytes);
  ASSERT_EQ(bytes.size(), kRecordHeaderSize + 7);
  std::optional<RecordHeader> header = DecodeRecordHeader(bytes);
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(header->payload_length, 7u);
  EXPECT_EQ(header->type, 9);
  EXPECT_EQ(header->sequence, 77u);
  EXPECT_EQ(header->payload_hash, hash::Xxh3("payload"));
  EXPECT_EQ(bytes.substr(kRecordHeaderSize), "payload");
}

TEST(WalFormatTest, RecordHeaderCheckCatchesEveryByteFlip) {
  std::string good;
  AppendRecord(1, 5, "x", &good);
  for (size_t i = 0; i < kRecordHeaderSize; ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    EXPECT_FALSE(DecodeRecordHeader(bad).has_value()) << "byte " << i;
    EXPECT_FALSE(DescribeBadRecordHeader(bad).empty());
  }
}

TEST(WalFormatTest, ZeroBytesAreNeverAnIntactRecordHeader) {
  std::string zeros(kRecordHeaderSize, '\0');
  EXPECT_FALSE(DecodeRecordHeader(zeros).has_value());
  EXPECT_NE(HeaderCheck(zeros.data()), 0u);
}

TEST(WalFormatTest, SequenceOutsideTheNamableRangeIsNotAnIntactHeader) {
  std::string bytes;
  AppendRecord(1, 1, "x", &bytes);
  SetRecordSequence(bytes.data(), kMaxSequence + 1);
  EXPECT_FALSE(DecodeRecordHeader(bytes).has_value());
  EXPECT_NE(DescribeBadRecordHeader(bytes).find("outside 1.."), std::string::npos);
  SetRecordSequence(bytes.data(), kMaxSequence);
  EXPECT_TRUE(DecodeRecordHeader(bytes).has_value());
}

TEST(WalFormatTest, SetRecordSequenceRenumbersAndKeepsTheHeaderIntact) {
  std::string bytes;
  AppendRecord(3, 1, "abc", &bytes);
  SetRecordSequence(bytes.data(), 123456789);
  std::optional<RecordHeader> header = DecodeRecordHeader(bytes);
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(header->sequence, 123456789u);
  std::string direct;
  AppendRecord(3, 123456789, "abc", &direct);
  EXPECT_EQ(bytes, direct);
}

TEST(WalFormatTest, SegmentFileNamesAreSixteenDigits) {
  EXPECT_EQ(SegmentFileName(1), "0000000000000001.wal");
  EXPECT_EQ(SegmentFileName(kMaxSequence), "9999999999999999.wal");
  EXPECT_EQ(ParseSegmentFileName("0000000000000042.wal"), 42u);
  EXPECT_EQ(ParseSegmentFileName(SegmentFileName(kMaxSequence)), kMaxSequence);
  EXPECT_FALSE(ParseSegmentFileName("000000000000042.wal"));
  EXPECT_FALSE(ParseSegmentFileName("00000000000000042.wal"));
  EXPECT_FALSE(ParseSegmentFileName("00000000000000a2.wal"));
  EXPECT_FALSE(ParseSegmentFileName("0000000000000042.wal.tmp"));
  EXPECT_FALSE(ParseSegmentFileName("checkpoint"));
  EXPECT_FALSE(ParseSegmentFileName("LOCK"));
}

}  // namespace
}  // namespace silt::wal
