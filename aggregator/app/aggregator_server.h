// AggregatorServer: `silt-aggregator serve`'s wiring on one libuv loop: the storage engine
// (aggregator/engine) opened on data_dir, the agent listener (aggregator/server) pushing into it,
// and the process signals:
//
//   SIGTERM, SIGINT  drain: stop accepting, answer every batch in flight, Goodbye to every agent,
//                    then flush the head to chunk files, close the engine and the loop; exit 0
//   SIGHUP           re-read the agent listener's TLS certificate and key; the result is logged
//
// Once listening it logs msg="agent listener ready" address=<host:port> (tests read the port
// from it when listening on port 0). The syslog listeners (aggregator/ingest/syslog, unless both
// are disabled) start after it, log their own "syslog listener ready" lines, reload TLS on SIGHUP
// and drain alongside the agent connections.
//
// Thread-safety: Run() blocks the calling thread; everything happens on the loop inside it.
#pragma once

#include <uv.h>

#include <memory>
#include <vector>

#include "aggregator/config/aggregator_config.h"
#include "aggregator/engine/storage_engine.h"
#include "aggregator/ingest/syslog/syslog_service.h"
#include "aggregator/server/agent_listener.h"
#include "shared/fs/posix_file_system.h"
#include "shared/log/logger.h"
#include "shared/metrics/registry.h"
#include "shared/time/clock.h"

namespace silt::aggregator {

class AggregatorServer {
 public:
  // `logger` must outlive the server.
  AggregatorServer(AggregatorConfig config, log::Logger* logger);
  ~AggregatorServer();
  AggregatorServer(const AggregatorServer&) = delete;
  AggregatorServer& operator=(const AggregatorServer&) = delete;

  // Runs until a drain has finished. Returns the exit code: 0 after a clean shutdown; 1 when it
  // could not start (data directory locked or unusable, port in use, TLS files unreadable) or
  // the shutdown failed (flush, WAL, handles left open).
  int Run();

 private:
  Status Start();
  void AddSignal(int signum);
  void OnSignal(int signum);
  void Shutdown(const char* reason);
  void CloseSignals();
  // After the loop has stopped: flush and close the engine. False on an error (logged).
  bool StopEngine();

  const AggregatorConfig config_;
  log::Logger* const logger_;
  log::ComponentLogger log_;
  time::SystemClock clock_;
  fs::PosixFileSystem fs_;
  metrics::Registry registry_;
  uv_loop_t loop_;
  std::unique_ptr<engine::StorageEngine> engine_;
  std::unique_ptr<server::AgentListener> listener_;
  std::unique_ptr<ingest::SyslogService> syslog_;  // null when both transports are disabled
  int drains_pending_ = 0;
  std::vector<uv_signal_t*> signals_;
  bool stopping_ = false;
};

}  // namespace silt::aggregator
