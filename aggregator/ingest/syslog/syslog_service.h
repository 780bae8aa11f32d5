// SyslogService: the aggregator's syslog front door (docs/syslog.md): a TCP listener (plain or
// TLS per RFC 5425, through shared/net like the agent port) with one SyslogTcpSession per
// connection, and a SyslogUdpReceiver; either may be disabled. Both parse RFC 5424 / RFC 3164
// and push into storage under the configured tenant.
//
// Start logs msg="syslog listener ready" transport=tcp|udp address=<host:port> for each
// transport (tests read the ports from it when listening on port 0).
// Drain (SIGTERM): stop accepting and receiving, store what every connection and the UDP batch
// hold, wait for storage to confirm it, close every handle; connections still busy after
// drain_timeout are closed anyway. `done` runs when the last handle is closed.
//
// Thread-safety: loop thread only (the push function may complete on any thread).
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "aggregator/ingest/syslog/syslog_env.h"
#include "aggregator/ingest/syslog/syslog_metrics.h"
#include "aggregator/ingest/syslog/syslog_options.h"
#include "aggregator/ingest/syslog/syslog_tcp_session.h"
#include "aggregator/ingest/syslog/syslog_udp_receiver.h"
#include "shared/metrics/registry.h"
#include "shared/net/stream_listener.h"
#include "shared/time/uv_timer_service.h"

namespace silt::ingest {

class SyslogService {
 public:
  // Registers the metrics and starts the enabled listeners. Errors: the registry's, the TCP
  // listener's (TLS files, IOError naming host:port) or the UDP receiver's (IOError naming the
  // address). `loop`, `registry`, `logger` and `clock` must outlive the service. On error the
  // loop must run once more to free handles.
  static Result<std::unique_ptr<SyslogService>> Start(uv_loop_t* loop, SyslogOptions options,
                                                      server::PushFn push,
                                                      metrics::Registry* registry,
                                                      log::Logger* logger,
                                                      const time::Clock* clock);
  // Closes whatever is still open; run the loop afterwards.
  ~SyslogService();
  SyslogService(const SyslogService&) = delete;
  SyslogService& operator=(const SyslogService&) = delete;

  // "" when the transport is disabled.
  std::string tcp_address() const;
  std::string udp_address() const;
  // Re-reads the TCP listener's TLS files (SIGHUP). OK and a no-op without TLS or TCP.
  Status Reload();
  // See the file comment. `done` runs once, on the loop. Idempotent.
  void Drain(std::function<void()> done);
  size_t session_count() const { return sessions_.size(); }

 private:
  SyslogService(uv_loop_t* loop, SyslogOptions options, log::Logger* logger);
  void Accept(std::unique_ptr<net::ByteStream> stream);
  void OnSessionFinished(SyslogTcpSession* session);
  void MaybeFinishDrain();

  uv_loop_t* const loop_;
  const SyslogOptions options_;
  log::ComponentLogger log_;
  SyslogMetrics metrics_;
  std::unique_ptr<ListenerPipeline> pipeline_;  // null without syslog.pipeline
  time::UvTimerService timers_;
  SyslogEnv env_;
  std::unique_ptr<net::StreamListener> listener_;
  std::unique_ptr<SyslogUdpReceiver> udp_;
  std::map<uint64_t, std::unique_ptr<SyslogTcpSession>> sessions_;
  uint64_t next_session_id_ = 1;
  bool draining_ = false;
  bool listener_closed_ = false;
  bool udp_closed_ = false;
  bool finished_ = false;
  time::TimerService::TimerId drain_timer_ = time::TimerService::kInvalidTimerId;
  std::function<void()> drain_done_;
};

}  // namespace silt::ingest
