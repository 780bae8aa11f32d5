#include "aggregator/store/head_options.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace silt::store {
namespace {

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

void ExpectInvalid(const HeadOptions& options, std::string_view fragment) {
  Status status = ValidateHeadOptions(options);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find(fragment), std::string_view::npos) << status;
}

TEST(HeadOptionsTest, DefaultsAreValid) {
  HeadOptions options;
  EXPECT_TRUE(ValidateHeadOptions(options).ok());
  EXPECT_EQ(options.out_of_order_window_ns, time::kHour);
  EXPECT_EQ(options.max_bytes, size_t{256} << 20);
  EXPECT_EQ(options.partition_ns, time::kHour);
  EXPECT_EQ(options.target_block_bytes, size_t{256} << 10);
}

TEST(HeadOptionsTest, NegativeWindowIsRejectedNamingTheField) {
  ExpectInvalid({.out_of_order_window_ns = -time::kSecond}, "out_of_order_window is -1s");
  ExpectInvalid({.out_of_order_window_ns = 2 * time::kWeek}, "out_of_order_window is 2w");
}

TEST(HeadOptionsTest, ZeroWindowIsValid) {
  EXPECT_TRUE(ValidateHeadOptions({.out_of_order_window_ns = 0}).ok());
}

TEST(HeadOptionsTest, TinyMaxBytesIsRejected) {
  ExpectInvalid({.max_bytes = 1000}, "max_bytes is 1000 bytes");
}

TEST(HeadOptionsTest, PartitionOutsideOneSecondToOneWeekIsRejected) {
  ExpectInvalid({.partition_ns = 0}, "partition is 0s");
  ExpectInvalid({.partition_ns = time::kMillisecond}, "between 1s and 1w");
  ExpectInvalid({.partition_ns = 8 * time::kDay}, "partition is 1w1d");
}

TEST(HeadOptionsTest, TargetBlockBytesOutOfRangeIsRejected) {
  ExpectInvalid({.target_block_bytes = 100}, "target_block_bytes is 100 bytes");
  ExpectInvalid({.target_block_bytes = size_t{65} << 20}, "target_block_bytes");
}

TEST(HeadOptionsTest, NegativeMaxPartitionAgeIsRejected) {
  ExpectInvalid({.max_partition_age_ns = -1}, "max_partition_age");
  EXPECT_TRUE(ValidateHeadOptions({.max_partition_age_ns = 0}).ok());
}

TEST(HeadOptionsTest, PartitionOfFloorsToAMultiple) {
  const int64_t hour = time::kHour;
  EXPECT_EQ(PartitionOf(0, hour), (PartitionRange{0, hour}));
  EXPECT_EQ(PartitionOf(hour - 1, hour), (PartitionRange{0, hour}));
  EXPECT_EQ(PartitionOf(hour, hour), (PartitionRange{hour, 2 * hour}));
  const int64_t ts = 1'700'000'123'000'000'000;
  EXPECT_EQ(PartitionOf(ts, hour),
            (PartitionRange{1'699'999'200'000'000'000, 1'700'002'800'000'000'000}));
}

TEST(HeadOptionsTest, PartitionOfWithThePreviousRangeAnswersAsWithout) {
  const int64_t hour = time::kHour;
  const std::optional<PartitionRange> first = PartitionRange{0, hour};
  for (int64_t ts : {int64_t{0}, hour - 1, hour, int64_t{-1}, 5 * hour + 7}) {
    EXPECT_EQ(PartitionOf(ts, hour, first), PartitionOf(ts, hour)) << ts;
    EXPECT_EQ(PartitionOf(ts, hour, std::nullopt), PartitionOf(ts, hour)) << ts;
  }
  EXPECT_EQ(PartitionOf(std::numeric_limits<int64_t>::max(), hour, first), std::nullopt);
}

TEST(HeadOptionsTest, PartitionOfNegativeTimestampFloors) {
  const int64_t hour = time::kHour;
  EXPECT_EQ(PartitionOf(-1, hour), (PartitionRange{-hour, 0}));
  EXPECT_EQ(PartitionOf(-hour, hour), (PartitionRange{-hour, 0}));
  EXPECT_EQ(PartitionOf(-hour - 1, hour), (PartitionRange{-2 * hour, -hour}));
}

TEST(HeadOptionsTest, PartitionAtTheEdgesOfInt64IsUnrepresentable) {
  const int64_t hour = time::kHour;
  EXPECT_FALSE(PartitionOf(kMax, hour).has_value());
  EXPECT_FALSE(PartitionOf(kMin, hour).has_value());
  // The last whole partition is fine.
  int64_t last_start = (kMax / hour - 1) * hour;
  EXPECT_EQ(PartitionOf(last_start, hour), (PartitionRange{last_start, last_start + hour}));
  int64_t first_start = (kMin / hour) * hour;
  EXPECT_EQ(PartitionOf(first_start, hour), (PartitionRange{first_start, first_start + hour}));
}

TEST(HeadOptionsTest, OldestAcceptableTimestampSaturates) {
  EXPECT_EQ(OldestAcceptableTimestamp(10 * time::kHour, time::kHour), 9 * time::kHour);
  EXPECT_EQ(OldestAcceptableTimestamp(kMin, time::kHour), kMin);
  EXPECT_EQ(OldestAcceptableTimestamp(kMin + 5, time::kHour), kMin);
  EXPECT_EQ(OldestAcceptableTimestamp(100, 0), 100);
}

}  // namespace
}  // namespace silt::store
