#include "aggregator/app/counted.h"

#include <gtest/gtest.h>

namespace silt::aggregator {
namespace {

TEST(CountedTest, OneTakesTheSingularEveryOtherCountThePlural) {
  EXPECT_EQ(Counted(0, "chunk file"), "0 chunk files");
  EXPECT_EQ(Counted(1, "chunk file"), "1 chunk file");
  EXPECT_EQ(Counted(2, "problem"), "2 problems");
  EXPECT_EQ(Counted(18446744073709551615ULL, "record"), "18446744073709551615 records");
}

TEST(CountedTest, AnIrregularPluralIsGivenWhole) {
  EXPECT_EQ(Counted(1, "entry", "entries"), "1 entry");
  EXPECT_EQ(Counted(5, "entry", "entries"), "5 entries");
  EXPECT_EQ(Counted(0, "entry", "entries"), "0 entries");
}

}  // namespace
}  // namespace silt::aggregator
