#include "aggregator/store/binary_coding.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace silt::store {
namespace {

TEST(BinaryCodingTest, FixedIntegersAreLittleEndian) {
  std::string out;
  PutFixed16(0x0102, &out);
  PutFixed32(0x03040506, &out);
  PutFixed64(0x0708090A0B0C0D0EULL, &out);
  EXPECT_EQ(out, std::string("\x02\x01\x06\x05\x04\x03\x0E\x0D\x0C\x0B\x0A\x09\x08\x07", 14));
  EXPECT_EQ(DecodeFixed(out.data() + 6, 8), 0x0708090A0B0C0D0EULL);
}

TEST(BinaryCodingTest, VarintsRoundTripAtEveryLength) {
  for (int shift = 0; shift < 64; ++shift) {
    for (uint64_t value : {(uint64_t{1} << shift) - 1, uint64_t{1} << shift}) {
      std::string out;
      PutVarint64(value, &out);
      EXPECT_EQ(out.size(), VarintLength(value));
      ByteReader reader(out);
      uint64_t decoded = 0;
      ASSERT_TRUE(reader.ReadVarint64(&decoded));
      EXPECT_EQ(decoded, value);
      EXPECT_TRUE(reader.empty());
    }
  }
  std::string max;
  PutVarint64(std::numeric_limits<uint64_t>::max(), &max);
  EXPECT_EQ(max.size(), 10u);
}

TEST(BinaryCodingTest, OverlongOrOverflowingVarintIsRejected) {
  uint64_t value;
  const std::string eleven_bytes = std::string(10, '\x80') + '\x01';
  ByteReader eleven(eleven_bytes);
  EXPECT_FALSE(eleven.ReadVarint64(&value));
  const std::string overflow_bytes = std::string(9, '\xFF') + '\x02';
  ByteReader overflow(overflow_bytes);
  EXPECT_FALSE(overflow.ReadVarint64(&value));
  ByteReader unterminated("\x80\x80");
  EXPECT_FALSE(unterminated.ReadVarint64(&value));
  EXPECT_EQ(unterminated.offset(), 0u);
}

TEST(BinaryCodingTest, ReaderNeverReadsPastTheEnd) {
  ByteReader reader(
      std::string_view("\x05"
                       "abc",
                       4));
  std::string_view bytes;
  EXPECT_FALSE(reader.ReadLengthPrefixed(&bytes));
  EXPECT_EQ(reader.offset(), 0u);
  uint64_t value;
  EXPECT_FALSE(reader.ReadFixed(8, &value));
  EXPECT_TRUE(reader.ReadBytes(4, &bytes));
  EXPECT_FALSE(reader.ReadBytes(1, &bytes));
}

}  // namespace
}  // namespace silt::store
