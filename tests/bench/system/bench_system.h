// BenchSystem: one silt-aggregator and one silt-agent on this machine for a benchmark run, in a
// fresh directory: aggregator.yaml (TLS with required client certificates, fsync'd WAL, the
// product defaults otherwise), agent.yaml (one watch on logs/bench.log, shipping over TLS, its
// /metrics on a free loopback port), both processes' logs, the WAL and chunk files. Certificates
// come from TestCerts (the real openssl CLI). Not thread-safe; one bench thread drives it.
#pragma once

#include <sys/types.h>

#include <string>

#include "shared/status/status.h"
#include "tests/integration/system/child_process.h"
#include "tests/support/test_certs.h"

namespace silt::bench {

// Agent settings a run may change; an empty string keeps the product default (the key is not
// written), so the printed config shows exactly what differs from a fresh install.
struct SystemOptions {
  std::string save_interval = "50ms";  // positions.save_interval: how late the probe sees acks
  std::string batch_linger;            // batch.linger
  std::string batch_max_lines;         // batch.max_lines
  std::string ship_linger;             // aggregator.linger
};

class BenchSystem {
 public:
  // `root` must exist and be empty; `certs` must be generated and outlive this object.
  BenchSystem(std::string root, const testing::TestCerts* certs, SystemOptions options);
  // Kills processes still running (SIGKILL); Stop() is the graceful way.
  ~BenchSystem() = default;

  // Makes logs/, agent/, data/ and writes aggregator.yaml. IOError naming the path on failure.
  Status Prepare();
  // Starts silt-aggregator (listen 127.0.0.1:0), waits for `msg="agent listener ready"` and writes
  // agent.yaml with the port it logged. Unavailable with the log's tail when it does not come up.
  Status StartAggregator();
  // Starts silt-agent and waits for its `msg="serving metrics"` line.
  Status StartAgent();
  // IOError with both logs' tails when either process has exited.
  Status CheckRunning();
  // SIGTERM to the agent, then to the aggregator (which drains and flushes); IOError with the
  // logs' tails when either does not exit 0.
  Status Stop();

  std::string Path(const std::string& name) const { return root_ + "/" + name; }
  std::string log_file() const { return Path("logs/bench.log"); }
  std::string positions_file() const { return Path("agent/positions"); }
  pid_t aggregator_pid() const { return aggregator_.pid(); }
  pid_t agent_pid() const { return agent_.pid(); }
  const std::string& metrics_address() const { return metrics_address_; }
  // Both config files as written (for the report).
  std::string ConfigText() const;
  std::string LogTails() const;

 private:
  void WriteAgentConfig(const std::string& aggregator_address);

  std::string root_;
  const testing::TestCerts* certs_;
  SystemOptions options_;
  testing::ChildProcess aggregator_;
  testing::ChildProcess agent_;
  std::string metrics_address_;
};

}  // namespace silt::bench
