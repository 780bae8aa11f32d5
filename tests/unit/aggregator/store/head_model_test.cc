// Randomized property test: Head against a plain model (vectors and linear scans) of the rules in
// head.h. Random pushes (in order, equal timestamps, late, too old, duplicates, out of range)
// go through Check then Apply; freezes, releases and queries are interleaved. After every step
// the verdicts, stored entries, their order, snapshots taken earlier, sequence bookkeeping and
// counters must match the model.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "aggregator/store/head.h"

namespace silt::store {
namespace {

using labels::LabelSet;
using labels::LabelView;

constexpr int64_t kHour = time::kHour;
constexpr int64_t kWindow = kHour;
constexpr int64_t kT0 = 1'699'999'200'000'000'000;
constexpr int64_t kMinTs = std::numeric_limits<int64_t>::min();
constexpr int64_t kMaxTs = std::numeric_limits<int64_t>::max();
constexpr int kStreams = 3;
const char* const kTenants[] = {"t1", "t2"};

struct Entry {
  int64_t ts = 0;
  std::string line;
  std::string meta;  // one pair {"k", meta} when non-empty
  uint64_t arrival = 0;
  bool SameContent(const Entry& o) const { return ts == o.ts && line == o.line && meta == o.meta; }
};

struct Piece {
  int64_t start = 0;
  uint64_t seq_lo = 0;
  uint64_t seq_hi = 0;
  std::map<int, std::vector<Entry>> streams;      // by stream index, arrival order
  std::shared_ptr<const FrozenPartition> frozen;  // set once frozen
};

struct StreamState {
  int64_t newest = kMinTs;
  int live = 0;
  bool idle = false;
};

struct TenantModel {
  int64_t newest = kMinTs;
  std::vector<Piece> pieces;           // live and frozen
  std::map<int, StreamState> streams;  // forgotten ones are erased
};

LabelSet StreamLabels(int stream) { return LabelSet::Of({{"s", std::to_string(stream)}}); }

std::vector<Entry> SortedStream(const TenantModel& tenant, int stream, int64_t from,
                                int64_t through) {
  std::vector<Entry> out;
  for (const Piece& piece : tenant.pieces) {
    auto it = piece.streams.find(stream);
    if (it == piece.streams.end()) continue;
    for (const Entry& e : it->second) {
      if (e.ts >= from && e.ts < through) out.push_back(e);
    }
  }
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) {
    return a.ts != b.ts ? a.ts < b.ts : a.arrival < b.arrival;
  });
  return out;
}

struct Read {
  int64_t ts;
  std::string line;
  std::string meta;
  friend bool operator==(const Read&, const Read&) = default;
};

std::ostream& operator<<(std::ostream& os, const Read& r) {
  return os << "{" << r.ts - kT0 << ", " << r.line << ", " << r.meta << "}";
}

std::vector<Read> ToReads(const std::vector<Entry>& entries) {
  std::vector<Read> out;
  for (const Entry& e : entries) out.push_back({e.ts, e.line, e.meta});
  return out;
}

template <typename Iterator>
std::vector<Read> Drain(Iterator it) {
  std::vector<Read> out;
  std::vector<LabelView> metadata;
  for (; it.Valid(); it.Next()) {
    metadata.clear();
    it.AppendMetadata(&metadata);
    EXPECT_LE(metadata.size(), 1u);
    out.push_back({it.timestamp(), std::string(it.line()),
                   metadata.empty() ? "" : std::string(metadata[0].value)});
  }
  return out;
}

class HeadModel {
 public:
  explicit HeadModel(uint64_t seed) : rng_(seed) {
    head_ = Head::Create({.out_of_order_window_ns = kWindow, .target_block_bytes = 4096}).value();
    for (auto& cursor : cursors_) cursor = kT0 + static_cast<int64_t>(rng_() % kHour);
  }

  void Run(int steps) {
    for (int step = 0; step < steps && !::testing::Test::HasFatalFailure(); ++step) {
      SCOPED_TRACE("step " + std::to_string(step));
      int op = static_cast<int>(rng_() % 100);
      if (op < 70) {
        Push();
      } else if (op < 78) {
        TakeSnapshot();
      } else if (op < 85) {
        RangeQuery();
      } else if (op < 94) {
        Freeze();
      } else {
        Release();
      }
      VerifyBookkeeping();
    }
    VerifySnapshots();
    // Drain everything: the head must give all its memory back.
    for (int t = 0; t < 2; ++t) {
      while (!model_[t].pieces.empty()) {
        Piece& piece = model_[t].pieces.front();
        if (!piece.frozen) piece.frozen = head_->Freeze({kTenants[t], piece.start});
        ASSERT_NE(piece.frozen, nullptr);
        ASSERT_TRUE(head_->Release(piece.frozen));
        model_[t].pieces.erase(model_[t].pieces.begin());
      }
    }
    EXPECT_EQ(head_->bytes(), 0u);
    EXPECT_EQ(head_->MinUnflushedSequence(), 0u);
  }

 private:
  Entry NewEntry(int stream) {
    Entry e;
    int kind = static_cast<int>(rng_() % 100);
    int64_t& cursor = cursors_[stream];
    if (kind < 55) {
      cursor += static_cast<int64_t>(rng_() % 3) * time::kSecond;  // often equal timestamps
      e.ts = cursor;
    } else if (kind < 75) {
      e.ts = cursor - static_cast<int64_t>(rng_() % (90 * time::kMinute));  // late, maybe too old
    } else if (kind < 90 && !history_[stream].empty()) {
      Entry old = history_[stream][rng_() % history_[stream].size()];  // a duplicate, likely
      return old;
    } else if (kind < 91) {
      e.ts = kMaxTs - static_cast<int64_t>(rng_() % 10);  // out of range
    } else {
      cursor += static_cast<int64_t>(rng_() % 20) * time::kMinute;  // a jump ahead
      e.ts = cursor;
    }
    e.line = "line " + std::to_string(rng_() % 4);
    if (rng_() % 5 == 0) e.meta = "m" + std::to_string(rng_() % 2);
    history_[stream].push_back(e);
    return e;
  }

  Piece* LivePiece(TenantModel& tenant, int64_t start) {
    for (Piece& piece : tenant.pieces) {
      if (piece.start == start && piece.frozen == nullptr) return &piece;
    }
    return nullptr;
  }

  bool StoredInLive(TenantModel& tenant, int stream, const Entry& e) {
    std::optional<PartitionRange> range = PartitionOf(e.ts, kHour);
    Piece* piece = LivePiece(tenant, range->start);
    if (piece == nullptr) return false;
    auto it = piece->streams.find(stream);
    if (it == piece->streams.end()) return false;
    return std::any_of(it->second.begin(), it->second.end(),
                       [&](const Entry& s) { return s.SameContent(e); });
  }

  std::vector<EntryVerdict> ModelCheck(TenantModel& tenant, int stream,
                                       const std::vector<Entry>& batch) {
    std::vector<EntryVerdict> verdicts;
    auto state = tenant.streams.find(stream);
    int64_t newest = state == tenant.streams.end() ? kMinTs : state->second.newest;
    std::vector<const Entry*> accepted;
    for (const Entry& e : batch) {
      if (!PartitionOf(e.ts, kHour)) {
        verdicts.push_back(EntryVerdict::kOutOfRange);
        continue;
      }
      if (e.ts < OldestAcceptableTimestamp(newest, kWindow)) {
        verdicts.push_back(EntryVerdict::kTooOld);
        continue;
      }
      bool duplicate = StoredInLive(tenant, stream, e);
      for (const Entry* a : accepted) duplicate = duplicate || a->SameContent(e);
      if (duplicate) {
        verdicts.push_back(EntryVerdict::kDuplicate);
        continue;
      }
      verdicts.push_back(EntryVerdict::kAccepted);
      accepted.push_back(&e);
      newest = std::max(newest, e.ts);
    }
    return verdicts;
  }

  void ModelApply(TenantModel& tenant, int stream, const std::vector<Entry>& batch, uint64_t seq) {
    for (Entry e : batch) {
      std::optional<PartitionRange> range = PartitionOf(e.ts, kHour);
      if (!range) continue;
      Piece* piece = LivePiece(tenant, range->start);
      if (piece == nullptr) {
        tenant.pieces.push_back(Piece{.start = range->start, .seq_lo = seq});
        piece = &tenant.pieces.back();
      }
      piece->seq_hi = seq;
      StreamState& state = tenant.streams[stream];
      if (!piece->streams.contains(stream)) ++state.live;
      std::vector<Entry>& entries = piece->streams[stream];
      bool duplicate = std::any_of(entries.begin(), entries.end(),
                                   [&](const Entry& s) { return s.SameContent(e); });
      if (duplicate) {
        ++duplicates_;
        continue;
      }
      e.arrival = ++arrival_;
      entries.push_back(e);
      ++applied_;
      state.newest = std::max(state.newest, e.ts);
      tenant.newest = std::max(tenant.newest, e.ts);
    }
  }

  void Push() {
    int t = static_cast<int>(rng_() % 2);
    int stream = static_cast<int>(rng_() % kStreams);
    std::vector<Entry> batch;
    int n = 1 + static_cast<int>(rng_() % 20);
    if (rng_() % 8 == 0) {
      // Many lines on one timestamp (second-precision clocks), some repeated: the hash-set
      // lookup path of StreamHead.
      for (int i = 0; i < n; ++i) {
        Entry e{.ts = cursors_[stream], .line = "burst " + std::to_string(rng_() % 60)};
        history_[stream].push_back(e);
        batch.push_back(e);
      }
    } else {
      for (int i = 0; i < n; ++i) batch.push_back(NewEntry(stream));
    }
    std::vector<LabelView> meta_storage[20];
    std::vector<HeadEntry> entries;
    for (int i = 0; i < n; ++i) {
      if (!batch[i].meta.empty()) meta_storage[i].push_back({"k", batch[i].meta});
      entries.push_back({batch[i].ts, batch[i].line, meta_storage[i]});
    }
    LabelSet labels = StreamLabels(stream);
    CheckResult check = head_->Check(kTenants[t], labels, entries);
    std::vector<EntryVerdict> expected = ModelCheck(model_[t], stream, batch);
    ASSERT_EQ(check.verdicts, expected);
    // The engine applies what Check accepted; sometimes apply everything (as if the window had
    // moved between Check and Apply): Apply must still store too-old entries.
    bool everything = rng_() % 5 == 0;
    std::vector<HeadEntry> to_apply;
    std::vector<Entry> model_batch;
    for (int i = 0; i < n; ++i) {
      if (everything || check.verdicts[i] == EntryVerdict::kAccepted) {
        to_apply.push_back(entries[i]);
        model_batch.push_back(batch[i]);
      }
    }
    if (to_apply.empty()) return;
    uint64_t seq = ++sequence_;
    uint64_t applied_before = applied_;
    uint64_t duplicates_before = duplicates_;
    ModelApply(model_[t], stream, model_batch, seq);
    ApplyStats stats = head_->Apply(kTenants[t], labels, to_apply, seq);
    EXPECT_EQ(stats.appended, applied_ - applied_before);
    EXPECT_EQ(stats.duplicates, duplicates_ - duplicates_before);
  }

  void TakeSnapshot() {
    int t = static_cast<int>(rng_() % 2);
    for (const HeadStream& stream : head_->Select(kTenants[t], {}, kMinTs, kMaxTs)) {
      int index = std::stoi(std::string(*stream.labels().Get("s")));
      snapshots_.push_back({stream, ToReads(SortedStream(model_[t], index, kMinTs, kMaxTs))});
    }
    if (snapshots_.size() > 60) snapshots_.erase(snapshots_.begin(), snapshots_.begin() + 20);
  }

  void RangeQuery() {
    int t = static_cast<int>(rng_() % 2);
    int stream = static_cast<int>(rng_() % kStreams);
    int64_t from = kT0 + static_cast<int64_t>(rng_() % (6 * kHour)) - kHour;
    int64_t through = from + static_cast<int64_t>(rng_() % (3 * kHour));
    Direction direction = rng_() % 2 ? Direction::kForward : Direction::kBackward;
    std::vector<labels::Matcher> matchers = {
        labels::Matcher::Create(labels::MatchType::kEqual, "s", std::to_string(stream)).value()};
    std::vector<HeadStream> found = head_->Select(kTenants[t], matchers, from, through);
    std::vector<Read> expected = ToReads(SortedStream(model_[t], stream, from, through));
    if (direction == Direction::kBackward) std::reverse(expected.begin(), expected.end());
    ASSERT_EQ(found.size(), expected.empty() ? 0u : 1u);
    if (!found.empty()) {
      EXPECT_EQ(Drain(found[0].NewIterator(from, through, direction)), expected);
    }
  }

  void Freeze() {
    int t = static_cast<int>(rng_() % 2);
    TenantModel& tenant = model_[t];
    std::vector<Piece*> live;
    for (Piece& piece : tenant.pieces) {
      if (!piece.frozen) live.push_back(&piece);
    }
    if (live.empty()) return;
    Piece& piece = *live[rng_() % live.size()];
    piece.frozen = head_->Freeze({kTenants[t], piece.start});
    ASSERT_NE(piece.frozen, nullptr);
    EXPECT_EQ(piece.frozen->wal_seq_lo(), piece.seq_lo);
    EXPECT_EQ(piece.frozen->wal_seq_hi(), piece.seq_hi);
    ASSERT_EQ(piece.frozen->streams().size(), piece.streams.size());
    for (const FrozenStream& stream : piece.frozen->streams()) {
      int index = std::stoi(std::string(*stream.labels.Get("s")));
      std::vector<Entry> entries = piece.streams[index];
      std::stable_sort(entries.begin(), entries.end(),
                       [](const Entry& a, const Entry& b) { return a.ts < b.ts; });
      EXPECT_EQ(Drain(stream.data.NewIterator(Direction::kForward)), ToReads(entries));
      StreamState& state = tenant.streams[index];
      if (--state.live == 0) state.idle = true;
    }
    // The head forgets idle streams that fell out of the window (head.cc SweepIdle).
    std::erase_if(tenant.streams, [&](const auto& item) {
      const StreamState& state = item.second;
      return state.idle && state.live == 0 &&
             state.newest <= OldestAcceptableTimestamp(tenant.newest, kWindow);
    });
    for (auto& [index, state] : tenant.streams) {
      if (state.live > 0) state.idle = false;
    }
  }

  void Release() {
    int t = static_cast<int>(rng_() % 2);
    TenantModel& tenant = model_[t];
    std::vector<size_t> frozen;
    for (size_t i = 0; i < tenant.pieces.size(); ++i) {
      if (tenant.pieces[i].frozen) frozen.push_back(i);
    }
    if (frozen.empty()) return;
    size_t index = frozen[rng_() % frozen.size()];
    ASSERT_TRUE(head_->Release(tenant.pieces[index].frozen));
    ASSERT_FALSE(head_->Release(tenant.pieces[index].frozen));
    tenant.pieces.erase(tenant.pieces.begin() + static_cast<ptrdiff_t>(index));
    if (tenant.pieces.empty()) tenant = TenantModel();  // the head forgets the whole tenant
  }

  void VerifyBookkeeping() {
    uint64_t min_seq = 0;
    bool any = false;
    size_t live = 0;
    size_t frozen = 0;
    for (const TenantModel& tenant : model_) {
      for (const Piece& piece : tenant.pieces) {
        min_seq = any ? std::min(min_seq, piece.seq_lo) : piece.seq_lo;
        any = true;
        ++(piece.frozen ? frozen : live);
      }
    }
    ASSERT_EQ(head_->MinUnflushedSequence(), min_seq);
    // The head remembers a stream's newest timestamp exactly as long as the model does: probe
    // with an entry one nanosecond older than the window allows.
    for (int t = 0; t < 2; ++t) {
      for (int stream = 0; stream < kStreams; ++stream) {
        auto state = model_[t].streams.find(stream);
        bool known = state != model_[t].streams.end();
        int64_t probe = known ? state->second.newest - kWindow - 1 : kT0 - 1000 * kHour;
        std::vector<HeadEntry> entries = {{probe, "probe", {}}};
        CheckResult check = head_->Check(kTenants[t], StreamLabels(stream), entries);
        ASSERT_EQ(check.verdicts[0] == EntryVerdict::kTooOld, known)
            << "tenant " << t << " stream " << stream;
      }
    }
    HeadStats stats = head_->stats();
    ASSERT_EQ(stats.live_partitions, live);
    ASSERT_EQ(stats.frozen_partitions, frozen);
    ASSERT_EQ(stats.entries_applied, applied_);
    ASSERT_EQ(stats.duplicates_dropped, duplicates_);
    ASSERT_EQ(stats.bytes > 0, any);
  }

  void VerifySnapshots() {
    for (const auto& [stream, expected] : snapshots_) {
      ASSERT_EQ(Drain(stream.NewIterator(kMinTs, kMaxTs, Direction::kForward)), expected);
    }
  }

  std::mt19937_64 rng_;
  std::unique_ptr<Head> head_;
  TenantModel model_[2];
  int64_t cursors_[kStreams];
  std::vector<Entry> history_[kStreams];
  std::vector<std::pair<HeadStream, std::vector<Read>>> snapshots_;
  uint64_t sequence_ = 0;
  uint64_t arrival_ = 0;
  uint64_t applied_ = 0;
  uint64_t duplicates_ = 0;
};

TEST(HeadModelTest, MatchesModelOverRandomOperations) {
  for (uint64_t seed = 1; seed <= 25; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    HeadModel(seed).Run(1500);
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace silt::store
