// Power-loss test of the storage engine (issue 3): the engine runs on a FaultInjectionFileSystem
// over a temp dir; at a random point the "power goes" (every further file system call fails, the
// engine is torn down, and everything not synced is dropped), and the engine is started again on
// what is left, cycle after cycle on the same directory. After every restart:
//  - the restart succeeds (also when power went during the previous restart);
//  - every acknowledged entry is there exactly once, every entry that was sent but not
//    acknowledged at most once, nothing else; an unacknowledged entry found missing never comes
//    back and one found present never goes away (it was durable);
//  - the agent then resends everything it has not seen acknowledged (as after a reconnect) and
//    the engine must count exactly the lines it holds as redelivered.
// Writes are agent batches with source ranges (the dedup path) and Loki-style pushes without.
//
// Two variants: kDriven (one thread, background flusher off, a fake clock; the test flushes and
// moves time at random points, and sometimes makes one chosen call fail first, FailNth: the run
// is reproducible from the seed) and kConcurrent (an agent thread and a Loki thread push while
// the background flusher flushes, checkpoints and deletes segments under a small head; power goes
// after a random number of acknowledgements, in the middle of whatever runs).
//
// Environment: SILT_POWER_LOSS_CYCLES=<n> (default 200 per variant), SILT_POWER_LOSS_SEED=<n>
// (default random; printed, and named in every failure).
//
// In-process on purpose: only the fault-injecting file system can drop unsynced data, and it
// lives in the process that writes. It sits here beside the crash test rather than in the unit
// tests because it is a long randomised acceptance run, not one failure mode.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "aggregator/engine/storage_engine.h"
#include "shared/fs/fault_injection_file_system.h"
#include "shared/fs/posix_file_system.h"
#include "shared/time/clock.h"
#include "shared/time/fake_clock.h"
#include "tests/integration/aggregator/engine_crash_workload.h"
#include "tests/integration/aggregator/power_cut_file_system.h"
#include "tests/support/sanitizers.h"
#include "tests/support/temp_dir.h"

namespace silt::engine::crash {
namespace {

constexpr int kAgentSources = 3;  // one agent, sources 0..2 of the crash workload
constexpr int kLokiStreams = 2;
constexpr std::string_view kAgent = "edge-1";
constexpr size_t kLokiLineBytes = 80;

enum class Variant { kDriven, kConcurrent };

uint64_t EnvNumber(const char* name, uint64_t fallback) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return fallback;
  return std::strtoull(value, nullptr, 10);
}

labels::LabelSet LokiLabels(int stream) {
  return labels::LabelSet::Of({{"job", "loki"}, {"stream", "l" + std::to_string(stream)}});
}

// "loki l<stream> n<id, 10 digits> " and padding, kLokiLineBytes in all.
std::string LokiLine(int stream, uint64_t id) {
  char head[40];
  int n = std::snprintf(head, sizeof(head), "loki l%d n%010llu ", stream,
                        static_cast<unsigned long long>(id));
  std::string line(head, static_cast<size_t>(n));
  for (uint64_t x = id * 2654435761u + static_cast<uint64_t>(stream); line.size() < kLokiLineBytes;
       x = x * 6364136223846793005u + 1442695040888963407u) {
    line.push_back(static_cast<char>('a' + (x >> 59)));
  }
  return line;
}

bool ParseLokiLine(std::string_view line, int* stream, uint64_t* id) {
  int s = -1;
  unsigned long long value = 0;
  if (line.size() != kLokiLineBytes ||
      std::sscanf(std::string(line).c_str(), "loki l%d n%llu ", &s, &value) != 2) {
    return false;
  }
  *stream = s;
  *id = value;
  return s >= 0 && s < kLokiStreams && line == LokiLine(s, value);
}

// What the clients know: which entries were acknowledged, which were sent without an answer,
// and what a restart showed. Guarded by the owner's mutex in the concurrent variant.
struct Model {
  enum class Fate : uint8_t { kMust, kMaybe, kNever };  // exactly once / at most once / never
  struct Source {
    uint64_t acked = 0;  // lines 0 .. acked-1 acknowledged
    uint64_t sent = 0;   // lines acked .. sent-1 sent without an acknowledgement
    uint64_t next = 0;   // where the next batch starts (acked after a failed push)
    int64_t last_ts = 0;
  };
  Source sources[kAgentSources];
  std::vector<Fate> loki;  // by id
  std::vector<int> loki_stream;
  int64_t loki_last_ts[kLokiStreams] = {};
  uint64_t acks = 0;
};

struct Counters {
  uint64_t cuts_during_work = 0;     // the power went inside a push or flush
  uint64_t cuts_during_restart = 0;  // ... inside recovery
  uint64_t pushes_ok = 0;
  uint64_t pushes_failed = 0;
  uint64_t redelivered = 0;
  uint64_t maybe_present = 0;  // unacknowledged entries a restart showed
  uint64_t maybe_missing = 0;
  uint64_t faults_armed = 0;
};

// The calls the driven variant fails once (FailNth) before the power goes.
constexpr fs::Op kFaultOps[] = {fs::Op::kOpen,      fs::Op::kWrite,   fs::Op::kSync,
                                fs::Op::kClose,     fs::Op::kRename,  fs::Op::kDelete,
                                fs::Op::kCreateDir, fs::Op::kSyncDir, fs::Op::kStat,
                                fs::Op::kRead,      fs::Op::kListDir, fs::Op::kTruncate};

class PowerLossRun {
 public:
  PowerLossRun(Variant variant, uint64_t seed)
      : variant_(variant), rng_(seed), faults_(&posix_), cut_fs_(&faults_) {}
  ~PowerLossRun() { engine_.reset(); }  // before the file system

  uint64_t Uniform(uint64_t lo, uint64_t hi) {
    return std::uniform_int_distribution<uint64_t>(lo, hi)(rng_);
  }

  EngineOptions Options() {
    EngineOptions options;
    options.fs = &cut_fs_;
    options.data_dir = dir_.Path("data");
    options.wal_segment_bytes = 16 << 10;
    options.head.max_bytes = size_t{1} << 20;
    options.head.partition_ns = kPartitionNs;
    options.head.out_of_order_window_ns = 2 * kPartitionNs;
    options.head.target_block_bytes = 4 << 10;
    options.chunk.target_block_size = 8 << 10;
    if (variant_ == Variant::kDriven) {
      options.clock = &fake_clock_;
      options.background_flush = false;
      options.head.max_partition_age_ns = 30 * kSecondNs;
    } else {
      options.clock = &system_clock_;
      options.background_flush = true;
      options.flush_check_interval_ns = kSecondNs / 500;
      options.head.max_partition_age_ns = kSecondNs / 50;
      options.head.max_bytes = size_t{1} << 20;
      options.flush_watermark = 0.2;
    }
    return options;
  }

  // Opens the engine; sometimes power goes during the restart first (at a random call that
  // changes files; everything unsynced is dropped). The final open must succeed.
  ::testing::AssertionResult Open() {
    if (Uniform(0, 5) == 0) {
      cut_fs_.CutAt(Uniform(1, 12));
      auto opened = StorageEngine::Open(Options());
      if (opened.ok()) engine_ = std::move(*opened);
      cut_fs_.Disarm();
      if (cut_fs_.fired()) {
        ++counters_.cuts_during_restart;
        auto lost = PowerLoss();
        if (!lost) return lost;
      }
    }
    if (!engine_) {
      auto opened = StorageEngine::Open(Options());
      if (!opened.ok()) {
        return ::testing::AssertionFailure() << "restart failed: " << opened.status();
      }
      engine_ = std::move(*opened);
    }
    const EngineRecovery& recovery = engine_->recovery();
    if (recovery.chunks.corrupt_chunks != 0 || recovery.undecodable_records != 0) {
      std::string what;
      for (const std::string& problem : recovery.chunks.problems) what += "\n  " + problem;
      for (const std::string& problem : recovery.problems) what += "\n  " + problem;
      return ::testing::AssertionFailure()
             << "recovery found " << recovery.chunks.corrupt_chunks << " corrupt chunks and "
             << recovery.undecodable_records << " undecodable records after a power loss:" << what;
    }
    return ::testing::AssertionSuccess();
  }

  // Power goes: every call fails from now on, the engine dies, unsynced data is dropped.
  ::testing::AssertionResult PowerLoss() {
    faults_.FailAllOperations(true);
    engine_.reset();
    faults_.ClearFaults();
    Status dropped = faults_.DropUnsyncedData();
    if (!dropped.ok()) return ::testing::AssertionFailure() << "power loss: " << dropped;
    return ::testing::AssertionSuccess();
  }

  int64_t Now() const {
    return variant_ == Variant::kDriven ? fake_clock_.WallNanos() : system_clock_.WallNanos();
  }

  // One agent batch over 1..3 sources, sometimes starting before the acknowledged offset.
  // Whether it was acknowledged.
  bool PushAgentBatch() {
    PushRequest request;
    request.tenant = std::string(kTenant);
    request.agent_id = std::string(kAgent);
    std::vector<std::string> texts;
    struct Part {
      int source;
      uint64_t first, count;
    };
    std::vector<Part> parts;
    uint64_t below_ack = 0;
    {
      std::lock_guard lock(mu_);
      uint64_t mask = Uniform(1, (1u << kAgentSources) - 1);
      for (int s = 0; s < kAgentSources; ++s) {
        if ((mask & (1u << s)) == 0) continue;
        Model::Source& source = model_.sources[s];
        uint64_t first = source.next;
        if (Uniform(0, 9) == 0) first -= std::min<uint64_t>(first, Uniform(1, 20));
        parts.push_back({s, first, Uniform(1, 40)});
      }
      size_t total = 0;
      for (const Part& part : parts) total += part.count;
      texts.reserve(total);
      for (const Part& part : parts) {
        Model::Source& source = model_.sources[part.source];
        PushStream stream{StreamLabels(part.source), {}};
        for (uint64_t k = 0; k < part.count; ++k) {
          uint64_t index = part.first + k;
          texts.push_back(Line(part.source, index));
          source.last_ts = std::max(Now(), source.last_ts + 1);
          PushEntry entry;
          entry.timestamp = source.last_ts;
          entry.line = texts.back();
          entry.source = static_cast<uint32_t>(request.sources.size());
          entry.end_offset = (index + 1) * kLineBytes;
          below_ack += index < source.acked;
          stream.entries.push_back(entry);
        }
        request.sources.push_back({SourceId(part.source), part.first * kLineBytes,
                                   (part.first + part.count) * kLineBytes});
        request.streams.push_back(std::move(stream));
        source.sent = std::max(source.sent, part.first + part.count);
        source.next = part.first + part.count;
      }
    }
    const size_t total = request.EntryCount();
    Result<PushOutcome> outcome = engine_->PushSync(std::move(request));
    std::lock_guard lock(mu_);
    if (!outcome.ok()) {
      ++counters_.pushes_failed;
      for (const Part& part : parts) {
        Model::Source& source = model_.sources[part.source];
        source.next = source.acked;  // the agent resends what was not acknowledged
      }
      return false;
    }
    ++counters_.pushes_ok;
    ++model_.acks;
    if (outcome->rejected != 0 || outcome->accepted + outcome->redelivered != total ||
        outcome->redelivered < below_ack) {
      AddProblem("agent batch of " + std::to_string(total) + " lines (" +
                 std::to_string(below_ack) + " below the acknowledged offsets): accepted " +
                 std::to_string(outcome->accepted) + ", redelivered " +
                 std::to_string(outcome->redelivered) + ", rejected " +
                 std::to_string(outcome->rejected));
    }
    for (const Part& part : parts) {
      Model::Source& source = model_.sources[part.source];
      source.acked = std::max(source.acked, part.first + part.count);
    }
    return true;
  }

  // One Loki-style push: 1..2 streams of 1..30 entries, no sources. Whether it was acknowledged.
  bool PushLoki() {
    PushRequest request;
    request.tenant = std::string(kTenant);
    std::vector<std::string> texts;
    std::vector<uint64_t> ids;
    {
      std::lock_guard lock(mu_);
      uint64_t mask = Uniform(1, (1u << kLokiStreams) - 1);
      std::vector<std::pair<int, uint64_t>> plan;
      for (int s = 0; s < kLokiStreams; ++s) {
        if (mask & (1u << s)) plan.emplace_back(s, Uniform(1, 30));
      }
      size_t total = 0;
      for (const auto& [s, n] : plan) total += n;
      texts.reserve(total);
      for (const auto& [s, n] : plan) {
        PushStream stream{LokiLabels(s), {}};
        for (uint64_t k = 0; k < n; ++k) {
          uint64_t id = model_.loki.size();
          model_.loki.push_back(Model::Fate::kMaybe);
          model_.loki_stream.push_back(s);
          ids.push_back(id);
          texts.push_back(LokiLine(s, id));
          model_.loki_last_ts[s] = std::max(Now(), model_.loki_last_ts[s] + 1);
          stream.entries.push_back({model_.loki_last_ts[s], texts.back(), {}});
        }
        request.streams.push_back(std::move(stream));
      }
    }
    const size_t total = request.EntryCount();
    Result<PushOutcome> outcome = engine_->PushSync(std::move(request));
    std::lock_guard lock(mu_);
    if (!outcome.ok()) {
      ++counters_.pushes_failed;
      return false;
    }
    ++counters_.pushes_ok;
    ++model_.acks;
    if (outcome->accepted != total) {
      AddProblem("Loki push of " + std::to_string(total) + " entries: accepted " +
                 std::to_string(outcome->accepted) + ", rejected " +
                 std::to_string(outcome->rejected));
    }
    for (uint64_t id : ids) model_.loki[id] = Model::Fate::kMust;
    return true;
  }

  // The driven variant: random pushes, flushes and clock moves, perhaps one injected failure,
  // and the power cut at a random call that changes files (or after the last step).
  void DrivenOps() {
    uint64_t ops = Uniform(1, 40);
    cut_fs_.CutAt(Uniform(1, 3 * ops + 30));
    bool armed = false;
    for (uint64_t i = 0; i < ops && !cut_fs_.fired(); ++i) {
      uint64_t pick = Uniform(0, 99);
      if (pick < 40) {
        PushAgentBatch();
      } else if (pick < 70) {
        PushLoki();
      } else if (pick < 78) {
        engine_->Flush(StorageEngine::FlushScope::kDue).IgnoreError();  // may hit a fault
      } else if (pick < 82) {
        engine_->Flush(StorageEngine::FlushScope::kAll).IgnoreError();
      } else if (pick < 97) {
        fake_clock_.Advance(static_cast<int64_t>(Uniform(0, 90)) * kSecondNs);
      } else if (!armed) {
        // One call fails (an I/O error the engine must survive or stop on), then work goes on.
        armed = true;
        ++counters_.faults_armed;
        faults_.FailNth(kFaultOps[Uniform(0, std::size(kFaultOps) - 1)], Uniform(1, 8));
      }
    }
    if (cut_fs_.fired()) ++counters_.cuts_during_work;
    cut_fs_.Disarm();
  }

  // The concurrent variant: an agent thread and a Loki thread push while the flusher runs;
  // power goes after a random number of acknowledgements.
  void ConcurrentOps() {
    uint64_t target, start;
    {
      std::lock_guard lock(mu_);
      target = Uniform(1, 60);
      start = model_.acks;
    }
    std::atomic<bool> stop{false};
    auto pusher = [&](bool agent) {
      while (!stop) {
        bool ok = agent ? PushAgentBatch() : PushLoki();
        if (!ok) std::this_thread::yield();  // head full: the flusher catches up
        std::lock_guard lock(mu_);
        if (model_.acks - start >= target) acked_enough_.notify_all();
      }
    };
    std::thread agent_thread(pusher, true);
    std::thread loki_thread(pusher, false);
    {
      std::unique_lock lock(mu_);
      acked_enough_.wait(lock, [&] { return model_.acks - start >= target; });
    }
    faults_.FailAllOperations(true);  // power goes now, in the middle of whatever runs
    stop = true;
    agent_thread.join();
    loki_thread.join();
  }

  // Reads everything back and checks it against the model; then settles the model (found
  // entries are durable, missing ones are gone for good).
  ::testing::AssertionResult Verify() {
    std::lock_guard lock(mu_);
    std::string failures = TakeProblems();
    std::vector<std::vector<uint32_t>> agent_copies(kAgentSources);
    std::vector<uint32_t> loki_copies(model_.loki.size(), 0);
    std::vector<std::string> foreign;
    auto read = [&](const std::vector<labels::Matcher>& matchers, auto on_line) -> Status {
      auto selected = engine_->Select(kTenant, matchers, INT64_MIN, INT64_MAX);
      if (!selected.ok()) return selected.status();
      for (const StreamSelection& stream : *selected) {
        auto it = stream.NewIterator(INT64_MIN, INT64_MAX, store::Direction::kForward);
        for (; it.Valid(); it.Next()) on_line(it.line());
        if (it.problems().blocks_failed != 0) {
          return Status::IOError(std::to_string(it.problems().blocks_failed) +
                                 " blocks failed: " + it.problems().first_error.ToString());
        }
      }
      return Status::Ok();
    };
    auto job = [](const char* name) {
      return *labels::Matcher::Create(labels::MatchType::kEqual, "job", name);
    };
    Status agent_read = read({job("crash")}, [&](std::string_view line) {
      int source = -1;
      uint64_t index = 0;
      if (!ParseLine(line, &source, &index) || source >= kAgentSources ||
          index >= model_.sources[source].sent || line != Line(source, index)) {
        foreign.emplace_back(line);
        return;
      }
      auto& copies = agent_copies[source];
      if (copies.size() <= index) copies.resize(index + 1, 0);
      ++copies[index];
    });
    Status loki_read = read({job("loki")}, [&](std::string_view line) {
      int stream = -1;
      uint64_t id = 0;
      if (!ParseLokiLine(line, &stream, &id) || id >= model_.loki.size() ||
          model_.loki_stream[id] != stream) {
        foreign.emplace_back(line);
        return;
      }
      ++loki_copies[id];
    });
    if (!agent_read.ok()) failures += "reading agent streams: " + agent_read.ToString() + "\n";
    if (!loki_read.ok()) failures += "reading Loki streams: " + loki_read.ToString() + "\n";
    for (size_t i = 0; i < foreign.size() && i < 3; ++i) {
      failures += "a line nobody sent or of the wrong stream: '" + foreign[i] + "'\n";
    }

    for (int s = 0; s < kAgentSources; ++s) {
      Model::Source& source = model_.sources[s];
      auto& copies = agent_copies[s];
      copies.resize(source.sent, 0);
      std::vector<uint64_t> lost, twice;
      for (uint64_t i = 0; i < source.sent; ++i) {
        if (copies[i] > 1) twice.push_back(i);
        if (i < source.acked && copies[i] == 0) lost.push_back(i);
      }
      std::string where = "agent source " + std::to_string(s) + " (acknowledged " +
                          std::to_string(source.acked) + " lines, sent " +
                          std::to_string(source.sent) + "): ";
      if (!lost.empty()) failures += where + "acknowledged lines lost: " + Few(lost) + "\n";
      if (!twice.empty()) failures += where + "lines stored twice: " + Few(twice) + "\n";
    }
    std::vector<uint64_t> loki_lost, loki_twice, loki_back;
    for (uint64_t id = 0; id < model_.loki.size(); ++id) {
      Model::Fate fate = model_.loki[id];
      if (loki_copies[id] > 1) loki_twice.push_back(id);
      if (fate == Model::Fate::kMust && loki_copies[id] == 0) loki_lost.push_back(id);
      if (fate == Model::Fate::kNever && loki_copies[id] != 0) loki_back.push_back(id);
    }
    if (!loki_lost.empty()) failures += "acknowledged Loki entries lost: " + Few(loki_lost) + "\n";
    if (!loki_twice.empty()) failures += "Loki entries stored twice: " + Few(loki_twice) + "\n";
    if (!loki_back.empty()) {
      failures +=
          "Loki entries missing after an earlier restart came back: " + Few(loki_back) + "\n";
    }
    if (!failures.empty()) {
      const EngineRecovery& recovery = engine_->recovery();
      return ::testing::AssertionFailure()
             << failures << "recovery: " << recovery.wal.Summary() << "; "
             << recovery.records_applied << " records replayed, "
             << recovery.entries_already_in_chunks << " entries already in chunks, "
             << recovery.chunks.chunks << " chunks";
    }
    // Settle: what a restart showed is durable; what it did not show is gone.
    for (uint64_t id = 0; id < model_.loki.size(); ++id) {
      if (model_.loki[id] != Model::Fate::kMaybe) continue;
      model_.loki[id] = loki_copies[id] != 0 ? Model::Fate::kMust : Model::Fate::kNever;
      ++(loki_copies[id] != 0 ? counters_.maybe_present : counters_.maybe_missing);
    }
    for (int s = 0; s < kAgentSources; ++s) {
      Model::Source& source = model_.sources[s];
      present_[s] = 0;
      for (uint64_t i = source.acked; i < source.sent; ++i) present_[s] += agent_copies[s][i];
      counters_.maybe_present += present_[s];
      counters_.maybe_missing += source.sent - source.acked - present_[s];
    }
    return ::testing::AssertionSuccess();
  }

  // After a restart, the agent resends every line it sent without an acknowledgement, one
  // batch per source; the engine must count exactly those it holds (Verify's present_) as
  // redelivered.
  ::testing::AssertionResult ResendUnacknowledged() {
    std::lock_guard lock(mu_);
    for (int s = 0; s < kAgentSources; ++s) {
      Model::Source& source = model_.sources[s];
      if (source.sent == source.acked) continue;
      PushRequest request;
      request.tenant = std::string(kTenant);
      request.agent_id = std::string(kAgent);
      request.sources.push_back({SourceId(s), source.acked * kLineBytes, source.sent * kLineBytes});
      std::vector<std::string> texts;
      texts.reserve(source.sent - source.acked);
      PushStream stream{StreamLabels(s), {}};
      for (uint64_t i = source.acked; i < source.sent; ++i) {
        texts.push_back(Line(s, i));
        source.last_ts = std::max(Now(), source.last_ts + 1);
        stream.entries.push_back({source.last_ts, texts.back(), {}, 0, (i + 1) * kLineBytes});
      }
      request.streams.push_back(std::move(stream));
      const uint64_t total = source.sent - source.acked;
      Result<PushOutcome> outcome = engine_->PushSync(std::move(request));
      if (!outcome.ok()) {
        return ::testing::AssertionFailure()
               << "resend to source " << s << ": " << outcome.status();
      }
      if (outcome->redelivered != present_[s] || outcome->accepted != total - present_[s]) {
        return ::testing::AssertionFailure()
               << "resend of lines " << source.acked << " .. " << source.sent - 1 << " of source "
               << s << ": " << present_[s] << " of them were stored, but the engine counted "
               << outcome->redelivered << " redelivered and " << outcome->accepted << " accepted";
      }
      counters_.redelivered += outcome->redelivered;
      source.acked = source.next = source.sent;
    }
    return ::testing::AssertionSuccess();
  }

  // Closes cleanly (after a full flush) and checks once more.
  ::testing::AssertionResult CloseAndCheck() {
    Status flushed = engine_->Flush(StorageEngine::FlushScope::kAll);
    if (!flushed.ok()) return ::testing::AssertionFailure() << "final flush: " << flushed;
    Status closed = engine_->Close();
    if (!closed.ok()) return ::testing::AssertionFailure() << "close: " << closed;
    engine_.reset();
    auto opened = StorageEngine::Open(Options());
    if (!opened.ok()) return ::testing::AssertionFailure() << "final open: " << opened.status();
    engine_ = std::move(*opened);
    return Verify();
  }

  const Counters& counters() const { return counters_; }
  uint64_t acks() const { return model_.acks; }
  size_t chunk_count() const { return engine_ ? engine_->catalog().chunk_count() : 0; }

 private:
  static std::string Few(const std::vector<uint64_t>& items) {
    std::string text;
    for (size_t i = 0; i < items.size() && i < 5; ++i) {
      text += (i ? ", " : "") + std::to_string(items[i]);
    }
    if (items.size() > 5) text += ", ... (" + std::to_string(items.size()) + " in all)";
    return text;
  }

  void AddProblem(const std::string& problem) {
    if (problems_.size() < 5) problems_ += problem + "\n";
  }
  std::string TakeProblems() { return std::exchange(problems_, std::string()); }

  const Variant variant_;
  std::mt19937_64 rng_;  // used under mu_ when threads run
  testing::TempDir dir_;
  fs::PosixFileSystem posix_;
  fs::FaultInjectionFileSystem faults_;
  PowerCutFileSystem cut_fs_;
  time::FakeClock fake_clock_;
  time::SystemClock system_clock_;
  std::unique_ptr<StorageEngine> engine_;

  std::mutex mu_;
  std::condition_variable acked_enough_;
  Model model_;
  Counters counters_;
  uint64_t present_[kAgentSources] = {};  // unacknowledged lines Verify found, per source
  std::string problems_;                  // outcome problems seen by pushers
};

void RunCycles(Variant variant) {
  const uint64_t cycles =
      EnvNumber("SILT_POWER_LOSS_CYCLES", silt::testing::kSanitized ? 60 : 200);
  const uint64_t seed = EnvNumber("SILT_POWER_LOSS_SEED", std::random_device{}());
  const char* name = variant == Variant::kDriven ? "driven" : "concurrent";
  std::cout << "engine power-loss test (" << name << "): seed " << seed << ", " << cycles
            << " cycles (reproduce with SILT_POWER_LOSS_SEED=" << seed << ")\n";
  SCOPED_TRACE("SILT_POWER_LOSS_SEED=" + std::to_string(seed));
  PowerLossRun run(variant, seed);
  for (uint64_t cycle = 0; cycle < cycles; ++cycle) {
    const std::string when = std::string(name) + " cycle " + std::to_string(cycle) + " (seed " +
                             std::to_string(seed) + ")";
    ASSERT_TRUE(run.Open()) << when;
    ASSERT_TRUE(run.Verify()) << when << ", after the restart";
    ASSERT_TRUE(run.ResendUnacknowledged()) << when;
    if (variant == Variant::kDriven) {
      run.DrivenOps();
    } else {
      run.ConcurrentOps();
    }
    ASSERT_TRUE(run.PowerLoss()) << when;
  }
  ASSERT_TRUE(run.Open());
  ASSERT_TRUE(run.Verify()) << "after the last restart";
  ASSERT_TRUE(run.ResendUnacknowledged());
  ASSERT_TRUE(run.CloseAndCheck()) << "after a clean restart";
  const Counters& c = run.counters();
  std::cout << "engine power-loss test (" << name << "): " << cycles << " power losses";
  if (variant == Variant::kDriven) {
    std::cout << " (" << c.cuts_during_work << " inside a push or flush, the rest after one), "
              << c.faults_armed << " single failures injected before";
  }
  std::cout << "; " << c.cuts_during_restart << " more inside restarts; " << c.pushes_ok
            << " pushes acknowledged, " << c.pushes_failed
            << " failed; unacknowledged entries found after restarts: " << c.maybe_present
            << " present, " << c.maybe_missing << " missing; " << c.redelivered
            << " lines redelivered; " << run.chunk_count() << " chunks\n";
}

TEST(EnginePowerLossTest, DrivenFlushesAndFaults) { RunCycles(Variant::kDriven); }

TEST(EnginePowerLossTest, ConcurrentPushesWithBackgroundFlusher) {
  RunCycles(Variant::kConcurrent);
}

}  // namespace
}  // namespace silt::engine::crash
