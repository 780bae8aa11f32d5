#include "shared/hash/xxh3.h"

#include <gtest/gtest.h>

#include <string>

namespace silt::hash {
namespace {

// Values are stored on disk and sent on the wire, so they are pinned: a libxxhash change that
// altered them would make old data unreadable. References are XXH3-64, seed 0.
TEST(Xxh3Test, KnownValuesArePinned) {
  EXPECT_EQ(Xxh3(std::string_view()), 0x2D06800538D394C2ULL);
  EXPECT_EQ(Xxh3(std::string_view("a")), 0xE6C632B61E964E1FULL);
}

TEST(Xxh3Test, StreamingEqualsOneShotForEverySplit) {
  std::string text;
  for (int i = 0; i < 300; ++i) text += static_cast<char>('a' + i % 26);
  const uint64_t whole = Xxh3(text);
  for (size_t split = 0; split <= text.size(); split += 7) {
    Xxh3Hasher h;
    h.Update(std::string_view(text).substr(0, split));
    h.Update(std::string_view(text).substr(split));
    EXPECT_EQ(h.Digest(), whole) << "split at " << split;
  }
}

TEST(Xxh3Test, SeedChangesTheHashAndResetRestarts) {
  EXPECT_NE(Xxh3WithSeed("abc", 3, 1), Xxh3WithSeed("abc", 3, 2));
  EXPECT_EQ(Xxh3WithSeed("abc", 3, 0), Xxh3("abc", 3));
  Xxh3Hasher h;
  h.Update("garbage");
  h.Reset();
  h.Update("abc");
  EXPECT_EQ(h.Digest(), Xxh3("abc", 3));
}

}  // namespace
}  // namespace silt::hash
