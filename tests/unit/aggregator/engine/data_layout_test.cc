#include "aggregator/engine/data_layout.h"

#include <gtest/gtest.h>

namespace silt::engine {
namespace {

constexpr int64_t kHour = int64_t{3600} * 1'000'000'000;

TEST(DataLayoutTest, TenantIdRules) {
  for (const char* good : {"fake", "team-a", "A_b.c-9", "x"}) {
    EXPECT_TRUE(ValidateTenantId(good).ok()) << good;
  }
  for (const char* bad : {"", ".", "..", "a/b", "a b", "é"}) {
    EXPECT_EQ(ValidateTenantId(bad).code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_TRUE(ValidateTenantId(std::string(64, 'a')).ok());
  EXPECT_FALSE(ValidateTenantId(std::string(65, 'a')).ok());
}

TEST(DataLayoutTest, PartitionStartFloorsAlsoBeforeTheEpoch) {
  EXPECT_EQ(PartitionStart(0, kHour), 0);
  EXPECT_EQ(PartitionStart(kHour - 1, kHour), 0);
  EXPECT_EQ(PartitionStart(kHour, kHour), kHour);
  EXPECT_EQ(PartitionStart(-1, kHour), -kHour);
  EXPECT_EQ(PartitionStart(-kHour, kHour), -kHour);
}

TEST(DataLayoutTest, PartitionDirNamesAreUtcStarts) {
  // 2026-11-22T05:00:00Z
  int64_t start = int64_t{1795323600} * 1'000'000'000;
  EXPECT_EQ(PartitionDirName(start, kHour), "2026112205");
  EXPECT_EQ(PartitionDirName(start, 24 * kHour), "2026112205");
  EXPECT_EQ(PartitionDirName(start + 15 * 60 * int64_t{1'000'000'000}, kHour / 4),
            "202611220515");
  EXPECT_EQ(PartitionDir("/d", "t", start, kHour), "/d/tenants/t/2026112205");
}

TEST(DataLayoutTest, ChunkNamesRoundTrip) {
  EXPECT_EQ(ChunkFileName(42), "chunk-0000000000000042.silt");
  EXPECT_EQ(ParseChunkFileName("chunk-0000000000000042.silt"), 42u);
  EXPECT_FALSE(ParseChunkFileName("chunk-0000000000000042.silt.tmp"));
  EXPECT_FALSE(ParseChunkFileName("chunk-00000000000000x2.silt"));
  EXPECT_FALSE(ParseChunkFileName("index.silt"));
}

}  // namespace
}  // namespace silt::engine
