// AgentListener: the aggregator's agent port. Owns the net::StreamListener (plain TCP or TLS,
// shared/net), one AgentSession per accepted connection, the timers of those sessions and the
// CompletionMailbox that brings the engine's push outcomes back to the loop.
//
// Drain (SIGTERM): stop accepting, let every session answer its batches in flight and send
// Goodbye with reconnect_after_ms, then close; sessions still open after drain_timeout are
// closed at once. `done` runs when the last handle is closed, so the loop can then be closed.
//
// Thread-safety: loop thread only (the push function may complete on any thread).
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "aggregator/server/agent_session.h"
#include "aggregator/server/completion_mailbox.h"
#include "aggregator/server/server_metrics.h"
#include "aggregator/server/session_options.h"
#include "aggregator/server/tenant_auth.h"
#include "shared/log/logger.h"
#include "shared/metrics/registry.h"
#include "shared/net/stream_listener.h"
#include "shared/time/clock.h"
#include "shared/time/uv_timer_service.h"

namespace silt::server {

inline constexpr int kDefaultAgentPort = 7458;

struct AgentListenerOptions {
  AgentListenerOptions() {
    listen.port = kDefaultAgentPort;
    listen.component = "agent-listener";
  }
  net::ListenOptions listen;
  SessionOptions session;
  TenantAuth auth;
  // How long Drain waits for batches in flight before closing the remaining sessions.
  int64_t drain_timeout_ns = 10'000 * kMillisecondNs;
  // Sent in the shutdown Goodbye (and in Nack(shutting_down)).
  uint32_t reconnect_after_ms = 1000;
};

class AgentListener {
 public:
  // Registers the metrics, starts the mailbox and listens. Errors: the listener's
  // (InvalidArgument for TLS files, IOError naming host:port when it cannot bind) or the
  // registry's. `loop`, `registry`, `logger` and `clock` must outlive the listener; `push` may
  // call back on any thread. On error the loop must run once more to free handles.
  static Result<std::unique_ptr<AgentListener>> Start(uv_loop_t* loop, AgentListenerOptions options,
                                                      PushFn push, metrics::Registry* registry,
                                                      log::Logger* logger,
                                                      const time::Clock* clock);
  // Closes whatever is still open (sessions without Goodbye); run the loop afterwards.
  ~AgentListener();
  AgentListener(const AgentListener&) = delete;
  AgentListener& operator=(const AgentListener&) = delete;

  std::string address() const { return listener_->address(); }
  int port() const { return listener_->port(); }
  // Re-reads the TLS certificate and key (SIGHUP). OK and a no-op without TLS; on error the old
  // files stay in use and the error names the file.
  Status Reload() { return listener_->Reload(); }
  // See the file comment. `done` runs once, on the loop. Idempotent (later calls' `done` are
  // dropped).
  void Drain(std::function<void()> done);

  size_t session_count() const { return sessions_.size(); }
  const AgentServerMetrics& metrics() const { return metrics_; }
  const net::ListenerStats& listener_stats() const { return listener_->stats(); }

 private:
  AgentListener(uv_loop_t* loop, AgentListenerOptions options, log::Logger* logger);
  void Accept(std::unique_ptr<net::ByteStream> stream);
  void OnSessionClosed(AgentSession* session);
  void MaybeFinishDrain();

  uv_loop_t* const loop_;
  const AgentListenerOptions options_;
  log::ComponentLogger log_;
  AgentServerMetrics metrics_;
  time::UvTimerService timers_;
  SessionEnv env_;
  std::unique_ptr<net::StreamListener> listener_;
  std::map<uint64_t, std::shared_ptr<AgentSession>> sessions_;
  uint64_t next_session_id_ = 1;
  bool draining_ = false;
  bool listener_closed_ = false;
  bool finished_ = false;
  time::TimerService::TimerId drain_timer_ = time::TimerService::kInvalidTimerId;
  std::function<void()> drain_done_;
};

}  // namespace silt::server
