#include "aggregator/ingest/pipeline/cardinality_guard.h"

#include <gtest/gtest.h>

#include "shared/time/fake_clock.h"

namespace silt::ingest {
namespace {

TEST(CardinalityGuardTest, AdmitsUpToTheLimitThenOnlyKnownValues) {
  metrics::Counter refusals;
  time::FakeClock clock;
  CardinalityGuard guard(
      {.pipeline = "p", .label = "l", .max_values = 2, .refusals = &refusals, .clock = &clock});
  EXPECT_TRUE(guard.Admit("a"));
  EXPECT_TRUE(guard.Admit("b"));
  EXPECT_TRUE(guard.Admit("a"));
  EXPECT_FALSE(guard.Admit("c"));
  EXPECT_TRUE(guard.Admit("b"));
  EXPECT_FALSE(guard.Admit("d"));
  EXPECT_EQ(guard.size(), 2u);
  EXPECT_EQ(refusals.Value(), 2);
}

TEST(CardinalityGuardTest, MemoryStaysBoundedByTheLimit) {
  metrics::Counter refusals;
  time::FakeClock clock;
  CardinalityGuard guard(
      {.pipeline = "p", .label = "l", .max_values = 10, .refusals = &refusals, .clock = &clock});
  for (int i = 0; i < 10000; ++i) static_cast<void>(guard.Admit(std::to_string(i)));
  EXPECT_EQ(guard.size(), 10u);
  EXPECT_EQ(refusals.Value(), 9990);
}

}  // namespace
}  // namespace silt::ingest
