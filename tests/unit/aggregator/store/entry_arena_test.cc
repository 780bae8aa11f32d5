#include "aggregator/store/entry_arena.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace silt::store {
namespace {

using labels::LabelView;

TEST(EntryArenaTest, LineAndMetadataRoundTrip) {
  EntryArena arena(4096);
  std::vector<LabelView> metadata = {{"trace_id", "abc"}, {"user", ""}, {"a", "b"}};
  const char* entry = arena.Add("hello world", metadata);
  EXPECT_EQ(EncodedLine(entry), "hello world");
  std::vector<LabelView> decoded;
  AppendEncodedMetadata(entry, &decoded);
  EXPECT_EQ(decoded, metadata);
}

TEST(EntryArenaTest, DecodeEncodedEntryReturnsTheWholeEntry) {
  EntryArena arena(4096);
  std::vector<LabelView> metadata = {{"trace_id", "abc"}, {"user", ""}};
  const char* first = arena.Add(std::string(200, 'x'), metadata);  // a 2-byte length varint
  const char* second = arena.Add("next", {});
  std::string_view line;
  std::vector<LabelView> decoded;
  std::string_view encoded = DecodeEncodedEntry(first, &line, &decoded);
  EXPECT_EQ(line, std::string(200, 'x'));
  EXPECT_EQ(decoded, metadata);
  EXPECT_EQ(encoded.data(), first);
  EXPECT_EQ(encoded.size(), static_cast<size_t>(second - first));
  EXPECT_EQ(encoded.size(), 2u + 200u + 1u + (1u + 8u + 1u + 3u) + (1u + 4u + 1u + 0u));
  decoded.clear();
  encoded = DecodeEncodedEntry(second, &line, &decoded);
  EXPECT_EQ(line, "next");
  EXPECT_TRUE(decoded.empty());
  EXPECT_EQ(encoded, std::string_view("\x04next\x00", 6));
}

TEST(EntryArenaTest, EarlierEntriesStayValidAsBlocksAreAdded) {
  EntryArena arena(4096);
  std::vector<const char*> entries;
  for (int i = 0; i < 2000; ++i) entries.push_back(arena.Add("line " + std::to_string(i), {}));
  for (int i = 0; i < 2000; ++i) EXPECT_EQ(EncodedLine(entries[i]), "line " + std::to_string(i));
}

TEST(EntryArenaTest, BlocksGrowToTheTargetSize) {
  EntryArena arena(8192);
  arena.Add("x", {});
  EXPECT_EQ(arena.allocated_bytes(), 1024u);
  std::string line(1500, 'y');
  arena.Add(line, {});  // does not fit: a 2 KiB block
  EXPECT_EQ(arena.allocated_bytes(), 1024u + 2048u);
  for (int i = 0; i < 40; ++i) arena.Add(line, {});
  // Blocks double up to 8 KiB and stay there.
  EXPECT_LE(arena.allocated_bytes(), 1024u + 2048u + 4096u + 8192u * 8);
  EXPECT_GE(arena.allocated_bytes(), 41u * 1500u);
}

TEST(EntryArenaTest, LargeEntryGetsABlockOfItsOwn) {
  EntryArena arena(4096);
  const char* small = arena.Add("small", {});
  std::string big(10000, 'b');
  const char* large = arena.Add(big, {});
  const char* after = arena.Add("after", {});
  EXPECT_EQ(EncodedLine(large), big);
  EXPECT_EQ(EncodedLine(small), "small");
  EXPECT_EQ(EncodedLine(after), "after");
  // The small entries share the first block; the big one added exactly its size.
  EXPECT_EQ(arena.allocated_bytes(), 1024u + 10000u + 2u + 1u);
}

TEST(EntryArenaTest, EqualsComparesLineAndMetadataInOrder) {
  EntryArena arena(4096);
  std::vector<LabelView> ab = {{"a", "1"}, {"b", "2"}};
  std::vector<LabelView> ba = {{"b", "2"}, {"a", "1"}};
  const char* entry = arena.Add("line", ab);
  EXPECT_TRUE(EncodedEntryEquals(entry, "line", ab));
  EXPECT_FALSE(EncodedEntryEquals(entry, "line", ba));
  EXPECT_FALSE(EncodedEntryEquals(entry, "line", {}));
  EXPECT_FALSE(EncodedEntryEquals(entry, "line2", ab));
  EXPECT_FALSE(EncodedEntryEquals(entry, "lin", ab));
}

TEST(EntryArenaTest, EncodedContentHashEqualsContentHash) {
  EntryArena arena(4096);
  std::vector<LabelView> metadata = {{"k", "v"}};
  EXPECT_EQ(EncodedContentHash(arena.Add("line", metadata)), ContentHash("line", metadata));
  EXPECT_EQ(EncodedContentHash(arena.Add("", {})), ContentHash("", {}));
  EXPECT_NE(ContentHash("line", metadata), ContentHash("line", {}));
  // Moving bytes between name and value changes the hash.
  std::vector<LabelView> shifted = {{"kv", ""}};
  EXPECT_NE(ContentHash("line", metadata), ContentHash("line", shifted));
}

}  // namespace
}  // namespace silt::store
