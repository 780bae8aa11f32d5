// SyslogTcpSession: one syslog TCP (or TLS, RFC 5425) connection. Bytes go through a
// SyslogFramer; every message of one read becomes one SyslogBatch handed to the connection's
// BatchPusher. Reading pauses while the pusher holds more than max_pending_bytes or waits to
// retry a batch storage refused for memory, and resumes when it drops below.
//
// A refused message (over max_message_size) is logged and counted and the connection goes on;
// lost octet-count framing is logged, counted and closes the connection. At EOF a trailing
// partial frame is stored. Drain() (shutdown) stops reading, stores what is buffered and closes
// the stream once the pusher is idle. The session reports `on_finished` once the stream is
// closed and its messages are stored (or Abort() gave up on them).
//
// Lifetime: owned by the SyslogService (unique_ptr); destroyed only after on_finished, on a
// later loop turn. Thread-safety: loop thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "aggregator/ingest/syslog/batch_pusher.h"
#include "aggregator/ingest/syslog/syslog_batch.h"
#include "aggregator/ingest/syslog/syslog_env.h"
#include "aggregator/ingest/syslog/syslog_framer.h"
#include "shared/net/byte_stream.h"

namespace silt::ingest {

class SyslogTcpSession final : public net::StreamHandler, public SyslogFramer::Handler {
 public:
  // `env` must outlive the session; `on_finished` is called once (see the file comment).
  SyslogTcpSession(uint64_t id, std::unique_ptr<net::ByteStream> stream, const SyslogEnv* env,
                   std::function<void(SyslogTcpSession*)> on_finished);
  ~SyslogTcpSession() override;

  void Start();
  // See the file comment. Idempotent.
  void Drain();
  // Closes now; what is not stored yet is given up.
  void Abort();
  uint64_t id() const { return id_; }

  void OnData(std::string_view bytes) override;
  void OnClosed(const Status& why) override;
  void OnMessage(std::string_view message, Framing framing) override;
  void OnOversize(size_t size, Framing framing) override;

 private:
  void Flush();
  void UpdateFlow();
  void MaybeFinish();

  const uint64_t id_;
  std::unique_ptr<net::ByteStream> stream_;
  const SyslogEnv* const env_;
  std::function<void(SyslogTcpSession*)> on_finished_;
  log::ComponentLogger log_;
  std::string peer_;       // host:port, for logs
  std::string peer_host_;  // host only, for the host label
  SyslogFramer framer_;
  SyslogBatch batch_;
  std::shared_ptr<BatchPusher> pusher_;
  ReceiveContext context_;
  bool paused_ = false;
  bool draining_ = false;
  bool aborted_ = false;
  bool closed_ = false;
  bool finished_ = false;
};

// "127.0.0.1:5140" -> "127.0.0.1", "[::1]:5140" -> "::1".
std::string HostOfAddress(std::string_view address);

}  // namespace silt::ingest
