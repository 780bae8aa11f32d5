// QueryMemory and MemoryLease (query_memory.h): counting, the limit and its message, peaks, and
// leases giving their bytes back.
#include "aggregator/logql/exec/query_memory.h"

#include <gtest/gtest.h>

#include <utility>

#include "shared/units/byte_size.h"

namespace silt::logql::exec {
namespace {

TEST(QueryMemoryTest, ChargesAndReleasesCountPerUseAndPeak) {
  QueryMemory memory(1000);
  ASSERT_TRUE(memory.Charge(300, MemoryUse::kBlocks).ok());
  ASSERT_TRUE(memory.Charge(200, MemoryUse::kSamples).ok());
  EXPECT_EQ(memory.used(), 500u);
  EXPECT_EQ(memory.used(MemoryUse::kBlocks), 300u);
  EXPECT_EQ(memory.used(MemoryUse::kSamples), 200u);
  memory.Release(300, MemoryUse::kBlocks);
  ASSERT_TRUE(memory.Charge(100, MemoryUse::kEntries).ok());
  EXPECT_EQ(memory.used(), 300u);
  EXPECT_EQ(memory.peak(), 500u);
}

TEST(QueryMemoryTest, ChargeUpToTheLimitIsAllowed) {
  QueryMemory memory(1000);
  EXPECT_TRUE(memory.Charge(1000, MemoryUse::kBlocks).ok());
  EXPECT_FALSE(memory.Charge(1, MemoryUse::kBlocks).ok());
}

TEST(QueryMemoryTest, OverTheLimitFailsNamingUsesAndOption) {
  QueryMemory memory(512 * units::kMiB, "--max-query-memory");
  ASSERT_TRUE(memory.Charge(400 * units::kMiB, MemoryUse::kBlocks).ok());
  ASSERT_TRUE(memory.Charge(100 * units::kMiB, MemoryUse::kSamples).ok());
  const Status status = memory.Charge(30 * units::kMiB + 5, MemoryUse::kSamples);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(status.message(),
            "query would use more than 512MiB of memory (decompressed blocks 400MiB, samples "
            "130MiB); narrow the time range or the selector, or raise --max-query-memory");
  // A refused charge counts nothing.
  EXPECT_EQ(memory.used(), 500 * static_cast<size_t>(units::kMiB));
  EXPECT_EQ(memory.used(MemoryUse::kSamples), 100 * static_cast<size_t>(units::kMiB));
}

TEST(QueryMemoryTest, DefaultOptionNameIsTheExecutorOption) {
  QueryMemory memory(100);
  const Status status = memory.Charge(101, MemoryUse::kEntries);
  EXPECT_EQ(status.message(),
            "query would use more than 100B of memory (result entries 101B); narrow the time "
            "range or the selector, or raise max_query_memory_bytes");
}

TEST(QueryMemoryTest, ZeroLimitCountsWithoutRefusing) {
  QueryMemory memory(0);
  EXPECT_TRUE(memory.Charge(size_t{1} << 40, MemoryUse::kSteps).ok());
  EXPECT_EQ(memory.peak(), size_t{1} << 40);
}

TEST(MemoryLeaseTest, DestructionReleasesWhatWasCharged) {
  QueryMemory memory(1000);
  {
    MemoryLease lease(&memory, MemoryUse::kSeries);
    ASSERT_TRUE(lease.Grow(100).ok());
    ASSERT_TRUE(lease.Grow(50).ok());
    EXPECT_EQ(memory.used(MemoryUse::kSeries), 150u);
  }
  EXPECT_EQ(memory.used(), 0u);
  EXPECT_EQ(memory.peak(), 150u);
}

TEST(MemoryLeaseTest, ResizeChargesOrReleasesTheDifference) {
  QueryMemory memory(1000);
  MemoryLease lease(&memory, MemoryUse::kBlocks);
  ASSERT_TRUE(lease.Resize(600).ok());
  ASSERT_TRUE(lease.Resize(200).ok());
  EXPECT_EQ(memory.used(), 200u);
  EXPECT_FALSE(lease.Resize(1200).ok());
  EXPECT_EQ(lease.bytes(), 200u);
  EXPECT_EQ(memory.used(), 200u);
  lease.Reset();
  EXPECT_EQ(memory.used(), 0u);
}

TEST(MemoryLeaseTest, MoveTransfersTheCharge) {
  QueryMemory memory(1000);
  MemoryLease a(&memory, MemoryUse::kSteps);
  ASSERT_TRUE(a.Grow(300).ok());
  MemoryLease b(std::move(a));
  EXPECT_EQ(b.bytes(), 300u);
  MemoryLease c(&memory, MemoryUse::kSteps);
  ASSERT_TRUE(c.Grow(100).ok());
  c = std::move(b);  // c's own 100 are released
  EXPECT_EQ(memory.used(), 300u);
  c.Reset();
  EXPECT_EQ(memory.used(), 0u);
}

TEST(MemoryLeaseTest, LeaseWithoutMemoryCountsNothing) {
  MemoryLease lease;
  EXPECT_TRUE(lease.Grow(size_t{1} << 50).ok());
  EXPECT_TRUE(lease.Resize(10).ok());
  EXPECT_EQ(lease.bytes(), 0u);
}

}  // namespace
}  // namespace silt::logql::exec
