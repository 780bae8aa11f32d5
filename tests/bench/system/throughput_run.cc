#include "tests/bench/system/throughput_run.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <thread>

#include "tests/bench/system/line_maker.h"
#include "tests/bench/system/positions_probe.h"
#include "tests/bench/system/proc_stat.h"

namespace silt::bench {
namespace {

using Clock = std::chrono::steady_clock;

Status WriteWhole(int fd, const std::string& text, const std::string& path) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Status::FromErrno(errno, "writing " + path);
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

// Polls the positions file until `bytes` are confirmed; the moment it saw them.
Result<Clock::time_point> WaitUntilConfirmed(BenchSystem* system,
                                             const ThroughputOptions& options) {
  PositionsProbe probe(system->positions_file(), system->log_file());
  const auto deadline = Clock::now() + std::chrono::seconds(options.timeout_s);
  for (uint64_t polls = 0;; ++polls) {
    SILT_ASSIGN_OR_RETURN(uint64_t offset, probe.ConfirmedOffset());
    if (offset >= options.bytes) return Clock::now();
    if (Clock::now() > deadline) {
      return Status::Unavailable("only " + std::to_string(offset) + " of " +
                                 std::to_string(options.bytes) + " bytes confirmed after " +
                                 std::to_string(options.timeout_s) + " s (--timeout):\n" +
                                 system->LogTails());
    }
    if (polls % 256 == 0) SILT_RETURN_IF_ERROR(system->CheckRunning());
    std::this_thread::sleep_for(std::chrono::microseconds(options.poll_interval_us));
  }
}

}  // namespace

Status WriteDataFile(const std::string& path, uint64_t lines, uint32_t line_bytes) {
  SILT_ASSIGN_OR_RETURN(auto maker, LineMaker::Create(line_bytes, /*seed=*/1));
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::FromErrno(errno, "creating " + path);
  std::string chunk;
  char prefix[32];
  Status status;
  for (uint64_t i = 0; i < lines && status.ok(); ++i) {
    std::snprintf(prefix, sizeof(prefix), "%010llu", static_cast<unsigned long long>(i));
    maker->Append(prefix, &chunk);
    if (chunk.size() >= (1u << 20) || i + 1 == lines) {
      status = WriteWhole(fd, chunk, path);
      chunk.clear();
    }
  }
  ::close(fd);
  return status;
}

Result<ThroughputSample> RunThroughput(const ThroughputOptions& options,
                                       const testing::TestCerts& certs, const std::string& root) {
  if (::mkdir(root.c_str(), 0755) != 0) return Status::FromErrno(errno, "mkdir " + root);
  BenchSystem system(root, &certs, options.system);
  SILT_RETURN_IF_ERROR(system.Prepare());
  if (::link(options.data_file.c_str(), system.log_file().c_str()) != 0) {
    return Status::FromErrno(errno, "hard-linking " + options.data_file + " to " +
                                        system.log_file() + " (--dir must be one file system)");
  }
  SILT_RETURN_IF_ERROR(system.StartAggregator());
  SILT_ASSIGN_OR_RETURN(const double aggregator_cpu_before, CpuSeconds(system.aggregator_pid()));
  const auto start = Clock::now();
  SILT_RETURN_IF_ERROR(system.StartAgent());
  SILT_ASSIGN_OR_RETURN(const auto end, WaitUntilConfirmed(&system, options));
  ThroughputSample sample;
  sample.wall_s = std::chrono::duration<double>(end - start).count();
  SILT_ASSIGN_OR_RETURN(sample.agent_cpu_s, CpuSeconds(system.agent_pid()));
  SILT_ASSIGN_OR_RETURN(const double aggregator_cpu_after, CpuSeconds(system.aggregator_pid()));
  sample.aggregator_cpu_s = aggregator_cpu_after - aggregator_cpu_before;
  sample.configs = system.ConfigText();
  SILT_RETURN_IF_ERROR(system.Stop());
  return sample;
}

}  // namespace silt::bench
