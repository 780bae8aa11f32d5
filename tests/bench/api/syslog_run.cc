#include "tests/bench/api/syslog_run.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/bench/aggregator/sample_spread.h"
#include "tests/bench/api/rsyslog_server.h"
#include "tests/bench/api/silt_server.h"
#include "tests/bench/api/syslog_stream.h"
#include "tests/bench/system/proc_stat.h"

namespace silt::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kPollInterval = std::chrono::milliseconds(10);
constexpr auto kReceiveDeadline = std::chrono::minutes(10);

struct RunResult {
  double wall_s = 0;
  double cpu_s = 0;
};

// Sends `stream` to `port`, then polls `received` every 10 ms until it reports every message;
// the wall time since the send began and `pid`'s CPU over it. The error names `server`.
Result<RunResult> Measure(const SyslogStream& stream, int port, pid_t pid,
                          const std::string& server,
                          const std::function<Result<uint64_t>()>& received) {
  SILT_ASSIGN_OR_RETURN(const double cpu_before, CpuSeconds(pid));
  const auto start = Clock::now();
  SILT_RETURN_IF_ERROR(stream.Send(port));
  uint64_t count = 0;
  for (;;) {
    SILT_ASSIGN_OR_RETURN(count, received());
    if (count >= stream.messages()) break;
    if (Clock::now() - start > kReceiveDeadline) {
      return Status::IOError(server + " received " + std::to_string(count) + " of " +
                             std::to_string(stream.messages()) + " messages within 10 min");
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  RunResult result;
  result.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
  SILT_ASSIGN_OR_RETURN(const double cpu_after, CpuSeconds(pid));
  result.cpu_s = cpu_after - cpu_before;
  return result;
}

Result<RunResult> SiltRun(const std::string& root, const SyslogStream& stream) {
  std::filesystem::create_directories(root);
  SiltServer server(root, {.syslog_tcp = true});
  SILT_RETURN_IF_ERROR(server.Start());
  const std::string accepted = "silt_syslog_entries_total{transport=\"tcp\",outcome=\"accepted\"}";
  SILT_ASSIGN_OR_RETURN(RunResult result, Measure(stream, server.syslog_tcp_port(), server.pid(),
                                                  "silt-aggregator", [&]() -> Result<uint64_t> {
                                                    SILT_RETURN_IF_ERROR(server.CheckRunning());
                                                    SILT_ASSIGN_OR_RETURN(const double value,
                                                                          server.Metric(accepted));
                                                    return static_cast<uint64_t>(value);
                                                  }));
  SILT_RETURN_IF_ERROR(server.Stop());
  std::filesystem::remove_all(root);
  return result;
}

// Counts the '\n' bytes appended to a file since the last call.
class LineCounter {
 public:
  explicit LineCounter(std::string path) : path_(std::move(path)) {}
  ~LineCounter() {
    if (fd_ >= 0) ::close(fd_);
  }
  Result<uint64_t> Count() {
    if (fd_ < 0) fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return uint64_t{0};  // rsyslog creates the file with the first message
    char buffer[1 << 16];
    ssize_t n;
    while ((n = ::read(fd_, buffer, sizeof(buffer))) > 0) {
      lines_ += static_cast<uint64_t>(std::count(buffer, buffer + n, '\n'));
    }
    if (n < 0) return Status::FromErrno(errno, "read " + path_);
    return lines_;
  }

 private:
  std::string path_;
  int fd_ = -1;
  uint64_t lines_ = 0;
};

Result<RunResult> RsyslogRun(const std::string& root, const SyslogStream& stream, bool sync) {
  std::filesystem::create_directories(root);
  RsyslogServer server(root, sync);
  SILT_RETURN_IF_ERROR(server.Start());
  LineCounter counter(server.output_file());
  SILT_ASSIGN_OR_RETURN(RunResult result, Measure(stream, server.port(), server.pid(), "rsyslogd",
                                                  [&] { return counter.Count(); }));
  SILT_RETURN_IF_ERROR(server.Stop());
  std::filesystem::remove_all(root);
  return result;
}

// Items per CPU second; 0 when the CPU time is below one clock tick (tiny smoke runs).
double PerCore(uint64_t items, double cpu_s) {
  return cpu_s > 0 ? static_cast<double>(items) / cpu_s : 0;
}

}  // namespace

Status RunSyslogBench(const SyslogOptions& options, std::ostream& out) {
  if (options.runs < 1) return Status::InvalidArgument("syslog: --runs must be >= 1");
  SILT_ASSIGN_OR_RETURN(SyslogStream stream,
                        SyslogStream::Make(options.lines, options.connections,
                                           options.octet_counting, options.line_bytes));
  out << "syslog: " << Grouped(stream.messages()) << " RFC 5424 messages per run ("
      << stream.message_bytes() / stream.messages() << " bytes avg), "
      << (options.octet_counting ? "octet-counted" : "LF-framed") << ", over "
      << stream.connections()
      << " TCP connections; rsyslog omfile sync=" << (options.rsyslog_sync ? "on" : "off") << "\n";
  const char* names[2] = {"silt", "rsyslog"};
  std::vector<double> per_core[2];
  for (int run = -options.warmup; run < options.runs; ++run) {
    for (int s = 0; s < 2; ++s) {
      const std::string root =
          options.dir + "/syslog-" + std::to_string(run + options.warmup) + "-" + names[s];
      SILT_ASSIGN_OR_RETURN(RunResult result, s == 0
                                                  ? SiltRun(root, stream)
                                                  : RsyslogRun(root, stream, options.rsyslog_sync));
      const double rate = PerCore(stream.messages(), result.cpu_s);
      out << (run < 0 ? "warmup " : "run ") << (run < 0 ? run + options.warmup : run) + 1 << " "
          << names[s] << ": wall " << result.wall_s << " s, server cpu " << result.cpu_s << " s, "
          << Grouped(static_cast<uint64_t>(rate)) << " lines/s per server core, "
          << Grouped(static_cast<uint64_t>(static_cast<double>(stream.messages()) / result.wall_s))
          << " lines/s wall\n";
      if (run >= 0) per_core[s].push_back(rate);
    }
  }
  const Spread silt = SpreadOf(per_core[0]);
  const Spread rsyslog = SpreadOf(per_core[1]);
  out << "lines/s per server core, median [min-max] of " << options.runs << ":\n"
      << "  silt-aggregator: " << FormatSpread(silt, "%.0f") << "\n"
      << "  rsyslogd:        " << FormatSpread(rsyslog, "%.0f") << "\n"
      << "  silt/rsyslog:    " << silt.median / rsyslog.median << "x\n";
  return Status::Ok();
}

}  // namespace silt::bench
