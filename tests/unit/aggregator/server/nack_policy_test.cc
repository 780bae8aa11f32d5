#include "aggregator/server/nack_policy.h"

#include <gtest/gtest.h>

namespace silt::server {
namespace {

using protocol::fb::NackCode;

TEST(NackPolicyTest, WalQueueFullIsWalFullWithShortRetry) {
  auto nack = NackForPushError(3, Status::ResourceExhausted("WAL x queue is full (1 bytes)"));
  EXPECT_EQ(nack.batch_id, 3u);
  EXPECT_EQ(nack.code, NackCode::wal_full);
  EXPECT_EQ(nack.retry_after_ms, kRetryWalFullMs);
  EXPECT_EQ(nack.reason, "WAL x queue is full (1 bytes)");
}

TEST(NackPolicyTest, DiskFullIsDiskFull) {
  auto nack = NackForPushError(1, Status::ResourceExhausted("WAL disk full: ENOSPC"));
  EXPECT_EQ(nack.code, NackCode::disk_full);
  EXPECT_EQ(nack.retry_after_ms, kRetryDiskFullMs);
}

TEST(NackPolicyTest, InFlightOverlapIsRetriedSoon) {
  auto nack = NackForPushError(1, Status::Unavailable("overlaps a batch still being written"));
  EXPECT_EQ(nack.code, NackCode::internal);
  EXPECT_EQ(nack.retry_after_ms, kRetryInFlightMs);
}

TEST(NackPolicyTest, StoppedWalIsRetriedLate) {
  auto nack = NackForPushError(1, Status::IOError("fdatasync failed"));
  EXPECT_EQ(nack.code, NackCode::internal);
  EXPECT_EQ(nack.retry_after_ms, kRetryWalStoppedMs);
}

TEST(NackPolicyTest, OversizePushIsTooLargeWithoutRetry) {
  auto nack = NackForPushError(1, Status::InvalidArgument("push of 9 entries is larger than x"));
  EXPECT_EQ(nack.code, NackCode::too_large);
  EXPECT_EQ(nack.retry_after_ms, 0u);
}

TEST(NackPolicyTest, BadTenantIsMalformed) {
  auto nack = NackForPushError(1, Status::InvalidArgument("tenant id '..' is not valid"));
  EXPECT_EQ(nack.code, NackCode::malformed);
  EXPECT_EQ(nack.retry_after_ms, 0u);
}

}  // namespace
}  // namespace silt::server
