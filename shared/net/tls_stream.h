// TlsStream: a ByteStream over a TLS session on a TCP connection. OpenSSL never touches the
// socket: ciphertext read from the socket is written into a memory BIO the SSL reads, and what
// the SSL writes into its output memory BIO is queued on the socket. Built by StreamListener
// (server role) and Connect (client role), which run the handshake and hand the stream to their
// owner only once it succeeded. Renegotiation is off; Shutdown() sends close_notify before FIN;
// a TCP EOF without the peer's close_notify is reported as a truncation error.
// Loop thread only.
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "shared/net/socket_stream.h"
#include "shared/net/tls_context.h"
#include "shared/net/tls_failure.h"

namespace silt::net {

class TlsStream final : public SocketStream {
 public:
  enum class Role { kServer, kClient };
  // The handshake's outcome: OK with kNone, or the classified failure (the status message is
  // TlsFailure::message prefixed with the peer). Called once from a libuv callback; it may
  // destroy the stream.
  using HandshakeDone = std::function<void(Status status, TlsFailureReason reason)>;

  // `socket` is connected; `ssl` comes from the matching TlsContext::New*Session.
  TlsStream(std::unique_ptr<TcpSocket> socket, SslPtr ssl, Role role);
  ~TlsStream() override;

  // Starts the handshake. `timeout` zero means none. Bytes the peer sends right after the
  // handshake are kept for the handler.
  void StartHandshake(std::chrono::milliseconds timeout, HandshakeDone done);

  void Write(std::string bytes) override;
  // Encrypts the parts one after the other and queues the records in one socket write.
  void WriteParts(std::string head, std::string body, std::string tail) override;

 protected:
  bool WantsSocketReads() const override;
  void BeforeShutdown() override;
  void OnSocketData(std::string_view bytes) override;
  void OnSocketEof() override;
  void OnSocketError(int uv_error, std::string_view during) override;
  void OnSocketShutdown(int status) override;
  void OnSocketTimer() override;
  void OnSocketDeferred() override;
  void OnSocketClosed() override;

 private:
  enum class Phase { kIdle, kHandshaking, kFailing, kOpen };
  void StepHandshake();
  void HandshakeSucceeded();
  void HandshakeFailed(TlsFailure failure);
  void ReadPlaintext();
  // SSL_write of all of `bytes` into the output BIO; false (and the stream closing) on failure.
  bool Encrypt(std::string_view bytes);
  void FlushCiphertext(size_t counted);
  void FillPeerInfo();

  SslPtr ssl_;
  BIO* input_;   // owned by ssl_: ciphertext from the peer
  BIO* output_;  // owned by ssl_: ciphertext for the peer
  Role role_;
  Phase phase_ = Phase::kIdle;
  std::chrono::milliseconds timeout_{0};
  HandshakeDone done_;
  bool success_pending_ = false;
  bool first_bytes_seen_ = false;
  bool close_notify_received_ = false;
  Status failure_status_;
  TlsFailureReason failure_reason_ = TlsFailureReason::kNone;
};

}  // namespace silt::net
