// TcpSocket: owns one uv_tcp_t (plus a timeout timer and a "run soon" timer) and turns libuv's
// callbacks into calls on an Events object. The streams (PlainStream, TlsStream), the listener
// and the connector are built on it; it knows nothing about TLS or about ByteStream semantics.
//
// Handle lifetime: the libuv handles live in a heap block freed by their close callbacks, so
// destroying a TcpSocket at any time (even from inside one of its own events, as long as the
// event handler does not touch the socket afterwards) is safe; pending writes are cancelled and
// no event is delivered after the destructor starts. Loop thread only.
#pragma once

#include <uv.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "shared/status/status.h"

namespace silt::net {

class TcpSocket {
 public:
  // Receives the socket's events. None is delivered after Close() except OnSocketClosed and
  // OnSocketDeferred, and none after the socket is destroyed.
  class Events {
   public:
    virtual ~Events() = default;
    // uv_tcp_connect finished; `status` is 0 or a negative libuv error.
    virtual void OnSocketConnected(int status) { (void)status; }
    virtual void OnSocketData(std::string_view bytes) = 0;
    virtual void OnSocketEof() = 0;
    // A read or write failed with libuv error `uv_error`; `during` is "read" or "write".
    virtual void OnSocketError(int uv_error, std::string_view during) = 0;
    // queued_bytes() dropped to zero after a write that counted bytes.
    virtual void OnSocketDrained() {}
    // Shutdown() finished: every queued byte was written and FIN sent (status 0), or not.
    virtual void OnSocketShutdown(int status) { (void)status; }
    virtual void OnSocketTimer() {}
    virtual void OnSocketDeferred() {}
    // The TCP handle is closed (after Close()).
    virtual void OnSocketClosed() {}
  };

  // Initialises the handles on `loop` (which must outlive every handle's close callback).
  explicit TcpSocket(uv_loop_t* loop);
  ~TcpSocket();
  TcpSocket(const TcpSocket&) = delete;
  TcpSocket& operator=(const TcpSocket&) = delete;

  // `events` is not owned and must outlive the socket (or be replaced).
  void SetEvents(Events* events) { events_ = events; }
  uv_loop_t* loop() const { return loop_; }

  // Accepts a connection waiting on `listener`. Error: IOError with libuv's reason.
  Status Accept(uv_stream_t* listener);
  // Starts connecting to `address`; returns 0 or a negative libuv error (then no event follows).
  int Connect(const sockaddr* address);
  // "127.0.0.1:53412" / "[::1]:53412" of the peer, or "unknown peer" when it cannot be read.
  std::string PeerAddress() const;

  // Queues `bytes` for writing; `counted` of them count toward queued_bytes() until written.
  // Ignored once Close() was called. A failure is reported through OnSocketError.
  void Write(std::string bytes, size_t counted);
  // Queues `head`, `body` and `tail` (empty ones skipped) as one vectored write; `counted` as
  // for Write.
  void WriteParts(std::string head, std::string body, std::string tail, size_t counted);
  size_t queued_bytes() const { return queued_bytes_; }
  void StartReading();
  void StopReading();
  // Half-closes after the queued writes (FIN); reports through OnSocketShutdown.
  void Shutdown();
  // (Re)starts the timeout timer; OnSocketTimer fires once after `delay`.
  void StartTimer(std::chrono::milliseconds delay);
  void StopTimer();
  // OnSocketDeferred fires on a later loop turn (also after Close()).
  void Defer();
  // Closes the TCP handle at once (queued writes are dropped); OnSocketClosed follows.
  void Close();
  bool closing() const { return closing_; }

  // Keeps `token` alive until the TCP handle is closed (for connection counting).
  void HoldUntilClosed(std::shared_ptr<void> token);

  // Sets SIGPIPE to SIG_IGN when it is still at the default (writing to a vanished peer must not
  // kill the process). Returns true when it changed the disposition.
  static bool IgnoreSigpipe();

 private:
  struct Handles;
  struct WriteRequest;
  static void OnAlloc(uv_handle_t* handle, size_t suggested, uv_buf_t* buf);
  static void OnRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf);
  static void OnWrite(uv_write_t* req, int status);
  static void OnShutdown(uv_shutdown_t* req, int status);
  static void OnConnect(uv_connect_t* req, int status);
  static void OnTimer(uv_timer_t* timer);
  static void OnDefer(uv_timer_t* timer);
  static void OnSocketHandleClose(uv_handle_t* handle);
  static void OnDeferHandleClose(uv_handle_t* handle);
  void WriteDone(size_t counted, int status);

  uv_loop_t* loop_;
  Handles* handles_;
  Events* events_ = nullptr;
  size_t queued_bytes_ = 0;
  bool reading_ = false;
  bool closing_ = false;
};

// Formats an IPv4 or IPv6 socket address as "1.2.3.4:5" or "[::1]:5".
std::string FormatSocketAddress(const sockaddr* address);

}  // namespace silt::net
