// SocketStream: the ByteStream behaviour shared by PlainStream and TlsStream, over a TcpSocket:
// the handler, bytes kept until a handler is set or reading resumes, pause/resume, the orderly
// end (Shutdown, the peer's EOF, linger) and the single OnClosed. Subclasses turn socket bytes
// into plaintext (Deliver) and plaintext into socket bytes (Write).
//
// Upcalls that may destroy the stream (OnClosed) only come from libuv callbacks that touch
// nothing afterwards. Loop thread only.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "shared/net/byte_stream.h"
#include "shared/net/tcp_socket.h"

namespace silt::net {

class SocketStream : public ByteStream, protected TcpSocket::Events {
 public:
  // After our FIN, how long to wait for the peer's before closing anyway.
  static constexpr std::chrono::milliseconds kLinger{2000};

  ~SocketStream() override = default;

  void SetHandler(StreamHandler* handler) override;
  size_t queued_bytes() const override { return socket_->queued_bytes(); }
  void PauseReading() override;
  void ResumeReading() override;
  void Shutdown() override;
  void Close() override { CloseWith(Status::Ok()); }
  bool closed() const override { return closing_; }
  const PeerInfo& peer() const override { return peer_; }

 protected:
  // `socket` must be connected.
  explicit SocketStream(std::unique_ptr<TcpSocket> socket);

  TcpSocket& socket() { return *socket_; }
  PeerInfo& mutable_peer() { return peer_; }
  bool closing() const { return closing_; }
  // False after Shutdown() or Close(): Write() then drops its bytes.
  bool writable() const { return !closing_ && !shutdown_requested_; }
  bool shutdown_requested() const { return shutdown_requested_; }

  // Whether the socket should be read now. Subclasses may read more (a TLS handshake).
  virtual bool WantsSocketReads() const;
  // Called by Shutdown() before the FIN is queued (TLS: close_notify).
  virtual void BeforeShutdown() {}

  // Hands received plaintext to the handler, or keeps it until one is set / reading resumes.
  void Deliver(std::string_view bytes);
  // The peer ended its side in order (TCP EOF, TLS close_notify).
  void PeerEnded();
  // Closes at once; OnClosed(why) follows from the close callback.
  void CloseWith(Status why);
  void UpdateReading();
  // Unavailable: "connection with <peer>: <what>".
  Status ConnectionError(std::string_view what) const;

  void OnSocketEof() override { PeerEnded(); }
  void OnSocketError(int uv_error, std::string_view during) override;
  void OnSocketDrained() override;
  void OnSocketShutdown(int status) override;
  void OnSocketTimer() override;
  void OnSocketDeferred() override;
  void OnSocketClosed() override;

 private:
  void DeliverPending();
  void EndAfterPeerEof();
  void NotifyClosed();

  std::unique_ptr<TcpSocket> socket_;
  PeerInfo peer_;
  StreamHandler* handler_ = nullptr;
  std::string pending_;  // received, not yet delivered
  Status close_status_;
  bool paused_ = false;
  bool delivering_ = false;
  bool shutdown_requested_ = false;
  bool fin_sent_ = false;
  bool peer_eof_ = false;
  bool end_started_ = false;
  bool closing_ = false;
  bool socket_closed_ = false;
  bool notified_ = false;
};

}  // namespace silt::net
