// Crash test of the storage engine (issue 3): engine_crash_writer ingests agent batches into a
// data directory and is killed with SIGKILL at a random point, then restarted, cycle after
// cycle. After every kill the test opens the engine itself and checks every stream: its lines
// are exactly 0 .. m-1 of its source (no duplicate, no gap, every text intact) and m covers the
// last acknowledged offset. The writer resumes at the acknowledged offsets, so whatever was
// durable but not acknowledged is delivered again and must be dropped by the high-water marks.
//
// Kills land after a random number of acknowledgements plus a random few microseconds to
// milliseconds (so inside pushes, group commits, flushes, checkpoints, segment deletions), and
// one cycle in ten during startup (inside recovery: catalog load, index rebuild, WAL repair).
//
// Environment: SILT_CRASH_CYCLES=<n> (default 200), SILT_CRASH_LONG=1 (3000 cycles),
// SILT_CRASH_CYCLES_PER_DIR=<n> (default 500: then the test starts over in an empty data
// directory, so that reading everything back after each kill stays quick in long runs),
// SILT_CRASH_SEED=<n> (default random; printed, and named in every failure),
// SILT_TEST_KEEP_DIR=<dir> (the data directory is copied there when the test fails).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "aggregator/engine/storage_engine.h"
#include "shared/fs/posix_file_system.h"
#include "shared/time/clock.h"
#include "tests/integration/aggregator/engine_crash_workload.h"
#include "tests/support/sanitizers.h"
#include "tests/support/temp_dir.h"

extern char** environ;

namespace silt::engine::crash {
namespace {

using Clock = std::chrono::steady_clock;

// The writer's timestamps run this much faster than real time: a one-minute partition ends
// every three seconds.
constexpr int kSpeedup = 20;
// Generous: a writer that cannot acknowledge a few hundred batches in this time is stuck.
constexpr auto kAckDeadline = std::chrono::seconds(60);

uint64_t EnvNumber(const char* name, uint64_t fallback) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return fallback;
  return std::strtoull(value, nullptr, 10);
}

// What one writer process printed.
struct WriterOutput {
  uint64_t acked[kSources] = {};  // highest acknowledged end offset per source
  uint64_t acks = 0;
  bool ready = false;
  Clock::duration ready_after{};
  std::string failure;  // a BAD or ERR line, or a line the test does not understand
};

// One engine_crash_writer child with its stdout on a pipe.
class WriterProcess {
 public:
  WriterProcess() = default;
  WriterProcess(const WriterProcess&) = delete;
  WriterProcess& operator=(const WriterProcess&) = delete;
  ~WriterProcess() { KillAndReap(); }

  // Starts the writer; the output starts from `acked` (the offsets it resumes at).
  ::testing::AssertionResult Start(const std::vector<std::string>& args,
                                   const uint64_t (&acked)[kSources]) {
    std::copy(std::begin(acked), std::end(acked), std::begin(output_.acked));
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
      return ::testing::AssertionFailure() << "pipe2: " << std::strerror(errno);
    }
    std::vector<char*> argv;
    for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    started_ = Clock::now();
    int rc = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    fd_ = fds[0];
    if (rc != 0) {
      pid_ = -1;
      return ::testing::AssertionFailure()
             << "posix_spawn " << args[0] << ": " << std::strerror(rc);
    }
    return ::testing::AssertionSuccess();
  }

  // Reads the writer's lines until `done()` holds, the output ends or `deadline` passes.
  // Returns done().
  bool ReadUntil(const std::function<bool()>& done, Clock::time_point deadline) {
    while (!done() && fd_ >= 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() < 0) break;
      pollfd p{fd_, POLLIN, 0};
      int n = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 1000)) + 1);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) continue;
      if (!ReadSome()) break;
    }
    return done();
  }

  // SIGKILL, reap, and take everything the writer printed before it died.
  void KillAndReap() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      while (::waitpid(pid_, &wait_status_, 0) < 0 && errno == EINTR) {
      }
      pid_ = -1;
    }
    while (fd_ >= 0 && ReadSome()) {
    }
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  const WriterOutput& output() const { return output_; }
  Clock::time_point started() const { return started_; }
  // After KillAndReap: whether the writer died of our SIGKILL (and not on its own before).
  bool killed_by_us() const {
    return WIFSIGNALED(wait_status_) && WTERMSIG(wait_status_) == SIGKILL;
  }
  int wait_status() const { return wait_status_; }

 private:
  // One read; false at the end of the output.
  bool ReadSome() {
    char buf[8192];
    ssize_t n = ::read(fd_, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) return true;
    if (n <= 0) {
      ::close(fd_);
      fd_ = -1;
      return false;
    }
    pending_.append(buf, static_cast<size_t>(n));
    size_t start = 0;
    for (size_t nl; (nl = pending_.find('\n', start)) != std::string::npos; start = nl + 1) {
      OnLine(std::string_view(pending_).substr(start, nl - start));
    }
    pending_.erase(0, start);
    return true;
  }

  void OnLine(std::string_view line) {
    if (line == "READY") {
      output_.ready = true;
      output_.ready_after = Clock::now() - started_;
      return;
    }
    int source = -1;
    unsigned long long end = 0;
    if (line.starts_with("ACK ") &&
        std::sscanf(std::string(line).c_str(), "ACK %d %llu", &source, &end) == 2 && source >= 0 &&
        source < kSources) {
      output_.acked[source] = std::max<uint64_t>(output_.acked[source], end);
      ++output_.acks;
      return;
    }
    if (output_.failure.empty()) output_.failure = std::string(line);
  }

  pid_t pid_ = -1;
  int fd_ = -1;
  int wait_status_ = 0;
  Clock::time_point started_;
  std::string pending_;
  WriterOutput output_;
};

// Sums over all verifications, printed at the end.
struct Totals {
  uint64_t data_dirs = 1;
  uint64_t startup_kills = 0;
  uint64_t records_replayed = 0;
  uint64_t entries_already_in_chunks = 0;
  uint64_t torn_tails = 0;
  uint64_t wal_problems = 0;
  uint64_t chunks = 0;  // in the last verification
  uint64_t lines = 0;   // stored, in the last verification
  Clock::duration verify_time{};
  Clock::duration open_time{};  // of verify_time: restarting the engine
};

template <typename T>
std::string FirstFew(const std::vector<T>& items) {
  std::string text;
  for (size_t i = 0; i < items.size() && i < 5; ++i)
    text += (i ? ", " : "") + std::to_string(items[i]);
  if (items.size() > 5) text += ", ... (" + std::to_string(items.size()) + " in all)";
  return text;
}

// Opens the engine on `data_dir` (the writer is dead), reads every stream and checks it against
// the acknowledged offsets.
::testing::AssertionResult Verify(const std::string& data_dir, const uint64_t (&acked)[kSources],
                                  Totals* totals) {
  fs::PosixFileSystem posix;
  time::SystemClock clock;
  EngineOptions options = CrashEngineOptions(&posix, &clock, nullptr, data_dir);
  options.background_flush = false;
  Clock::time_point open_start = Clock::now();
  auto opened = StorageEngine::Open(options);
  totals->open_time += Clock::now() - open_start;
  if (!opened.ok()) return ::testing::AssertionFailure() << "restart failed: " << opened.status();
  std::unique_ptr<StorageEngine> engine = std::move(*opened);
  const EngineRecovery& recovery = engine->recovery();
  totals->records_replayed += recovery.records_applied;
  totals->entries_already_in_chunks += recovery.entries_already_in_chunks;
  totals->torn_tails += recovery.wal.Count(wal::ProblemKind::kTornTail);
  totals->wal_problems += recovery.wal.TotalProblems();
  totals->chunks = engine->catalog().chunk_count();
  totals->lines = 0;
  // SIGKILL loses nothing the kernel has: the only damage it can leave is a torn WAL tail (and
  // a gap in sequence numbers where a torn record was cut off).
  if (recovery.chunks.corrupt_chunks != 0 || recovery.undecodable_records != 0 ||
      recovery.wal.Count(wal::ProblemKind::kBadPayload) != 0 ||
      recovery.wal.Count(wal::ProblemKind::kBadHeader) != 0 ||
      recovery.wal.Count(wal::ProblemKind::kBadLength) != 0 ||
      recovery.wal.Count(wal::ProblemKind::kBadSegmentHeader) != 0 ||
      recovery.wal.Count(wal::ProblemKind::kSequenceRepeat) != 0 ||
      recovery.wal.Count(wal::ProblemKind::kCorruptCheckpoint) != 0) {
    std::string what = "recovery found damage a SIGKILL cannot cause: " +
                       std::to_string(recovery.chunks.corrupt_chunks) + " corrupt chunks, " +
                       std::to_string(recovery.undecodable_records) +
                       " undecodable records; WAL: " + recovery.wal.Summary();
    for (const std::string& problem : recovery.chunks.problems) what += "\n  " + problem;
    for (const std::string& problem : recovery.problems) what += "\n  " + problem;
    for (const wal::RecoveryProblem& problem : recovery.wal.problems) {
      what += "\n  " + wal::RecoveryReport::Describe(problem);
    }
    return ::testing::AssertionFailure() << what;
  }

  std::string failures;
  for (int s = 0; s < kSources; ++s) {
    std::vector<labels::Matcher> matchers = {
        *labels::Matcher::Create(labels::MatchType::kEqual, "job", "crash"),
        *labels::Matcher::Create(labels::MatchType::kEqual, "source", "s" + std::to_string(s))};
    auto selected = engine->Select(kTenant, matchers, INT64_MIN, INT64_MAX);
    if (!selected.ok()) return ::testing::AssertionFailure() << "select: " << selected.status();
    if (selected->size() > 1) {
      return ::testing::AssertionFailure()
             << "source " << s << ": " << selected->size() << " streams selected, want 1";
    }
    std::vector<uint32_t> copies;
    std::vector<std::string> bad_lines;
    uint64_t blocks_failed = 0;
    std::string expected;
    for (const StreamSelection& stream : *selected) {
      auto it = stream.NewIterator(INT64_MIN, INT64_MAX, store::Direction::kForward);
      for (; it.Valid(); it.Next()) {
        int source = -1;
        uint64_t index = 0;
        bool ok =
            ParseLine(it.line(), &source, &index) && source == s && index < (uint64_t{1} << 32);
        if (ok) FillLine(s, index, &expected);
        if (!ok || it.line() != expected) {
          if (bad_lines.size() < 3) bad_lines.emplace_back(it.line());
          continue;
        }
        if (index >= copies.size()) copies.resize(index + 1, 0);
        ++copies[index];
        ++totals->lines;
      }
      blocks_failed += it.problems().blocks_failed;
    }
    std::vector<uint64_t> duplicated, missing;
    for (uint64_t i = 0; i < copies.size(); ++i) {
      if (copies[i] > 1) duplicated.push_back(i);
      if (copies[i] == 0) missing.push_back(i);
    }
    const uint64_t stored = copies.size();  // lines 0 .. stored-1 when nothing is missing
    const uint64_t want = acked[s] / kLineBytes;
    std::string where = "source " + std::to_string(s) + " (acknowledged up to line " +
                        std::to_string(want) + ", highest stored " + std::to_string(stored) + "): ";
    if (!duplicated.empty())
      failures += where + "lines stored twice: " + FirstFew(duplicated) + "\n";
    if (!missing.empty()) failures += where + "gap, lines missing: " + FirstFew(missing) + "\n";
    if (stored < want) {
      failures += where + "acknowledged lines lost: " + std::to_string(stored) + " .. " +
                  std::to_string(want - 1) + "\n";
    }
    for (const std::string& line : bad_lines) failures += where + "foreign line '" + line + "'\n";
    if (blocks_failed != 0) {
      failures += where + std::to_string(blocks_failed) + " blocks could not be read\n";
    }
  }
  Status closed = engine->Close();
  if (!closed.ok()) failures += "close: " + closed.ToString() + "\n";
  if (!failures.empty()) {
    return ::testing::AssertionFailure()
           << failures << "recovery: " << recovery.wal.Summary() << "; " << recovery.records_applied
           << " records replayed, " << recovery.entries_already_in_chunks
           << " entries already in chunks, " << engine->catalog().chunk_count() << " chunks";
  }
  return ::testing::AssertionSuccess();
}

void KeepDataDir(const std::string& data_dir) {
  const char* keep = std::getenv("SILT_TEST_KEEP_DIR");
  if (keep == nullptr || *keep == '\0') return;
  std::error_code error;
  std::filesystem::copy(
      data_dir, keep,
      std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing,
      error);
  std::cerr << "data directory copied to " << keep
            << (error ? " (failed: " + error.message() + ")" : "") << "\n";
}

// Where one cycle kills the writer: `delay` after the spawn (inside recovery), or `delay` after
// the `acks`-th acknowledgement (inside pushes, group commits, flushes, checkpoints).
struct KillPlan {
  bool during_startup = false;
  uint64_t acks = 0;
  std::chrono::microseconds delay{};

  std::string Describe() const {
    return during_startup ? "during startup, " + std::to_string(delay.count()) + " us after spawn"
                          : std::to_string(delay.count()) + " us after ack " + std::to_string(acks);
  }
};

// One cycle in ten kills during startup, somewhere in 0-1.5x the last startup time.
KillPlan PlanKill(std::mt19937_64& rng, Clock::duration startup_time) {
  auto uniform = [&rng](uint64_t lo, uint64_t hi) {
    return std::uniform_int_distribution<uint64_t>(lo, hi)(rng);
  };
  KillPlan plan;
  plan.during_startup = uniform(0, 9) == 0;
  if (plan.during_startup) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(startup_time).count();
    plan.delay = std::chrono::microseconds(uniform(0, static_cast<uint64_t>(us) * 3 / 2));
    return plan;
  }
  uint64_t pick = uniform(0, 99);
  plan.acks = pick < 50 ? uniform(1, 10) : pick < 85 ? uniform(11, 60) : uniform(61, 250);
  plan.delay = std::chrono::microseconds(uniform(0, 3000));
  return plan;
}

// Runs `writer` until `plan` says so, then kills it. Failure when it did not get there or
// reported a problem.
::testing::AssertionResult RunUntilKill(WriterProcess& writer, const KillPlan& plan) {
  auto never = [] { return false; };
  if (plan.during_startup) {
    writer.ReadUntil(never, writer.started() + plan.delay);
  } else {
    bool reached = writer.ReadUntil(
        [&] { return writer.output().acks >= plan.acks || !writer.output().failure.empty(); },
        Clock::now() + kAckDeadline);
    if (!reached) {
      writer.KillAndReap();
      return ::testing::AssertionFailure()
             << "the writer acknowledged " << writer.output().acks << " of " << plan.acks
             << " batches before the deadline (wait status " << writer.wait_status() << ")";
    }
    writer.ReadUntil(never, Clock::now() + plan.delay);
  }
  writer.KillAndReap();
  if (!writer.output().failure.empty()) {
    return ::testing::AssertionFailure() << "the writer reported: " << writer.output().failure;
  }
  if (!writer.killed_by_us()) {
    return ::testing::AssertionFailure()
           << "the writer died on its own (wait status " << writer.wait_status() << ")";
  }
  return ::testing::AssertionSuccess();
}

void PrintTotals(uint64_t cycles, Clock::duration elapsed, const Totals& totals,
                 const uint64_t (&acked)[kSources]) {
  auto seconds = [](Clock::duration d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count() / 1000.0;
  };
  std::cout << "engine crash test: " << cycles << " cycles in " << seconds(elapsed) << " s ("
            << seconds(totals.verify_time) << " s verifying, " << seconds(totals.open_time)
            << " s of it restarting); " << totals.startup_kills << " kills during startup; "
            << totals.data_dirs << " data directories; acknowledged lines per source in the last:";
  for (int s = 0; s < kSources; ++s) std::cout << " " << acked[s] / kLineBytes;
  std::cout << "; stored " << totals.lines << " lines in " << totals.chunks
            << " chunk files + head; recoveries replayed " << totals.records_replayed
            << " WAL records, skipped " << totals.entries_already_in_chunks
            << " entries already in chunks, met " << totals.torn_tails << " torn tails ("
            << totals.wal_problems << " WAL problems in all)\n";
}

TEST(EngineCrashTest, AcknowledgedLinesSurviveSigkillExactlyOnce) {
  const uint64_t cycles =
      EnvNumber("SILT_CRASH_CYCLES", EnvNumber("SILT_CRASH_LONG", 0) != 0 ? 3000
                                     : silt::testing::kSanitized        ? 60
                                                                        : 200);
  const uint64_t cycles_per_dir =
      std::max<uint64_t>(EnvNumber("SILT_CRASH_CYCLES_PER_DIR", 500), 1);
  const uint64_t seed = EnvNumber("SILT_CRASH_SEED", std::random_device{}());
  std::cout << "engine crash test: seed " << seed << ", " << cycles
            << " cycles (reproduce with SILT_CRASH_SEED=" << seed << ")\n";
  SCOPED_TRACE("SILT_CRASH_SEED=" + std::to_string(seed));
  std::mt19937_64 rng(seed);
  testing::TempDir dir;
  const std::string data_dir = dir.Path("data");
  const int64_t origin = time::SystemClock().WallNanos();
  uint64_t acked[kSources] = {};
  Totals totals;
  Clock::duration startup_time = std::chrono::milliseconds(5);
  const Clock::time_point test_start = Clock::now();

  for (uint64_t cycle = 0; cycle < cycles; ++cycle) {
    if (cycle > 0 && cycle % cycles_per_dir == 0) {
      // Start over, so that reading everything back stays quick in long runs.
      std::error_code error;
      std::filesystem::remove_all(data_dir, error);
      ASSERT_FALSE(error) << "remove " << data_dir << ": " << error.message();
      std::fill(std::begin(acked), std::end(acked), 0);
      ++totals.data_dirs;
    }
    std::string resume;
    for (int s = 0; s < kSources; ++s) resume += (s ? "," : "") + std::to_string(acked[s]);
    const std::vector<std::string> args = {SILT_ENGINE_CRASH_WRITER,
                                           "--data-dir=" + data_dir,
                                           "--seed=" + std::to_string(seed + cycle),
                                           "--time-origin=" + std::to_string(origin),
                                           "--speedup=" + std::to_string(kSpeedup),
                                           "--resume=" + resume};
    const KillPlan plan = PlanKill(rng, startup_time);
    const std::string when = "cycle " + std::to_string(cycle) + " (seed " + std::to_string(seed) +
                             "), killed " + plan.Describe();
    totals.startup_kills += plan.during_startup;
    WriterProcess writer;
    ASSERT_TRUE(writer.Start(args, acked)) << when;
    ::testing::AssertionResult ran = RunUntilKill(writer, plan);
    if (!ran) KeepDataDir(data_dir);
    ASSERT_TRUE(ran) << when;
    if (writer.output().ready) startup_time = writer.output().ready_after;
    std::copy(std::begin(writer.output().acked), std::end(writer.output().acked),
              std::begin(acked));

    Clock::time_point verify_start = Clock::now();
    ::testing::AssertionResult verified = Verify(data_dir, acked, &totals);
    totals.verify_time += Clock::now() - verify_start;
    if (!verified) KeepDataDir(data_dir);
    ASSERT_TRUE(verified) << when;
  }
  PrintTotals(cycles, Clock::now() - test_start, totals, acked);
}

}  // namespace
}  // namespace silt::engine::crash
