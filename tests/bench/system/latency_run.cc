#include "tests/bench/system/latency_run.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "tests/bench/system/line_maker.h"
#include "tests/bench/system/positions_probe.h"
#include "tests/bench/system/prometheus_histogram.h"
#include "tests/integration/agent/agent_harness.h"

namespace silt::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

int64_t WallNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One write(2) of `lines` lines, all stamped `write_ns`, ending at `end_offset` in the file.
struct Burst {
  uint64_t end_offset = 0;
  int64_t write_ns = 0;
  uint32_t lines = 0;
};

// The writer thread's output: bursts published in order (`published` counts the finished ones).
struct BurstLog {
  explicit BurstLog(size_t capacity) : bursts(capacity) {}
  std::vector<Burst> bursts;
  std::atomic<size_t> published{0};
  std::atomic<bool> done{false};
  Status status;      // read after `done`
  double wall_s = 0;  // read after `done`
};

// Appends lines to `path` at options.rate until options.duration_s has passed.
void WriteLoop(const LatencyOptions& options, const std::string& path, LineMaker* maker,
               BurstLog* log) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) log->status = Status::FromErrno(errno, "opening " + path);
  const auto start = SteadyClock::now();
  const auto interval = std::chrono::microseconds(options.burst_interval_us);
  uint64_t written = 0, offset = 0;
  std::string text;
  char prefix[64];
  for (auto next = start; fd >= 0 && log->status.ok(); next += interval) {
    const double elapsed = std::chrono::duration<double>(SteadyClock::now() - start).count();
    const size_t index = log->published.load(std::memory_order_relaxed);
    if (elapsed >= options.duration_s || index == log->bursts.size()) break;
    const auto due = static_cast<uint64_t>(options.rate * elapsed) - written;
    if (due > 0) {
      const int64_t now_ns = WallNanos();
      text.clear();
      for (uint64_t i = 0; i < due; ++i) {
        std::snprintf(prefix, sizeof(prefix), "t=%lld n=%llu", static_cast<long long>(now_ns),
                      static_cast<unsigned long long>(written + i));
        maker->Append(prefix, &text);
      }
      if (::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
        log->status = Status::FromErrno(errno, "appending to " + path);
      }
      written += due;
      offset += text.size();
      log->bursts[index] = {offset, now_ns, static_cast<uint32_t>(due)};
      log->published.store(index + 1, std::memory_order_release);
    }
    std::this_thread::sleep_until(next + interval);
  }
  log->wall_s = std::chrono::duration<double>(SteadyClock::now() - start).count();
  if (fd >= 0) ::close(fd);
  log->done.store(true, std::memory_order_release);
}

// Reads the positions file until every published burst is confirmed; fills durable_ns per burst.
Status ProbeUntilDurable(const LatencyOptions& options, BenchSystem* system, const BurstLog& log,
                         std::vector<int64_t>* durable_ns) {
  PositionsProbe probe(system->positions_file(), system->log_file());
  size_t resolved = 0;
  auto deadline = SteadyClock::time_point::max();
  for (uint64_t polls = 0;; ++polls) {
    const bool writer_done = log.done.load(std::memory_order_acquire);
    const size_t published = log.published.load(std::memory_order_acquire);
    SILT_ASSIGN_OR_RETURN(const uint64_t offset, probe.ConfirmedOffset());
    const int64_t now_ns = WallNanos();
    for (; resolved < published && log.bursts[resolved].end_offset <= offset; ++resolved) {
      (*durable_ns)[resolved] = now_ns;
    }
    if (writer_done && resolved == published) return Status::Ok();
    if (writer_done && deadline == SteadyClock::time_point::max()) {
      deadline = SteadyClock::now() + std::chrono::seconds(options.timeout_s);
    }
    if (SteadyClock::now() > deadline) {
      return Status::Unavailable(std::to_string(published - resolved) +
                                 " bursts still unconfirmed " + std::to_string(options.timeout_s) +
                                 " s after the writer stopped:\n" + system->LogTails());
    }
    if (polls % 256 == 0) SILT_RETURN_IF_ERROR(system->CheckRunning());
    std::this_thread::sleep_for(std::chrono::microseconds(options.poll_interval_us));
  }
}

// Fills the percentiles of `sample` from per-line latencies.
void Summarize(const BurstLog& log, const std::vector<int64_t>& durable_ns, LatencySample* sample) {
  std::vector<double> latencies_ms;
  const size_t bursts = log.published.load();
  for (size_t i = 0; i < bursts; ++i) {
    const double ms = static_cast<double>(durable_ns[i] - log.bursts[i].write_ns) / 1e6;
    latencies_ms.insert(latencies_ms.end(), log.bursts[i].lines, ms);
  }
  sample->lines = latencies_ms.size();
  if (latencies_ms.empty()) return;
  std::sort(latencies_ms.begin(), latencies_ms.end());
  auto at = [&](double q) {
    return latencies_ms[static_cast<size_t>(q * (latencies_ms.size() - 1))];
  };
  sample->p50_ms = at(0.50);
  sample->p99_ms = at(0.99);
  sample->max_ms = latencies_ms.back();
  sample->achieved_rate = static_cast<double>(sample->lines) / log.wall_s;
}

// Fills the ack latency figures of `sample` from the agent's /metrics.
Status ScrapeAckLatency(const BenchSystem& system, LatencySample* sample) {
  const std::string response = agent::testing::HttpGet(system.metrics_address(), "/metrics");
  if (response.empty()) {
    return Status::Unavailable("GET http://" + system.metrics_address() + "/metrics failed");
  }
  SILT_ASSIGN_OR_RETURN(const Histogram histogram,
                        ParseHistogram(response, "silt_agent_shipper_ack_latency_seconds"));
  sample->ack_p50_ms = HistogramQuantile(histogram, 0.50) * 1e3;
  sample->ack_p99_ms = HistogramQuantile(histogram, 0.99) * 1e3;
  sample->ack_batches = histogram.count;
  return Status::Ok();
}

}  // namespace

Result<LatencySample> RunLatency(const LatencyOptions& options, const testing::TestCerts& certs,
                                 const std::string& root) {
  if (::mkdir(root.c_str(), 0755) != 0) return Status::FromErrno(errno, "mkdir " + root);
  SILT_ASSIGN_OR_RETURN(auto maker, LineMaker::Create(options.line_bytes, /*seed=*/2));
  BenchSystem system(root, &certs, options.system);
  SILT_RETURN_IF_ERROR(system.Prepare());
  agent::testing::WriteAll(system.log_file(), "");
  SILT_RETURN_IF_ERROR(system.StartAggregator());
  SILT_RETURN_IF_ERROR(system.StartAgent());
  // Write only once the agent tails the file and has a session, so startup is not measured.
  const bool ready = agent::testing::WaitFor(
      [&] {
        const std::string metrics = agent::testing::HttpGet(system.metrics_address(), "/metrics");
        return metrics.find("\nsilt_agent_shipper_connected 1") != std::string::npos &&
               metrics.find("\nsilt_agent_open_files 1") != std::string::npos;
      },
      30000);
  if (!ready) {
    return Status::Unavailable(
        "silt-agent did not report silt_agent_shipper_connected 1 and "
        "silt_agent_open_files 1 on /metrics within 30 s:\n" +
        system.LogTails());
  }
  BurstLog log(static_cast<size_t>(options.duration_s * 1e6 / options.burst_interval_us) + 64);
  std::vector<int64_t> durable_ns(log.bursts.size());
  std::thread writer([&] { WriteLoop(options, system.log_file(), maker.get(), &log); });
  const Status probed = ProbeUntilDurable(options, &system, log, &durable_ns);
  writer.join();
  SILT_RETURN_IF_ERROR(log.status);
  SILT_RETURN_IF_ERROR(probed);
  LatencySample sample;
  Summarize(log, durable_ns, &sample);
  SILT_RETURN_IF_ERROR(ScrapeAckLatency(system, &sample));
  sample.configs = system.ConfigText();
  SILT_RETURN_IF_ERROR(system.Stop());
  return sample;
}

}  // namespace silt::bench
