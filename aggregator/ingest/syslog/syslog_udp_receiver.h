// SyslogUdpReceiver: the syslog UDP socket (docs/syslog.md "UDP"). One datagram is one message;
// datagrams are batched for udp_linger (or until the batch holds 1 MiB) and handed to a
// BatchPusher that does not retry: when storage refuses a batch its entries are dropped and
// counted (UDP senders cannot be slowed down). A datagram longer than max_message_size (or cut
// by the receive buffer) is refused and counted. SO_RCVBUF is set to udp_receive_buffer.
//
// Lifetime: owns the uv_udp_t (freed in its close callback). Drain() stops receiving, stores the
// pending batch and closes the handle when the pusher is idle, then runs `done`.
// Thread-safety: loop thread only.
#pragma once

#include <uv.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "aggregator/ingest/syslog/batch_pusher.h"
#include "aggregator/ingest/syslog/syslog_batch.h"
#include "aggregator/ingest/syslog/syslog_env.h"
#include "shared/status/result.h"

namespace silt::ingest {

class SyslogUdpReceiver {
 public:
  // Binds host:port and starts receiving. IOError naming the address when it cannot bind.
  // `env` must outlive the receiver. On error the loop must run once more to free the handle.
  static Result<std::unique_ptr<SyslogUdpReceiver>> Start(uv_loop_t* loop, const SyslogEnv* env);
  // Closes the handle if Drain has not (queued batches are given up).
  ~SyslogUdpReceiver();
  SyslogUdpReceiver(const SyslogUdpReceiver&) = delete;
  SyslogUdpReceiver& operator=(const SyslogUdpReceiver&) = delete;

  std::string address() const { return address_; }
  int port() const { return port_; }
  // The SO_RCVBUF the kernel granted (Linux reports twice the requested size, capped).
  int receive_buffer() const { return receive_buffer_; }
  // See the file comment; `done` runs once, on the loop.
  void Drain(std::function<void()> done);

 private:
  explicit SyslogUdpReceiver(const SyslogEnv* env);
  Status Bind(uv_loop_t* loop);
  void OnDatagram(ssize_t nread, const uv_buf_t* buf, const sockaddr* addr, unsigned flags);
  void Flush();
  void MaybeFinishDrain();
  void CloseHandle();

  const SyslogEnv* const env_;
  log::ComponentLogger log_;
  uv_udp_t* handle_ = nullptr;
  std::vector<char> buffer_;
  std::string address_;
  int port_ = 0;
  int receive_buffer_ = 0;
  SyslogBatch batch_;
  std::shared_ptr<BatchPusher> pusher_;
  time::TimerService::TimerId linger_timer_ = time::TimerService::kInvalidTimerId;
  bool draining_ = false;
  std::function<void()> drain_done_;
};

}  // namespace silt::ingest
