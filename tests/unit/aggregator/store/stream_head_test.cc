#include "aggregator/store/stream_head.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace silt::store {
namespace {

using labels::LabelView;

constexpr size_t kBlockBytes = 4096;
constexpr int64_t kAll = std::numeric_limits<int64_t>::max();

struct Entry {
  int64_t ts;
  std::string line;
  friend bool operator==(const Entry&, const Entry&) = default;
};

std::ostream& operator<<(std::ostream& os, const Entry& e) {
  return os << "{" << e.ts << ", \"" << e.line << "\"}";
}

std::vector<Entry> Read(const StreamSnapshot& snapshot, int64_t from, int64_t through,
                        Direction direction = Direction::kForward) {
  std::vector<Entry> out;
  for (StreamIterator it = snapshot.NewIterator(from, through, direction); it.Valid(); it.Next()) {
    out.push_back({it.timestamp(), std::string(it.line())});
  }
  return out;
}

std::vector<Entry> ReadAll(const StreamSnapshot& snapshot,
                           Direction direction = Direction::kForward) {
  std::vector<Entry> out;
  for (StreamIterator it = snapshot.NewIterator(direction); it.Valid(); it.Next()) {
    out.push_back({it.timestamp(), std::string(it.line())});
  }
  return out;
}

// The expected order: by timestamp, ties in arrival order (a stable sort).
std::vector<Entry> Sorted(std::vector<Entry> entries) {
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.ts < b.ts; });
  return entries;
}

std::vector<Entry> Reversed(std::vector<Entry> entries) {
  std::reverse(entries.begin(), entries.end());
  return entries;
}

TEST(StreamHeadTest, EmptyStreamHasEmptySnapshot) {
  StreamHead stream(kBlockBytes);
  StreamSnapshot snapshot = stream.Snapshot();
  EXPECT_TRUE(snapshot.empty());
  EXPECT_FALSE(snapshot.NewIterator(Direction::kForward).Valid());
  EXPECT_FALSE(snapshot.HasEntriesIn(std::numeric_limits<int64_t>::min(), kAll));
  EXPECT_FALSE(stream.Contains(1, "x", {}));
}

TEST(StreamHeadTest, InOrderAppendsIterateBothWays) {
  StreamHead stream(kBlockBytes);
  std::vector<Entry> entries;
  for (int i = 0; i < 1000; ++i) entries.push_back({i * 10, "line " + std::to_string(i)});
  for (const Entry& e : entries) ASSERT_TRUE(stream.Append(e.ts, e.line, {}));
  StreamSnapshot snapshot = stream.Snapshot();
  EXPECT_EQ(ReadAll(snapshot), entries);
  EXPECT_EQ(ReadAll(snapshot, Direction::kBackward), Reversed(entries));
}

TEST(StreamHeadTest, OutOfOrderEntriesAreSortedIntoPlace) {
  StreamHead stream(kBlockBytes);
  std::mt19937_64 rng(7);
  std::vector<Entry> entries;
  for (int i = 0; i < 3000; ++i) {
    // Mostly increasing with jitter behind; enough to split leaves in the middle.
    int64_t ts = i * 10 - static_cast<int64_t>(rng() % 400);
    entries.push_back({ts, "e" + std::to_string(i)});
  }
  for (const Entry& e : entries) ASSERT_TRUE(stream.Append(e.ts, e.line, {}));
  StreamSnapshot snapshot = stream.Snapshot();
  EXPECT_EQ(ReadAll(snapshot), Sorted(entries));
  EXPECT_EQ(ReadAll(snapshot, Direction::kBackward), Reversed(Sorted(entries)));
}

TEST(StreamHeadTest, ReverseOrderArrivalIsSorted) {
  StreamHead stream(kBlockBytes);
  std::vector<Entry> entries;
  for (int i = 2000; i > 0; --i) entries.push_back({i, "r" + std::to_string(i)});
  for (const Entry& e : entries) ASSERT_TRUE(stream.Append(e.ts, e.line, {}));
  EXPECT_EQ(ReadAll(stream.Snapshot()), Sorted(entries));
}

TEST(StreamHeadTest, EqualTimestampsKeepArrivalOrder) {
  StreamHead stream(kBlockBytes);
  std::vector<Entry> entries;
  for (int i = 0; i < 600; ++i) {
    // Three timestamps interleaved, so ties arrive out of order across leaves.
    entries.push_back({(i % 3) * 100, "tie " + std::to_string(i)});
  }
  for (const Entry& e : entries) ASSERT_TRUE(stream.Append(e.ts, e.line, {}));
  StreamSnapshot snapshot = stream.Snapshot();
  EXPECT_EQ(ReadAll(snapshot), Sorted(entries));
  EXPECT_EQ(ReadAll(snapshot, Direction::kBackward), Reversed(Sorted(entries)));
}

TEST(StreamHeadTest, DuplicateIsNotStored) {
  StreamHead stream(kBlockBytes);
  EXPECT_TRUE(stream.Append(100, "a", {}));
  EXPECT_TRUE(stream.Append(200, "b", {}));
  EXPECT_TRUE(stream.Contains(100, "a", {}));
  EXPECT_FALSE(stream.Append(100, "a", {}));
  EXPECT_FALSE(stream.Append(200, "b", {}));
  EXPECT_EQ(stream.stats().entries, 2u);
  EXPECT_EQ(ReadAll(stream.Snapshot()), (std::vector<Entry>{{100, "a"}, {200, "b"}}));
}

TEST(StreamHeadTest, SameTimestampOrLineAloneIsNotADuplicate) {
  StreamHead stream(kBlockBytes);
  EXPECT_TRUE(stream.Append(100, "a", {}));
  EXPECT_FALSE(stream.Contains(100, "b", {}));
  EXPECT_FALSE(stream.Contains(101, "a", {}));
  EXPECT_FALSE(stream.Contains(99, "a", {}));
  EXPECT_TRUE(stream.Append(100, "b", {}));
  EXPECT_TRUE(stream.Append(99, "a", {}));
  EXPECT_EQ(stream.stats().entries, 3u);
}

TEST(StreamHeadTest, DifferentMetadataIsNotADuplicate) {
  StreamHead stream(kBlockBytes);
  std::vector<LabelView> one = {{"trace_id", "1"}};
  std::vector<LabelView> two = {{"trace_id", "2"}};
  EXPECT_TRUE(stream.Append(100, "a", one));
  EXPECT_TRUE(stream.Append(100, "a", two));
  EXPECT_TRUE(stream.Append(100, "a", {}));
  EXPECT_FALSE(stream.Append(100, "a", one));
  EXPECT_TRUE(stream.Contains(100, "a", two));
  EXPECT_EQ(stream.stats().entries, 3u);
}

TEST(StreamHeadTest, MetadataIsReturnedInOrder) {
  StreamHead stream(kBlockBytes);
  std::vector<LabelView> metadata = {{"z", "last"}, {"a", "first"}};
  ASSERT_TRUE(stream.Append(5, "line", metadata));
  StreamIterator it = stream.Snapshot().NewIterator(Direction::kForward);
  ASSERT_TRUE(it.Valid());
  std::vector<LabelView> read;
  it.AppendMetadata(&read);
  EXPECT_EQ(read, metadata);
}

TEST(StreamHeadTest, ManyEntriesWithOneTimestampAreDeduplicated) {
  // Second-precision clocks: thousands of lines share a timestamp; the hash set path.
  StreamHead stream(kBlockBytes);
  const int n = 3000;
  for (int i = 0; i < n; ++i) ASSERT_TRUE(stream.Append(7, "same ts " + std::to_string(i), {}));
  for (int i = 0; i < n; i += 7) {
    EXPECT_FALSE(stream.Append(7, "same ts " + std::to_string(i), {})) << i;
    EXPECT_TRUE(stream.Contains(7, "same ts " + std::to_string(i), {})) << i;
  }
  EXPECT_FALSE(stream.Contains(7, "same ts 3000", {}));
  EXPECT_TRUE(stream.Append(7, "same ts 3000", {}));
  EXPECT_FALSE(stream.Append(7, "same ts 3000", {}));
  EXPECT_EQ(stream.stats().entries, static_cast<uint64_t>(n + 1));
}

TEST(StreamHeadTest, DuplicatesAreFoundAcrossTwoLargeTimestampGroups) {
  StreamHead stream(kBlockBytes);
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(stream.Append(1, "a" + std::to_string(i), {}));
    ASSERT_TRUE(stream.Append(2, "b" + std::to_string(i), {}));
  }
  // Alternate between the groups so the hash set is rebuilt each time.
  for (int i = 0; i < 200; ++i) {
    EXPECT_FALSE(stream.Append(1, "a" + std::to_string(i), {}));
    EXPECT_FALSE(stream.Append(2, "b" + std::to_string(i), {}));
    EXPECT_TRUE(stream.Contains(1, "a" + std::to_string(i), {}));
  }
  EXPECT_TRUE(stream.Append(1, "b0", {}));
  EXPECT_EQ(stream.stats().entries, 401u);
}

TEST(StreamHeadTest, SnapshotUnchangedByLaterAppends) {
  StreamHead stream(kBlockBytes);
  std::vector<Entry> entries;
  for (int i = 0; i < 700; ++i) entries.push_back({i * 2, "first " + std::to_string(i)});
  for (const Entry& e : entries) ASSERT_TRUE(stream.Append(e.ts, e.line, {}));
  StreamSnapshot snapshot = stream.Snapshot();
  std::vector<Entry> expected = ReadAll(snapshot);
  // In order, out of order into every leaf (splitting them), and equal timestamps.
  for (int i = 0; i < 700; ++i) {
    ASSERT_TRUE(stream.Append(2000 + i, "later " + std::to_string(i), {}));
    ASSERT_TRUE(stream.Append(i * 2 + 1, "between " + std::to_string(i), {}));
    ASSERT_TRUE(stream.Append(i * 2, "tie " + std::to_string(i), {}));
  }
  EXPECT_EQ(ReadAll(snapshot), expected);
  EXPECT_EQ(snapshot.stats().entries, 700u);
  EXPECT_EQ(stream.stats().entries, 2800u);
  EXPECT_EQ(ReadAll(stream.Snapshot()).size(), 2800u);
}

TEST(StreamHeadTest, EverySnapshotSeesExactlyItsPrefix) {
  StreamHead stream(kBlockBytes);
  std::mt19937_64 rng(11);
  std::vector<Entry> arrived;
  std::vector<std::pair<StreamSnapshot, size_t>> snapshots;
  for (int i = 0; i < 3000; ++i) {
    Entry e{static_cast<int64_t>(rng() % 5000), "x" + std::to_string(i)};
    ASSERT_TRUE(stream.Append(e.ts, e.line, {}));
    arrived.push_back(e);
    if (rng() % 50 == 0) snapshots.emplace_back(stream.Snapshot(), arrived.size());
  }
  ASSERT_GT(snapshots.size(), 10u);
  for (const auto& [snapshot, count] : snapshots) {
    std::vector<Entry> prefix(arrived.begin(), arrived.begin() + static_cast<ptrdiff_t>(count));
    EXPECT_EQ(ReadAll(snapshot), Sorted(prefix)) << count;
  }
}

TEST(StreamHeadTest, SnapshotOutlivesTheStream) {
  StreamSnapshot snapshot;
  StreamIterator it;
  {
    StreamHead stream(kBlockBytes);
    ASSERT_TRUE(stream.Append(1, "kept", {}));
    snapshot = stream.Snapshot();
    it = snapshot.NewIterator(Direction::kForward);
  }
  EXPECT_EQ(ReadAll(snapshot), (std::vector<Entry>{{1, "kept"}}));
  ASSERT_TRUE(it.Valid());
  EXPECT_EQ(it.line(), "kept");
}

TEST(StreamHeadTest, RangeIsHalfOpenInBothDirections) {
  StreamHead stream(kBlockBytes);
  for (int i = 0; i < 600; ++i) ASSERT_TRUE(stream.Append(i, std::to_string(i), {}));
  StreamSnapshot snapshot = stream.Snapshot();
  std::vector<Entry> forward = Read(snapshot, 255, 513);
  ASSERT_EQ(forward.size(), 258u);
  EXPECT_EQ(forward.front().ts, 255);
  EXPECT_EQ(forward.back().ts, 512);
  std::vector<Entry> backward = Read(snapshot, 255, 513, Direction::kBackward);
  EXPECT_EQ(backward, Reversed(forward));
  EXPECT_TRUE(Read(snapshot, 700, 800).empty());
  EXPECT_TRUE(Read(snapshot, -50, 0).empty());
  EXPECT_TRUE(Read(snapshot, 10, 10).empty());
  EXPECT_TRUE(Read(snapshot, 10, 5, Direction::kBackward).empty());
  EXPECT_EQ(Read(snapshot, -50, 1, Direction::kBackward), (std::vector<Entry>{{0, "0"}}));
  EXPECT_TRUE(snapshot.HasEntriesIn(599, 600));
  EXPECT_FALSE(snapshot.HasEntriesIn(600, 700));
}

TEST(StreamHeadTest, HasEntriesInFindsGapsInsideTheTimeRange) {
  StreamHead stream(kBlockBytes);
  ASSERT_TRUE(stream.Append(100, "a", {}));
  ASSERT_TRUE(stream.Append(900, "b", {}));
  EXPECT_FALSE(stream.HasEntriesIn(101, 900));
  EXPECT_TRUE(stream.HasEntriesIn(101, 901));
  EXPECT_TRUE(stream.HasEntriesIn(100, 101));
}

TEST(StreamHeadTest, StatsTrackRangeCountAndBytes) {
  StreamHead stream(kBlockBytes);
  size_t empty_bytes = stream.stats().bytes;
  EXPECT_GT(empty_bytes, 0u);
  ASSERT_TRUE(stream.Append(50, "a", {}));
  ASSERT_TRUE(stream.Append(10, "b", {}));
  ASSERT_TRUE(stream.Append(70, "c", {}));
  EXPECT_EQ(stream.stats().min_ts, 10);
  EXPECT_EQ(stream.stats().max_ts, 70);
  EXPECT_EQ(stream.stats().entries, 3u);
  EXPECT_GT(stream.stats().bytes, empty_bytes);
  StreamSnapshot snapshot = stream.Snapshot();
  EXPECT_EQ(snapshot.stats().min_ts, 10);
  EXPECT_EQ(snapshot.stats().max_ts, 70);
}

TEST(StreamHeadTest, BytesAreLineBytesPlusSmallOverhead) {
  StreamHead stream(size_t{256} << 10);
  const std::string line(120, 'x');
  const int n = 100000;
  for (int i = 0; i < n; ++i) ASSERT_TRUE(stream.Append(i, line, {}));
  double per_entry = static_cast<double>(stream.stats().bytes) / n;
  EXPECT_GE(per_entry, 120.0 + 16.0);
  // 16-byte index entry, 2 bytes of framing, and block slack.
  EXPECT_LT(per_entry, 120.0 + 30.0);
}

TEST(StreamHeadTest, LineLargerThanABlockIsStored) {
  StreamHead stream(kBlockBytes);
  std::string big(3 * kBlockBytes, 'q');
  ASSERT_TRUE(stream.Append(1, "small", {}));
  ASSERT_TRUE(stream.Append(2, big, {}));
  ASSERT_TRUE(stream.Append(3, "", {}));
  EXPECT_FALSE(stream.Append(2, big, {}));
  std::vector<Entry> all = ReadAll(stream.Snapshot());
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[1].line, big);
  EXPECT_EQ(all[2].line, "");
  EXPECT_GE(stream.stats().bytes, 3 * kBlockBytes);
}

}  // namespace
}  // namespace silt::store
