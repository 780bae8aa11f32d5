#include "aggregator/store/head.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "aggregator/store/chunk_reader.h"
#include "aggregator/store/chunk_writer.h"
#include "shared/time/fake_clock.h"
#include "tests/unit/aggregator/store/memory_file.h"

namespace silt::store {
namespace {

using labels::LabelSet;
using labels::Matcher;
using labels::MatchType;

constexpr int64_t kHour = time::kHour;
constexpr int64_t kMinute = time::kMinute;
constexpr int64_t kSecond = time::kSecond;
// 2023-11-14T22:00:00Z, a partition start.
constexpr int64_t kT0 = 1'699'999'200'000'000'000;
constexpr int64_t kMinTs = std::numeric_limits<int64_t>::min();
constexpr int64_t kMaxTs = std::numeric_limits<int64_t>::max();

const LabelSet kApi = LabelSet::Of({{"app", "api"}, {"env", "prod"}});
const LabelSet kWeb = LabelSet::Of({{"app", "web"}, {"env", "prod"}});
const LabelSet kDb = LabelSet::Of({{"app", "db"}});

struct Line {
  int64_t ts;
  std::string line;
  friend bool operator==(const Line&, const Line&) = default;
};

std::ostream& operator<<(std::ostream& os, const Line& l) {
  return os << "{" << l.ts << ", \"" << l.line << "\"}";
}

// Owns the line strings behind a batch of HeadEntry views.
class Batch {
 public:
  Batch& Add(int64_t ts, std::string line) {
    lines_.push_back({ts, std::move(line)});
    return *this;
  }
  std::vector<HeadEntry> entries() const {
    std::vector<HeadEntry> out;
    for (const Line& l : lines_) out.push_back({l.ts, l.line, {}});
    return out;
  }

 private:
  std::vector<Line> lines_;
};

std::unique_ptr<Head> NewHead(HeadOptions options = {}) {
  auto head = Head::Create(std::move(options));
  EXPECT_TRUE(head.ok()) << head.status();
  return std::move(head).value();
}

ApplyStats Apply(Head& head, const LabelSet& labels, const Batch& batch, uint64_t seq,
                 std::string_view tenant = "fake") {
  std::vector<HeadEntry> entries = batch.entries();
  return head.Apply(tenant, labels, entries, seq);
}

CheckResult Check(const Head& head, const LabelSet& labels, const Batch& batch,
                  std::string_view tenant = "fake") {
  std::vector<HeadEntry> entries = batch.entries();
  return head.Check(tenant, labels, entries);
}

std::vector<Line> ReadStream(const HeadStream& stream, int64_t from = kMinTs,
                             int64_t through = kMaxTs, Direction dir = Direction::kForward) {
  std::vector<Line> out;
  for (HeadStreamIterator it = stream.NewIterator(from, through, dir); it.Valid(); it.Next()) {
    out.push_back({it.timestamp(), std::string(it.line())});
  }
  return out;
}

// All of one stream's entries in the head of tenant "fake".
std::vector<Line> ReadAll(const Head& head, const LabelSet& labels,
                          Direction dir = Direction::kForward) {
  std::vector<Matcher> matchers;
  for (labels::LabelView label : labels) {
    matchers.push_back(
        Matcher::Create(MatchType::kEqual, std::string(label.name), std::string(label.value))
            .value());
  }
  for (const HeadStream& stream : head.Select("fake", matchers, kMinTs, kMaxTs)) {
    if (stream.labels() == labels) return ReadStream(stream, kMinTs, kMaxTs, dir);
  }
  return {};
}

Matcher Eq(std::string name, std::string value) {
  return Matcher::Create(MatchType::kEqual, std::move(name), std::move(value)).value();
}

TEST(HeadTest, CreateRejectsInvalidOptions) {
  auto head = Head::Create({.partition_ns = 0});
  ASSERT_FALSE(head.ok());
  EXPECT_EQ(head.status().code(), StatusCode::kInvalidArgument);
}

TEST(HeadTest, InOrderEntriesAreAcceptedAndReadable) {
  auto head = NewHead();
  Batch batch;
  batch.Add(kT0 + 1, "a").Add(kT0 + 2, "b").Add(kT0 + 2, "c");
  CheckResult check = Check(*head, kApi, batch);
  EXPECT_EQ(check.accepted, 3u);
  EXPECT_TRUE(check.rejections.empty());
  ApplyStats stats = Apply(*head, kApi, batch, 1);
  EXPECT_EQ(stats.appended, 3u);
  EXPECT_GT(stats.bytes_delta, 0);
  EXPECT_EQ(ReadAll(*head, kApi),
            (std::vector<Line>{{kT0 + 1, "a"}, {kT0 + 2, "b"}, {kT0 + 2, "c"}}));
}

TEST(HeadTest, OutOfOrderWithinWindowIsAccepted) {
  auto head = NewHead();
  ASSERT_EQ(Apply(*head, kApi, Batch().Add(kT0 + 2 * kHour, "newest"), 1).appended, 1u);
  Batch late;
  late.Add(kT0 + 2 * kHour - 30 * kMinute, "30m late").Add(kT0 + kHour, "exactly 1h late");
  CheckResult check = Check(*head, kApi, late);
  EXPECT_EQ(check.verdicts,
            (std::vector<EntryVerdict>{EntryVerdict::kAccepted, EntryVerdict::kAccepted}));
  EXPECT_EQ(Apply(*head, kApi, late, 2).appended, 2u);
  EXPECT_EQ(ReadAll(*head, kApi).front(), (Line{kT0 + kHour, "exactly 1h late"}));
}

TEST(HeadTest, TooOldIsRejectedWithReason) {
  auto head = NewHead();
  ASSERT_EQ(Apply(*head, kApi, Batch().Add(kT0 + 2 * kHour, "newest"), 1).appended, 1u);
  Batch late;
  late.Add(kT0 + kHour - 1, "too old").Add(kT0 + 2 * kHour, "newest");
  CheckResult check = Check(*head, kApi, late);
  EXPECT_EQ(check.verdicts,
            (std::vector<EntryVerdict>{EntryVerdict::kTooOld, EntryVerdict::kDuplicate}));
  ASSERT_EQ(check.rejections.size(), 1u);
  EXPECT_EQ(check.rejections[0].index, 0u);
  EXPECT_EQ(check.rejections[0].reason,
            "entry too far behind, entry timestamp is: 2023-11-14T22:59:59.999999999Z, "
            "oldest acceptable timestamp is: 2023-11-14T23:00:00Z");
  EXPECT_EQ(head->stats().rejected_too_old, 1u);
}

TEST(HeadTest, WindowCountsEarlierEntriesOfTheBatch) {
  auto head = NewHead();
  Batch batch;
  batch.Add(kT0 + 3 * kHour, "jumps ahead").Add(kT0, "now too old").Add(kT0 + 2 * kHour, "ok");
  CheckResult check = Check(*head, kApi, batch);
  EXPECT_EQ(check.verdicts,
            (std::vector<EntryVerdict>{EntryVerdict::kAccepted, EntryVerdict::kTooOld,
                                       EntryVerdict::kAccepted}));
}

TEST(HeadTest, WindowIsPerStream) {
  auto head = NewHead();
  ASSERT_EQ(Apply(*head, kApi, Batch().Add(kT0 + 5 * kHour, "api"), 1).appended, 1u);
  CheckResult check = Check(*head, kWeb, Batch().Add(kT0, "web is a new stream"));
  EXPECT_EQ(check.accepted, 1u);
}

TEST(HeadTest, WindowSpansPartitions) {
  auto head = NewHead();
  ASSERT_EQ(Apply(*head, kApi, Batch().Add(kT0 + kHour + 5 * kSecond, "next hour"), 1).appended,
            1u);
  // Ten seconds behind, in the previous partition: accepted.
  CheckResult check = Check(*head, kApi, Batch().Add(kT0 + kHour - 5 * kSecond, "previous"));
  EXPECT_EQ(check.accepted, 1u);
  // Freezing the newer partition does not forget the stream's newest timestamp.
  ASSERT_NE(head->Freeze({"fake", kT0 + kHour}), nullptr);
  check = Check(*head, kApi, Batch().Add(kT0 - kHour, "two hours behind"));
  EXPECT_EQ(check.verdicts, std::vector<EntryVerdict>{EntryVerdict::kTooOld});
}

TEST(HeadTest, ZeroWindowRejectsEverythingBehindTheNewest) {
  auto head = NewHead({.out_of_order_window_ns = 0});
  ASSERT_EQ(Apply(*head, kApi, Batch().Add(kT0 + 10, "newest"), 1).appended, 1u);
  CheckResult check = Check(*head, kApi, Batch().Add(kT0 + 9, "behind").Add(kT0 + 10, "same"));
  EXPECT_EQ(check.verdicts,
            (std::vector<EntryVerdict>{EntryVerdict::kTooOld, EntryVerdict::kAccepted}));
}

TEST(HeadTest, ApplyAcceptsTooOldBecauseItIsDurable) {
  auto head = NewHead();
  ASSERT_EQ(Apply(*head, kApi, Batch().Add(kT0 + 5 * kHour, "newest"), 1).appended, 1u);
  ApplyStats stats = Apply(*head, kApi, Batch().Add(kT0, "five hours late"), 2);
  EXPECT_EQ(stats.appended, 1u);
  EXPECT_EQ(ReadAll(*head, kApi).front(), (Line{kT0, "five hours late"}));
}

TEST(HeadTest, DuplicateIsDroppedAndCounted) {
  auto head = NewHead();
  Batch batch;
  batch.Add(kT0 + 1, "a").Add(kT0 + 2, "b");
  EXPECT_EQ(Apply(*head, kApi, batch, 1).appended, 2u);
  ApplyStats again = Apply(*head, kApi, batch, 2);
  EXPECT_EQ(again.appended, 0u);
  EXPECT_EQ(again.duplicates, 2u);
  EXPECT_EQ(head->stats().duplicates_dropped, 2u);
  EXPECT_EQ(head->stats().entries_applied, 2u);
  EXPECT_EQ(ReadAll(*head, kApi).size(), 2u);
  // The same line in another stream is not a duplicate.
  EXPECT_EQ(Apply(*head, kWeb, batch, 3).appended, 2u);
}

TEST(HeadTest, CheckMarksDuplicatesOfStoredEntries) {
  auto head = NewHead();
  ASSERT_EQ(Apply(*head, kApi, Batch().Add(kT0 + 1, "a").Add(kT0 + 2, "b"), 1).appended, 2u);
  CheckResult check = Check(*head, kApi, Batch().Add(kT0 + 1, "a").Add(kT0 + 1, "new"));
  EXPECT_EQ(check.verdicts,
            (std::vector<EntryVerdict>{EntryVerdict::kDuplicate, EntryVerdict::kAccepted}));
  EXPECT_EQ(check.duplicates, 1u);
  EXPECT_EQ(check.accepted, 1u);
  EXPECT_TRUE(check.rejections.empty());
}

TEST(HeadTest, CheckMarksDuplicatesWithinTheBatch) {
  auto head = NewHead();
  Batch batch;
  batch.Add(kT0 + 5, "x").Add(kT0 + 9, "y").Add(kT0 + 5, "x").Add(kT0 + 9, "y").Add(kT0 + 9, "z");
  CheckResult check = Check(*head, kApi, batch);
  EXPECT_EQ(check.verdicts,
            (std::vector<EntryVerdict>{EntryVerdict::kAccepted, EntryVerdict::kAccepted,
                                       EntryVerdict::kDuplicate, EntryVerdict::kDuplicate,
                                       EntryVerdict::kAccepted}));
  ApplyStats stats = Apply(*head, kApi, batch, 1);
  EXPECT_EQ(stats.appended, 3u);
  EXPECT_EQ(stats.duplicates, 2u);
}

TEST(HeadTest, CheckFindsExactlyTheInBatchDuplicatesOfRandomBatches) {
  // Few timestamps and few lines, in random order: the duplicates Check reports within a batch
  // are exactly the entries equal to an earlier one (a quadratic reference decides).
  std::mt19937 random(7);
  for (int round = 0; round < 200; ++round) {
    Batch batch;
    std::vector<Line> lines;
    const int size = 1 + static_cast<int>(random() % 40);
    for (int i = 0; i < size; ++i) {
      Line line{kT0 + static_cast<int64_t>(random() % 5), std::string(1, "abc"[random() % 3])};
      batch.Add(line.ts, line.line);
      lines.push_back(line);
    }
    std::vector<EntryVerdict> expected;
    for (size_t i = 0; i < lines.size(); ++i) {
      bool repeat = std::find(lines.begin(), lines.begin() + static_cast<ptrdiff_t>(i),
                              lines[i]) != lines.begin() + static_cast<ptrdiff_t>(i);
      expected.push_back(repeat ? EntryVerdict::kDuplicate : EntryVerdict::kAccepted);
    }
    auto head = NewHead();
    ASSERT_EQ(Check(*head, kApi, batch).verdicts, expected) << "round " << round;
  }
}

TEST(HeadTest, CheckChangesNothing) {
  auto head = NewHead();
  size_t bytes = head->bytes();
  CheckResult check = Check(*head, kApi, Batch().Add(kT0, "a"));
  EXPECT_EQ(check.accepted, 1u);
  EXPECT_EQ(head->bytes(), bytes);
  EXPECT_TRUE(head->Select("fake", {}, kMinTs, kMaxTs).empty());
  EXPECT_EQ(head->MinUnflushedSequence(), 0u);
}

TEST(HeadTest, OutOfRangeTimestampIsRejectedAndDropped) {
  auto head = NewHead();
  Batch batch;
  batch.Add(kMaxTs, "end of time").Add(kT0, "fine");
  CheckResult check = Check(*head, kApi, batch);
  EXPECT_EQ(check.verdicts,
            (std::vector<EntryVerdict>{EntryVerdict::kOutOfRange, EntryVerdict::kAccepted}));
  ASSERT_EQ(check.rejections.size(), 1u);
  EXPECT_NE(check.rejections[0].reason.find("2262-04-11T23:47:16.854775807Z"), std::string::npos)
      << check.rejections[0].reason;
  ApplyStats stats = Apply(*head, kApi, batch, 1);
  EXPECT_EQ(stats.out_of_range, 1u);
  EXPECT_EQ(stats.appended, 1u);
}

TEST(HeadTest, EntriesGoToTheirPartitions) {
  auto head = NewHead();
  Batch batch;
  batch.Add(kT0 + 10, "p0").Add(kT0 + kHour, "p1 start").Add(kT0 + kHour - 1, "p0 end");
  ASSERT_EQ(Apply(*head, kApi, batch, 1).appended, 3u);
  EXPECT_EQ(head->stats().live_partitions, 2u);
  auto p0 = head->Freeze({"fake", kT0});
  auto p1 = head->Freeze({"fake", kT0 + kHour});
  ASSERT_NE(p0, nullptr);
  ASSERT_NE(p1, nullptr);
  EXPECT_EQ(p0->end(), kT0 + kHour);
  EXPECT_EQ(p0->entries(), 2u);
  EXPECT_EQ(p0->min_ts(), kT0 + 10);
  EXPECT_EQ(p0->max_ts(), kT0 + kHour - 1);
  EXPECT_EQ(p1->entries(), 1u);
  EXPECT_EQ(p1->start(), kT0 + kHour);
}

TEST(HeadTest, ApplyRecordsSequenceRangePerPartition) {
  auto head = NewHead();
  ASSERT_EQ(Apply(*head, kApi, Batch().Add(kT0, "a"), 5).appended, 1u);
  ASSERT_EQ(Apply(*head, kWeb, Batch().Add(kT0 + kHour, "b"), 6).appended, 1u);
  ASSERT_EQ(Apply(*head, kWeb, Batch().Add(kT0 + 1, "c"), 9).appended, 1u);
  // A record whose entries are all duplicates still touched the partition.
  ASSERT_EQ(Apply(*head, kApi, Batch().Add(kT0, "a"), 12).duplicates, 1u);
  auto p0 = head->Freeze({"fake", kT0});
  auto p1 = head->Freeze({"fake", kT0 + kHour});
  EXPECT_EQ(p0->wal_seq_lo(), 5u);
  EXPECT_EQ(p0->wal_seq_hi(), 12u);
  EXPECT_EQ(p1->wal_seq_lo(), 6u);
  EXPECT_EQ(p1->wal_seq_hi(), 6u);
}

TEST(HeadTest, MinUnflushedSequenceFollowsFlushes) {
  auto head = NewHead();
  EXPECT_EQ(head->MinUnflushedSequence(), 0u);
  ASSERT_EQ(Apply(*head, kApi, Batch().Add(kT0, "a"), 3).appended, 1u);
  ASSERT_EQ(Apply(*head, kApi, Batch().Add(kT0 + kHour, "b"), 4).appended, 1u);
  EXPECT_EQ(head->MinUnflushedSequence(), 3u);
  auto frozen = head->Freeze({"fake", kT0});
  EXPECT_EQ(head->MinUnflushedSequence(), 3u);  // frozen is not flushed yet
  EXPECT_TRUE(head->Release(frozen));
  EXPECT_EQ(head->MinUnflushedSequence(), 4u);
  EXPECT_TRUE(head->Release(head->Freeze({"fake", kT0 + kHour})));
  EXPECT_EQ(head->MinUnflushedSequence(), 0u);
}

TEST(HeadTest, FrozenPartitionVisibleUntilRelease) {
  auto head = NewHead();
  ASSERT_EQ(Apply(*head, kApi, Batch().Add(kT0 + 1, "a"), 1).appended, 1u);
  auto frozen = head->Freeze({"fake", kT0});
  ASSERT_NE(frozen, nullptr);
  EXPECT_EQ(head->stats().live_partitions, 0u);
  EXPECT_EQ(head->stats().frozen_partitions, 1u);
  EXPECT_EQ(ReadAll(*head, kApi), (std::vector<Line>{{kT0 + 1, "a"}}));
  EXPECT_EQ(head->FrozenPartitions(), std::vector{frozen});
  EXPECT_TRUE(head->Release(frozen));
  EXPECT_TRUE(ReadAll(*head, kApi).empty());
  EXPECT_FALSE(head->Release(frozen));
  // The flusher's reference still reads.
  ASSERT_EQ(frozen->streams().size(), 1u);
  EXPECT_EQ(frozen->streams()[0].labels, kApi);
}

TEST(HeadTest, FreezeUnknownPartitionReturnsNull) {
  auto head = NewHead();
  EXPECT_EQ(head->Freeze({"fake", kT0}), nullptr);
  ASSERT_EQ(Apply(*head, kApi, Batch().Add(kT0, "a"), 1).appended, 1u);
  EXPECT_EQ(head->Freeze({"other", kT0}), nullptr);
  EXPECT_EQ(head->Freeze({"fake", kT0 + kHour}), nullptr);
  ASSERT_NE(head->Freeze({"fake", kT0}), nullptr);
  EXPECT_EQ(head->Freeze({"fake", kT0}), nullptr);  // already frozen
}

TEST(HeadTest, EntriesAfterFreezeStartAFreshPartitionAndMergeInOrder) {
  auto head = NewHead();
  ASSERT_EQ(Apply(*head, kApi, Batch().Add(kT0 + 10, "old 10").Add(kT0 + 30, "old 30"), 1).appended,
            2u);
  auto frozen = head->Freeze({"fake", kT0});
  // The fresh partition does not see the frozen one's entries: the same entry is stored again
  // (it was durable in the WAL; the chunk and the head both hold it until compaction).
  ApplyStats stats = Apply(*head, kApi, Batch().Add(kT0 + 20, "new 20").Add(kT0 + 30, "new 30"), 2);
  EXPECT_EQ(stats.appended, 2u);
  EXPECT_EQ(head->stats().live_partitions, 1u);
  std::vector<Line> expected = {
      {kT0 + 10, "old 10"}, {kT0 + 20, "new 20"}, {kT0 + 30, "old 30"}, {kT0 + 30, "new 30"}};
  EXPECT_EQ(ReadAll(*head, kApi), expected);
  std::reverse(expected.begin(), expected.end());
  EXPECT_EQ(ReadAll(*head, kApi, Direction::kBackward), expected);
  auto second = head->Freeze({"fake", kT0});
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->wal_seq_lo(), 2u);
  EXPECT_EQ(head->FrozenPartitions().size(), 2u);
}

TEST(HeadTest, FrozenPartitionFeedsChunkWriter) {
  auto head = NewHead();
  std::vector<labels::LabelView> metadata = {{"trace_id", "t1"}};
  std::string line = "with metadata";
  std::vector<HeadEntry> entries = {
      {kT0 + 50, "b", {}}, {kT0 + 5, line, metadata}, {kT0 + 50, "c", {}}};
  head->Apply("fake", kWeb, entries, 1);
  head->Apply("fake", kApi, entries, 1);
  auto frozen = head->Freeze({"fake", kT0});
  ASSERT_NE(frozen, nullptr);
  testing::MemoryWritableFile file;
  auto writer = ChunkWriter::Create(&file, {.tenant = frozen->tenant(),
                                            .partition_start = frozen->start(),
                                            .partition_end = frozen->end()})
                    .value();
  std::vector<labels::LabelView> scratch;
  for (const FrozenStream& stream : frozen->streams()) {
    ASSERT_TRUE(writer->BeginStream(stream.labels).ok());
    for (StreamIterator it = stream.data.NewIterator(Direction::kForward); it.Valid(); it.Next()) {
      scratch.clear();
      it.AppendMetadata(&scratch);
      ASSERT_TRUE(writer->Append(it.timestamp(), it.line(), scratch).ok());
    }
    ASSERT_TRUE(writer->EndStream().ok());
  }
  ASSERT_TRUE(writer->Finish(frozen->wal_seq_hi()).ok());
  testing::MemoryRandomAccessFile input(file.contents());
  auto reader = ChunkReader::Open(&input).value();
  EXPECT_EQ(reader->footer().wal_seq_hi, 1u);
  ASSERT_EQ(reader->streams().size(), 2u);
  EXPECT_EQ(reader->streams()[0].labels, kApi);  // sorted by labels
  auto block = reader->ReadBlock(0, 0).value();
  ASSERT_EQ(block->size(), 3u);
  EXPECT_EQ(block->line(0), "with metadata");
  EXPECT_EQ(block->line(1), "b");
  EXPECT_EQ(block->line(2), "c");
  std::vector<labels::LabelView> read;
  block->AppendMetadata(0, &read);
  EXPECT_EQ(read, metadata);
}

TEST(HeadTest, BytesCountFrozenPartitionsUntilRelease) {
  auto head = NewHead();
  EXPECT_EQ(head->bytes(), 0u);
  Batch batch;
  for (int i = 0; i < 1000; ++i) batch.Add(kT0 + i, std::string(100, 'x') + std::to_string(i));
  ApplyStats stats = Apply(*head, kApi, batch, 1);
  size_t bytes = head->bytes();
  EXPECT_EQ(static_cast<int64_t>(bytes), stats.bytes_delta);
  EXPECT_GT(bytes, 100'000u);
  auto frozen = head->Freeze({"fake", kT0});
  EXPECT_EQ(head->bytes(), bytes);
  EXPECT_EQ(head->stats().frozen_bytes, frozen->bytes());
  EXPECT_TRUE(head->Release(frozen));
  EXPECT_EQ(head->bytes(), 0u);
  EXPECT_EQ(head->stats().frozen_bytes, 0u);
}

TEST(HeadTest, OverLimitReportsLargestPartitionsFirst) {
  // Small blocks, so a partition's bytes are close to its line bytes; a 3h window, so the first
  // three partitions are not complete.
  auto head = NewHead({.out_of_order_window_ns = 3 * kHour,
                       .max_bytes = size_t{1} << 20,
                       .target_block_bytes = 4096});
  auto fill = [&](int64_t start, int lines, uint64_t seq) {
    Batch batch;
    for (int i = 0; i < lines; ++i) batch.Add(start + i, std::string(1000, 'a' + i % 26));
    ASSERT_EQ(Apply(*head, kApi, batch, seq).appended, static_cast<size_t>(lines));
  };
  // About 210 KB, 735 KB and 420 KB; no partition is complete yet.
  fill(kT0, 200, 1);
  fill(kT0 + kHour, 700, 2);
  fill(kT0 + 2 * kHour, 400, 3);
  EXPECT_TRUE(head->OverLimit());
  std::vector<FlushCandidate> candidates = head->FlushCandidates();
  ASSERT_EQ(candidates.size(), 1u);  // without the largest, the rest fits
  EXPECT_EQ(candidates[0].key, (PartitionKey{"fake", kT0 + kHour}));
  EXPECT_EQ(candidates[0].reason, FlushReason::kMemory);
  EXPECT_GT(candidates[0].bytes, 700'000u);
  EXPECT_LT(candidates[0].bytes, 800'000u);
  // 840 KB more at 5h: its newest entry completes 0h and 1h; the rest (2h and 5h) is still
  // over the limit, and 5h is the larger.
  fill(kT0 + 5 * kHour, 800, 4);
  candidates = head->FlushCandidates();
  ASSERT_EQ(candidates.size(), 3u);
  EXPECT_EQ(candidates[0].key.start, kT0);
  EXPECT_EQ(candidates[0].reason, FlushReason::kComplete);
  EXPECT_EQ(candidates[1].key.start, kT0 + kHour);
  EXPECT_EQ(candidates[1].reason, FlushReason::kComplete);
  EXPECT_EQ(candidates[2].key.start, kT0 + 5 * kHour);
  EXPECT_EQ(candidates[2].reason, FlushReason::kMemory);
  for (const FlushCandidate& c : candidates) ASSERT_TRUE(head->Release(head->Freeze(c.key)));
  EXPECT_FALSE(head->OverLimit());
  EXPECT_TRUE(head->FlushCandidates().empty());
}

TEST(HeadTest, LowerMemoryTargetFlushesEarlier) {
  auto head = NewHead({.max_bytes = size_t{4} << 20});
  auto fill = [&](int64_t start, int lines, uint64_t seq) {
    Batch batch;
    for (int i = 0; i < lines; ++i) batch.Add(start + i, std::string(1000, 'a' + i % 26));
    ASSERT_EQ(Apply(*head, kApi, batch, seq).appended, static_cast<size_t>(lines));
  };
  fill(kT0, 300, 1);
  fill(kT0 + kHour, 600, 2);
  EXPECT_FALSE(head->OverLimit());
  EXPECT_TRUE(head->FlushCandidates().empty());
  // Below max_bytes (about 0.5 MB and 0.8 MB are held: line blocks grow by doubling), a target
  // of 600 KB names the largest partition only.
  std::vector<FlushCandidate> candidates = head->FlushCandidates(600'000);
  ASSERT_EQ(candidates.size(), 1u);
  EXPECT_EQ(candidates[0].key.start, kT0 + kHour);
  EXPECT_EQ(candidates[0].reason, FlushReason::kMemory);
  EXPECT_EQ(head->FlushCandidates(0).size(), 2u);
}

TEST(HeadTest, LivePartitionsListsEveryLivePartitionOldestFirst) {
  auto head = NewHead();
  Apply(*head, kApi, Batch().Add(kT0 + kHour, "b"), 1, "zeta");
  Apply(*head, kApi, Batch().Add(kT0 + kHour, "b"), 2);
  Apply(*head, kApi, Batch().Add(kT0, "a"), 3);
  EXPECT_EQ(head->LivePartitions(),
            (std::vector<PartitionKey>{{"fake", kT0}, {"fake", kT0 + kHour}, {"zeta", kT0 + kHour}}));
  auto frozen = head->Freeze({"fake", kT0});
  ASSERT_NE(frozen, nullptr);
  EXPECT_EQ(head->LivePartitions(),
            (std::vector<PartitionKey>{{"fake", kT0 + kHour}, {"zeta", kT0 + kHour}}));
}

TEST(HeadTest, CompletePartitionIsAFlushCandidate) {
  auto head = NewHead();
  ASSERT_EQ(Apply(*head, kApi, Batch().Add(kT0 + 1, "a"), 1).appended, 1u);
  ASSERT_EQ(Apply(*head, kApi, Batch().Add(kT0 + 2 * kHour - 1, "b"), 2).appended, 1u);
  EXPECT_TRUE(head->FlushCandidates().empty());
  // Another stream of the tenant moves the tenant's newest timestamp past end + window.
  ASSERT_EQ(Apply(*head, kWeb, Batch().Add(kT0 + 2 * kHour, "c"), 3).appended, 1u);
  std::vector<FlushCandidate> candidates = head->FlushCandidates();
  ASSERT_EQ(candidates.size(), 1u);
  EXPECT_EQ(candidates[0].key, (PartitionKey{"fake", kT0}));
  EXPECT_EQ(candidates[0].reason, FlushReason::kComplete);
  // Other tenants' timestamps do not count.
  ASSERT_EQ(Apply(*head, kApi, Batch().Add(kT0 + 9 * kHour, "d"), 4, "other").appended, 1u);
  EXPECT_EQ(head->FlushCandidates().size(), 1u);
}

TEST(HeadTest, AgedPartitionIsAFlushCandidate) {
  time::FakeClock clock;
  auto head = NewHead({.max_partition_age_ns = 2 * kHour, .clock = &clock});
  ASSERT_EQ(Apply(*head, kApi, Batch().Add(kT0, "a"), 1).appended, 1u);
  clock.Advance(kHour);
  ASSERT_EQ(Apply(*head, kApi, Batch().Add(kT0 + kHour, "b"), 2).appended, 1u);
  EXPECT_TRUE(head->FlushCandidates().empty());
  clock.Advance(kHour);
  std::vector<FlushCandidate> candidates = head->FlushCandidates();
  ASSERT_EQ(candidates.size(), 1u);
  EXPECT_EQ(candidates[0].key.start, kT0);
  EXPECT_EQ(candidates[0].reason, FlushReason::kAged);
}

TEST(HeadTest, SelectMatchesLabelsAndTimeRange) {
  auto head = NewHead();
  Apply(*head, kApi, Batch().Add(kT0 + 10, "api"), 1);
  Apply(*head, kWeb, Batch().Add(kT0 + 20, "web"), 2);
  Apply(*head, kDb, Batch().Add(kT0 + 3 * kHour, "db"), 3);
  std::vector<Matcher> prod = {Eq("env", "prod")};
  std::vector<HeadStream> streams = head->Select("fake", prod, kT0, kT0 + kHour);
  ASSERT_EQ(streams.size(), 2u);
  EXPECT_EQ(streams[0].labels(), kApi);  // sorted by labels
  EXPECT_EQ(streams[1].labels(), kWeb);
  EXPECT_EQ(ReadStream(streams[1]), (std::vector<Line>{{kT0 + 20, "web"}}));
  std::vector<Matcher> regex = {Matcher::Create(MatchType::kRegexMatch, "app", "api|db").value()};
  streams = head->Select("fake", regex, kT0, kT0 + 4 * kHour);
  ASSERT_EQ(streams.size(), 2u);
  EXPECT_EQ(streams[0].labels(), kApi);
  EXPECT_EQ(streams[1].labels(), kDb);
  // Through is exclusive; a range with no entries selects nothing.
  EXPECT_TRUE(head->Select("fake", prod, kT0, kT0 + 10).empty());
  EXPECT_EQ(head->Select("fake", prod, kT0, kT0 + 11).size(), 1u);
  EXPECT_TRUE(head->Select("fake", {}, kT0 + 30, kT0 + 3 * kHour).empty());
}

TEST(HeadTest, EmptyMatcherValueSelectsStreamsWithoutTheLabel) {
  auto head = NewHead();
  Apply(*head, kApi, Batch().Add(kT0, "api"), 1);
  Apply(*head, kDb, Batch().Add(kT0, "db"), 2);
  std::vector<Matcher> no_env = {Eq("env", "")};
  std::vector<HeadStream> streams = head->Select("fake", no_env, kMinTs, kMaxTs);
  ASSERT_EQ(streams.size(), 1u);
  EXPECT_EQ(streams[0].labels(), kDb);
}

TEST(HeadTest, SelectIteratesARangeBackward) {
  auto head = NewHead();
  Batch batch;
  for (int i = 0; i < 10; ++i) batch.Add(kT0 + i, "l" + std::to_string(i));
  Apply(*head, kApi, batch, 1);
  std::vector<HeadStream> streams = head->Select("fake", {}, kT0 + 3, kT0 + 6);
  ASSERT_EQ(streams.size(), 1u);
  EXPECT_EQ(ReadStream(streams[0], kT0 + 3, kT0 + 6, Direction::kBackward),
            (std::vector<Line>{{kT0 + 5, "l5"}, {kT0 + 4, "l4"}, {kT0 + 3, "l3"}}));
  EXPECT_EQ(streams[0].entries(), 10u);
}

TEST(HeadTest, SnapshotUnchangedByLaterAppends) {
  auto head = NewHead();
  Apply(*head, kApi, Batch().Add(kT0 + 10, "a").Add(kT0 + 30, "c"), 1);
  std::vector<HeadStream> before = head->Select("fake", {}, kMinTs, kMaxTs);
  Apply(*head, kApi, Batch().Add(kT0 + 20, "b").Add(kT0 + 40, "d"), 2);
  auto frozen = head->Freeze({"fake", kT0});
  ASSERT_TRUE(head->Release(frozen));
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(ReadStream(before[0]), (std::vector<Line>{{kT0 + 10, "a"}, {kT0 + 30, "c"}}));
}

TEST(HeadTest, LabelNamesAndValuesCoverStreamsWithDataInRange) {
  auto head = NewHead();
  Apply(*head, kApi, Batch().Add(kT0, "x"), 1);
  Apply(*head, kWeb, Batch().Add(kT0, "x"), 2);
  Apply(*head, LabelSet::Of({{"app", "old"}, {"zone", "a"}}), Batch().Add(kT0 - 2 * kHour, "x"), 3);
  EXPECT_EQ(head->LabelNames("fake", {}, kT0, kT0 + kHour),
            (std::vector<std::string>{"app", "env"}));
  EXPECT_EQ(head->LabelNames("fake", {}, kMinTs, kMaxTs),
            (std::vector<std::string>{"app", "env", "zone"}));
  EXPECT_EQ(head->LabelValues("fake", "app", {}, kMinTs, kMaxTs),
            (std::vector<std::string>{"api", "old", "web"}));
  std::vector<Matcher> web = {Eq("app", "web")};
  EXPECT_EQ(head->LabelValues("fake", "app", web, kMinTs, kMaxTs),
            (std::vector<std::string>{"web"}));
  EXPECT_TRUE(head->LabelValues("fake", "missing", {}, kMinTs, kMaxTs).empty());
  EXPECT_EQ(head->Series("fake", {}, kT0, kT0 + 1), (std::vector<LabelSet>{kApi, kWeb}));
}

TEST(HeadTest, TenantsAreIsolated) {
  auto head = NewHead();
  Apply(*head, kApi, Batch().Add(kT0, "tenant a"), 1, "a");
  Apply(*head, kApi, Batch().Add(kT0 + 5 * kHour, "tenant b"), 2, "b");
  // b's newest timestamp does not make a's entry too old, nor a duplicate.
  CheckResult check = Check(*head, kApi, Batch().Add(kT0, "tenant b"), "a");
  EXPECT_EQ(check.accepted, 1u);
  std::vector<HeadStream> a = head->Select("a", {}, kMinTs, kMaxTs);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(ReadStream(a[0]), (std::vector<Line>{{kT0, "tenant a"}}));
  EXPECT_TRUE(head->Select("c", {}, kMinTs, kMaxTs).empty());
}

TEST(HeadTest, ReleasingEverythingReturnsBytesToZero) {
  auto head = NewHead();
  for (uint64_t seq = 1; seq <= 20; ++seq) {
    LabelSet labels = LabelSet::Of({{"n", std::to_string(seq % 4)}});
    Apply(*head, labels, Batch().Add(kT0 + static_cast<int64_t>(seq) * 20 * kMinute, "x"), seq,
          seq % 2 ? "odd" : "even");
  }
  EXPECT_GT(head->bytes(), 0u);
  for (const std::string tenant : {"odd", "even"}) {
    for (int64_t start = kT0; start < kT0 + 8 * kHour; start += kHour) {
      if (auto frozen = head->Freeze({tenant, start})) {
        ASSERT_TRUE(head->Release(frozen));
      }
    }
  }
  EXPECT_EQ(head->bytes(), 0u);
  EXPECT_EQ(head->MinUnflushedSequence(), 0u);
}

TEST(HeadTest, ConcurrentApplyAndSelectSeeConsistentSnapshots) {
  auto head = NewHead();
  constexpr int kBatches = 400;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int b = 0; b < kBatches; ++b) {
      Batch batch;
      // Each batch: ten in-order entries and one a little behind.
      for (int i = 0; i < 10; ++i) batch.Add(kT0 + b * 100 + i * 10, "b" + std::to_string(b));
      batch.Add(kT0 + b * 100 - 55, "late" + std::to_string(b));
      Apply(*head, kApi, batch, static_cast<uint64_t>(b + 1));
      if (b % 50 == 49) head->Release(head->Freeze({"fake", kT0}));
    }
    done = true;
  });
  int checked = 0;
  while (!done || checked == 0) {
    for (const HeadStream& stream : head->Select("fake", {}, kMinTs, kMaxTs)) {
      std::vector<Line> lines = ReadStream(stream);
      ASSERT_EQ(lines.size(), stream.entries());
      for (size_t i = 1; i < lines.size(); ++i) ASSERT_LE(lines[i - 1].ts, lines[i].ts);
      ++checked;
    }
  }
  writer.join();
  EXPECT_GT(checked, 0);
}

}  // namespace
}  // namespace silt::store
