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
// The HTTP API (aggregator/api, config `http:`) starts before the engine opens, so /ready (503
// until the engine is open) and /metrics answer as soon as it logs msg="http listener ready"
// address=<host:port>; queries run on a worker pool. SIGTERM stops it gracefully after the
// agent listener's drain, and the pool finishes its queries before the engine closes. Loki push
// (POST /loki/api/v1/push, /api/v1/logs; aggregator/ingest/push) and the WebSocket tail
// (/loki/api/v1/tail; aggregator/tail) are routed from the start and answer 503 until the engine
// is open; push decoding runs on the query pool; tails get close 1001 at shutdown.
//
// Thread-safety: Run() blocks the calling thread; everything happens on the loop inside it, but
// for the engine's recovery, which runs on a helper thread and hands the engine to the loop.
#pragma once

#include <uv.h>

#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "aggregator/api/loki_api.h"
#include "aggregator/api/query_pool.h"
#include "aggregator/config/aggregator_config.h"
#include "aggregator/engine/storage_engine.h"
#include "aggregator/ingest/push/push_handler.h"
#include "aggregator/ingest/syslog/syslog_service.h"
#include "aggregator/server/agent_listener.h"
#include "aggregator/tail/tail_handler.h"
#include "shared/fs/posix_file_system.h"
#include "shared/http/router.h"
#include "shared/http/server.h"
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
  // Signals, metrics, the HTTP API, then the engine's recovery on a thread (OpenEngine).
  Status Start();
  void OpenEngine();
  // On the loop once recovery is over: the listeners, or Fail, or the end of an early shutdown.
  void OnEngineOpened();
  Status StartListeners();
  // Logs why the server cannot start, sets exit code 1 and closes what is open.
  void Fail(const Status& why);
  // Starts the HTTP API when configured (before the engine opens).
  Status StartHttp();
  // Once the engine is open: the push and tail handlers behind their routes.
  Status StartHttpIngest();
  // Every route of the HTTP API; more handlers (push, tail) are registered here.
  Status AddRoutes(http::Router* router);
  // After the agent drain: stops the HTTP server, then calls `done`.
  void StopHttp(std::function<void()> done);
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
  std::unique_ptr<api::QueryPool> query_pool_;
  std::unique_ptr<api::LokiApi> loki_api_;
  std::unique_ptr<http::HttpServer> http_;
  std::unique_ptr<ingest::PushHandler> push_;  // null until the engine is open
  std::unique_ptr<tail::TailHandler> tail_;     // null until the engine is open
  std::vector<uv_signal_t*> signals_;
  bool stopping_ = false;
  int exit_code_ = 0;
  // Recovery: the thread opening the engine hands its result over through `opened_`.
  std::thread opener_;
  uv_async_t* opened_ = nullptr;
  Status open_status_;
  std::unique_ptr<engine::StorageEngine> opened_engine_;
};

}  // namespace silt::aggregator
