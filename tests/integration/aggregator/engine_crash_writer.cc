// engine_crash_writer: the process engine_crash_test kills with SIGKILL. It opens a StorageEngine
// on --data-dir as the aggregator would (PosixFileSystem, the system clock, background flusher,
// the small head and WAL segments of CrashEngineOptions) and plays kAgents agents, one thread
// each, that ship batches of their sources' lines (engine_crash_workload.h) with source ranges
// and per-line end offsets, resuming at the offsets given by --resume (the parent's last
// acknowledged ones, so batches that were durable but not acknowledged come again and the
// engine's high-water marks must drop them). Now and then a batch starts before the
// acknowledged offset, as after a lost ack.
//
// Output on stdout, one write(2) per line: "READY" once the engine is open, "ACK <source>
// <end_offset>" after each PushSync that returned OK, "BAD <what>" when an outcome breaks the
// rules (then it exits 3), "ERR <status>" when a push fails for good (exit 2). It never stops on
// its own; it dies with its parent (PR_SET_PDEATHSIG).
//
// Timestamps follow a clock that runs --speedup times faster than the real one from
// --time-origin, so one-minute partitions end every few seconds; each batch spreads its lines
// from the previous batch's last timestamp of the source to that clock, so batches straddle
// partition boundaries.
//
// Usage: engine_crash_writer --data-dir=DIR --seed=N --time-origin=NS --speedup=X
//                            --resume=O0,O1,O2,O3
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "aggregator/engine/storage_engine.h"
#include "shared/fs/posix_file_system.h"
#include "shared/log/logger.h"
#include "shared/time/clock.h"
#include "tests/integration/aggregator/engine_crash_workload.h"

namespace silt::engine::crash {
namespace {

struct Args {
  std::string data_dir;
  uint64_t seed = 1;
  int64_t time_origin = 0;
  int64_t speedup = 1;
  uint64_t resume[kSources] = {};
};

[[noreturn]] void Usage(const std::string& problem) {
  std::fprintf(stderr,
               "engine_crash_writer: %s\nusage: engine_crash_writer --data-dir=DIR --seed=N "
               "--time-origin=NS --speedup=X --resume=O0,O1,O2,O3\n",
               problem.c_str());
  std::exit(64);
}

bool ParseUint(std::string_view text, uint64_t* out) {
  if (text.empty()) return false;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = value;
  return true;
}

Args ParseArgs(int argc, char** argv) {
  Args args;
  bool have_dir = false, have_resume = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value_of = [&](std::string_view flag, std::string_view* value) {
      if (!arg.starts_with(flag) || arg.size() <= flag.size() || arg[flag.size()] != '=') {
        return false;
      }
      *value = arg.substr(flag.size() + 1);
      return true;
    };
    std::string_view value;
    uint64_t number = 0;
    if (value_of("--data-dir", &value)) {
      args.data_dir = std::string(value);
      have_dir = !value.empty();
    } else if (value_of("--seed", &value) && ParseUint(value, &number)) {
      args.seed = number;
    } else if (value_of("--time-origin", &value) && ParseUint(value, &number)) {
      args.time_origin = static_cast<int64_t>(number);
    } else if (value_of("--speedup", &value) && ParseUint(value, &number) && number > 0) {
      args.speedup = static_cast<int64_t>(number);
    } else if (value_of("--resume", &value)) {
      for (int s = 0; s < kSources; ++s) {
        size_t comma = value.find(',');
        std::string_view item = value.substr(0, comma);
        if (!ParseUint(item, &args.resume[s]) || args.resume[s] % kLineBytes != 0) {
          Usage("--resume wants " + std::to_string(kSources) + " offsets, multiples of " +
                std::to_string(kLineBytes) + ", separated by commas");
        }
        value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
      }
      have_resume = true;
    } else {
      Usage("bad argument '" + std::string(arg) + "'");
    }
  }
  if (!have_dir) Usage("--data-dir is required");
  if (!have_resume) Usage("--resume is required");
  return args;
}

// Lines to stdout, each with one write(2) so that threads never interleave inside a line and the
// parent sees every line written before the kill.
class Output {
 public:
  void Write(const std::string& text) {
    std::string line = text + "\n";
    std::lock_guard lock(mu_);
    const char* data = line.data();
    size_t left = line.size();
    while (left > 0) {
      ssize_t n = ::write(STDOUT_FILENO, data, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) std::_Exit(4);  // the parent is gone
      data += n;
      left -= static_cast<size_t>(n);
    }
  }

 private:
  std::mutex mu_;
};

struct SourceState {
  int source = 0;
  uint64_t acked = 0;              // end offset of the last acknowledged line
  int64_t last_ts = 0;             // 0: nothing sent by this process yet
  std::vector<std::string> lines;  // the texts of the batch being built (stable addresses)
};

// One agent: sends batches of its sources' lines until the process is killed.
class Agent {
 public:
  Agent(StorageEngine* engine, Output* out, const time::Clock* clock, const Args& args, int agent)
      : engine_(engine),
        out_(out),
        clock_(clock),
        origin_(args.time_origin),
        speedup_(args.speedup),
        rng_(args.seed * 1000003u + static_cast<uint64_t>(agent)) {
    for (int i = 0; i < kSourcesPerAgent; ++i) {
      SourceState& state = sources_[i];
      state.source = agent * kSourcesPerAgent + i;
      state.acked = args.resume[state.source];
    }
  }

  [[noreturn]] void Run() {
    for (;;) SendOne();
  }

 private:
  int64_t FastNow() const {
    int64_t now = clock_->WallNanos();
    return origin_ > 0 && now > origin_ ? origin_ + (now - origin_) * speedup_ : now;
  }

  uint64_t Uniform(uint64_t lo, uint64_t hi) {  // inclusive
    return std::uniform_int_distribution<uint64_t>(lo, hi)(rng_);
  }

  // Mostly small batches, some large ones, as an agent's batcher produces.
  uint64_t BatchLines() {
    uint64_t pick = Uniform(0, 99);
    if (pick < 65) return Uniform(1, 20);
    if (pick < 95) return Uniform(21, 150);
    return Uniform(151, 600);
  }

  void SendOne() {
    uint64_t mask = Uniform(1, (1u << kSourcesPerAgent) - 1);
    PushRequest request;
    request.tenant = std::string(kTenant);
    request.agent_id = AgentId(sources_[0].source);
    uint64_t below_ack = 0;  // lines at or below an acknowledged offset: must come back redelivered
    size_t total = 0;
    const int64_t now = FastNow();
    for (int i = 0; i < kSourcesPerAgent; ++i) {
      if ((mask & (1u << i)) == 0) continue;
      SourceState& state = sources_[i];
      uint64_t first = state.acked / kLineBytes;
      if (Uniform(0, 99) < 4 && first > 0) first -= std::min<uint64_t>(first, Uniform(1, 40));
      uint64_t count = BatchLines();
      int64_t from = state.last_ts == 0 ? now : state.last_ts;
      int64_t span = std::max<int64_t>(now - from, 0);
      PushStream stream{StreamLabels(state.source), {}};
      state.lines.clear();
      state.lines.reserve(count);
      for (uint64_t k = 0; k < count; ++k) {
        uint64_t index = first + k;
        int64_t ts =
            from + static_cast<int64_t>(static_cast<double>(span) * static_cast<double>(k + 1) /
                                        static_cast<double>(count));
        ts = std::max(ts, state.last_ts + 1);
        state.last_ts = ts;
        state.lines.push_back(Line(state.source, index));
        PushEntry entry;
        entry.timestamp = ts;
        entry.line = state.lines.back();
        entry.source = static_cast<uint32_t>(request.sources.size());
        entry.end_offset = (index + 1) * kLineBytes;
        if (entry.end_offset <= state.acked) ++below_ack;
        stream.entries.push_back(entry);
      }
      total += count;
      request.sources.push_back(
          SourceRange{SourceId(state.source), first * kLineBytes, (first + count) * kLineBytes});
      request.streams.push_back(std::move(stream));
    }
    std::vector<SourceRange> ranges = request.sources;
    std::vector<int> sent;
    for (int i = 0; i < kSourcesPerAgent; ++i) {
      if (mask & (1u << i)) sent.push_back(i);
    }
    for (int attempt = 0;; ++attempt) {
      Result<PushOutcome> outcome = engine_->PushSync(request);
      if (outcome.ok()) {
        Check(*outcome, total, below_ack);
        break;
      }
      StatusCode code = outcome.status().code();
      if (code == StatusCode::kResourceExhausted || code == StatusCode::kUnavailable) {
        // Backpressure: the agent waits and resends, as it would after a Nack.
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        continue;
      }
      out_->Write("ERR push of agent " + request.agent_id + ": " + outcome.status().ToString());
      std::exit(2);
    }
    for (size_t r = 0; r < ranges.size(); ++r) {
      SourceState& state = sources_[sent[r]];
      state.acked = std::max(state.acked, ranges[r].end);
      out_->Write("ACK " + std::to_string(state.source) + " " + std::to_string(ranges[r].end));
    }
  }

  void Check(const PushOutcome& outcome, size_t total, uint64_t below_ack) {
    std::string problem;
    if (outcome.rejected != 0) {
      problem = std::to_string(outcome.rejected) + " lines rejected";
      if (!outcome.rejections.empty()) problem += " (" + outcome.rejections[0] + ")";
    } else if (outcome.accepted + outcome.redelivered != total) {
      problem = "accepted " + std::to_string(outcome.accepted) + " + redelivered " +
                std::to_string(outcome.redelivered) + " != " + std::to_string(total) + " sent";
    } else if (outcome.redelivered < below_ack) {
      problem = "only " + std::to_string(outcome.redelivered) + " of " + std::to_string(total) +
                " lines redelivered but " + std::to_string(below_ack) +
                " were at or below acknowledged offsets";
    }
    if (problem.empty()) return;
    out_->Write("BAD agent " + AgentId(sources_[0].source) + ": " + problem);
    std::exit(3);
  }

  StorageEngine* engine_;
  Output* out_;
  const time::Clock* clock_;
  int64_t origin_;
  int64_t speedup_;
  std::mt19937_64 rng_;
  SourceState sources_[kSourcesPerAgent];
};

int Main(int argc, char** argv) {
  // Die with the test, and never outlive it because the pipe is still open.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() == 1) return 5;
  Args args = ParseArgs(argc, argv);
  fs::PosixFileSystem posix;
  time::SystemClock clock;
  log::LoggerOptions logger_options;
  logger_options.min_level = log::Level::kWarn;
  log::Logger logger(logger_options);
  Output out;
  auto opened = StorageEngine::Open(CrashEngineOptions(&posix, &clock, &logger, args.data_dir));
  if (!opened.ok()) {
    out.Write("ERR open " + args.data_dir + ": " + opened.status().ToString());
    return 2;
  }
  std::unique_ptr<StorageEngine> engine = std::move(*opened);
  out.Write("READY");
  std::vector<std::thread> threads;
  for (int agent = 0; agent < kAgents; ++agent) {
    threads.emplace_back([&, agent] { Agent(engine.get(), &out, &clock, args, agent).Run(); });
  }
  for (std::thread& thread : threads) thread.join();  // never: the agents run until killed
  return 0;
}

}  // namespace
}  // namespace silt::engine::crash

int main(int argc, char** argv) { return silt::engine::crash::Main(argc, argv); }
