// Agent: silt-agent's wiring. From an AgentConfig and an output it builds the pieces and runs
// them on one libuv loop until SIGINT or SIGTERM:
//
//   Discovery (globs, inotify / stat polling, rescans)
//     -> TailDriver -> TailerSet (reading, rotation, positions)
//     -> MultilineJoiner (only when a watch has `multiline`)
//     -> DurableSourceSink (a new source id reaches the positions file before its bytes go out)
//     -> output: ShipperSink (to silt-aggregator, confirming on Ack), JsonlSink (file or stdout)
//        or NullSink, which confirm to the PositionsStore
//
// plus the positions file (locked against a second agent, loaded at start, saved every
// save_interval and at shutdown), self-metrics in a Registry refreshed every second and served
// on status.metrics_listen when set (MetricsEndpoint), a logfmt status line every
// status.log_interval, and the tailer's events in the log.
//
// Shutdown (SIGINT, SIGTERM, or a failed output): discovery and reading stop, entries still being
// assembled by multiline are not flushed (their bytes are unconfirmed, so the next start reads and
// joins them whole), the positions are saved; the shipper sends what it gathered and waits up to
// aggregator.shutdown_timeout for acks (ShipperSink::Drain); then the positions are saved again,
// the output is synced and closed, every handle is closed and the loop is closed. SIGHUP is logged and otherwise ignored: reloading the config is
// not supported yet, restart the agent instead.
//
// Thread-safety: Run() blocks the calling thread; everything happens on the loop inside it.
#pragma once

#include <uv.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/app/agent_stats.h"
#include "agent/app/event_logger.h"
#include "agent/app/metrics_endpoint.h"
#include "agent/app/output_spec.h"
#include "agent/app/self_metrics.h"
#include "agent/app/tail_driver.h"
#include "agent/config/agent_config.h"
#include "agent/discovery/discovery.h"
#include "agent/discovery/watch_set.h"
#include "agent/multiline/multiline_joiner.h"
#include "agent/positions/positions_store.h"
#include "agent/sink/durable_source_sink.h"
#include "agent/sink/jsonl_sink.h"
#include "agent/sink/null_sink.h"
#include "agent/ship/shipper_metrics.h"
#include "agent/ship/shipper_sink.h"
#include "agent/tailer/source_id_generator.h"
#include "agent/tailer/tailer_set.h"
#include "shared/fs/posix_file_system.h"
#include "shared/log/logger.h"
#include "shared/metrics/registry.h"
#include "shared/time/clock.h"
#include "shared/time/uv_timer_service.h"

namespace silt::agent {

class Agent {
 public:
  // `logger` must outlive the agent.
  Agent(AgentConfig config, OutputSpec output, log::Logger* logger);
  ~Agent();
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  // Builds everything and runs the loop until a shutdown. Returns the process exit code: 0 after
  // a clean shutdown; 1 when the agent could not start (the positions file is locked by another
  // agent or its directory cannot be created, the output cannot be opened, the metrics port
  // cannot be bound) or the output failed.
  int Run();

  // The metrics registry (for the HTTP endpoint and tests).
  metrics::Registry& registry() { return registry_; }

 private:
  Status Build();
  Status BuildOutput();
  Status BuildShipper();
  void BuildTailing();
  void StartTimers();
  // A signal handle / repeating timer owned by the agent (closed at shutdown).
  void AddSignal(int signum);
  void AddTimer(uint64_t interval_ms, uv_timer_cb callback);
  void AfterTailerCall();
  void Shutdown(int exit_code, const char* reason);
  // The rest of Shutdown, once the shipper has drained.
  void FinishShutdown();
  std::string OutputName() const;
  AgentStats CollectStats() const;
  void LogStatus(const char* message);
  labels::LabelSet LabelsFor(const std::string& path);
  const MultilineRule* MultilineFor(const std::string& path) const;

  const AgentConfig config_;
  const OutputSpec output_spec_;
  log::Logger* const logger_;
  log::ComponentLogger log_;
  time::SystemClock clock_;
  fs::PosixFileSystem fs_;
  uv_loop_t loop_;
  bool loop_ready_ = false;

  std::unique_ptr<fs::FileLock> positions_lock_;
  std::unique_ptr<PositionsStore> positions_;
  std::unique_ptr<SeededSourceIdGenerator> ids_;
  std::optional<WatchSet> watches_;
  std::vector<std::optional<MultilineRule>> multiline_rules_;  // by watch index
  std::unique_ptr<time::UvTimerService> timers_;  // before the sinks that schedule on it
  std::unique_ptr<JsonlSink> jsonl_;
  std::unique_ptr<NullSink> null_;
  std::unique_ptr<ShipperMetrics> shipper_metrics_;
  std::unique_ptr<ShipperSink> shipper_;
  std::unique_ptr<DurableSourceSink> durable_;
  std::unique_ptr<MultilineJoiner> joiner_;
  std::unique_ptr<TailerSet> tailers_;
  std::unique_ptr<TailDriver> driver_;
  std::unique_ptr<Discovery> discovery_;
  metrics::Registry registry_;
  std::unique_ptr<SelfMetrics> metrics_;
  std::unique_ptr<MetricsEndpoint> metrics_endpoint_;
  EventLogger events_;
  std::vector<uv_handle_t*> handles_;  // signals and timers owned here
  uint64_t label_values_rejected_ = 0;
  bool stopping_ = false;
  int exit_code_ = 0;
};

}  // namespace silt::agent
