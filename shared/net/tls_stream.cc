#include "shared/net/tls_stream.h"

#include <openssl/err.h>
#include <openssl/x509.h>

#include <utility>

namespace silt::net {
namespace {

constexpr unsigned char kTlsHandshakeRecord = 0x16;
constexpr size_t kPlaintextChunk = 16 * 1024;
// After a failed handshake, how long the alert gets to reach the peer before the socket closes.
constexpr std::chrono::milliseconds kAlertLinger{1000};

std::string CommonName(X509_NAME* name) {
  const int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (index < 0) return "";
  unsigned char* utf8 = nullptr;
  const int length =
      ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index)));
  if (length < 0) return "";
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(length));
  OPENSSL_free(utf8);
  return out;
}

std::string Rfc2253(X509_NAME* name) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (bio == nullptr) return "";
  X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(length > 0 ? length : 0));
  BIO_free(bio);
  return out;
}

}  // namespace

TlsStream::TlsStream(std::unique_ptr<TcpSocket> socket, SslPtr ssl, Role role)
    : SocketStream(std::move(socket)), ssl_(std::move(ssl)), role_(role) {
  input_ = BIO_new(BIO_s_mem());
  output_ = BIO_new(BIO_s_mem());
  BIO_set_mem_eof_return(input_, -1);  // empty input means "want more", not EOF
  SSL_set_bio(ssl_.get(), input_, output_);
  mutable_peer().tls = true;
}

TlsStream::~TlsStream() = default;

void TlsStream::StartHandshake(std::chrono::milliseconds timeout, HandshakeDone done) {
  phase_ = Phase::kHandshaking;
  done_ = std::move(done);
  timeout_ = timeout;
  if (timeout.count() > 0) socket().StartTimer(timeout);
  if (role_ == Role::kClient) StepHandshake();
  UpdateReading();
}

bool TlsStream::WantsSocketReads() const {
  return phase_ == Phase::kHandshaking ||
         (phase_ == Phase::kOpen && !success_pending_ && SocketStream::WantsSocketReads());
}

void TlsStream::OnSocketData(std::string_view bytes) {
  if (phase_ == Phase::kFailing) return;
  if (role_ == Role::kServer && !first_bytes_seen_) {
    first_bytes_seen_ = true;
    if (static_cast<unsigned char>(bytes.front()) != kTlsHandshakeRecord) {
      HandshakeFailed(PlaintextPeerFailure(bytes));
      return;
    }
  }
  BIO_write(input_, bytes.data(), static_cast<int>(bytes.size()));
  if (phase_ == Phase::kHandshaking) {
    StepHandshake();
  } else if (phase_ == Phase::kOpen) {
    ReadPlaintext();
  }
}

void TlsStream::StepHandshake() {
  ERR_clear_error();
  const int rc = SSL_do_handshake(ssl_.get());
  if (rc == 1) {
    FlushCiphertext(0);
    HandshakeSucceeded();
    return;
  }
  const int error = SSL_get_error(ssl_.get(), rc);
  if (error == SSL_ERROR_WANT_READ) {
    FlushCiphertext(0);
    return;
  }
  TlsFailure failure = ClassifyTlsFailure(ssl_.get(), role_ == Role::kServer);
  FlushCiphertext(0);  // the alert, if OpenSSL made one
  HandshakeFailed(std::move(failure));
}

void TlsStream::HandshakeSucceeded() {
  phase_ = Phase::kOpen;
  socket().StopTimer();
  FillPeerInfo();
  success_pending_ = true;
  socket().Defer();
  ReadPlaintext();  // application data that came with the last handshake flight
  UpdateReading();
}

void TlsStream::HandshakeFailed(TlsFailure failure) {
  phase_ = Phase::kFailing;
  failure_reason_ = failure.reason;
  const std::string what = role_ == Role::kServer ? "TLS handshake from " : "TLS handshake with ";
  failure_status_ = Status::Unavailable(what + peer().address + " failed: " + failure.message);
  // Let the alert reach the peer: FIN after it, then close (or close after a short linger).
  socket().StopReading();
  socket().Shutdown();
  socket().StartTimer(kAlertLinger);
}

void TlsStream::OnSocketShutdown(int status) {
  if (phase_ == Phase::kFailing) {
    CloseWith(failure_status_);
    return;
  }
  SocketStream::OnSocketShutdown(status);
}

void TlsStream::OnSocketTimer() {
  if (phase_ == Phase::kHandshaking) {
    HandshakeFailed({TlsFailureReason::kTimeout,
                     "handshake timeout: the TLS handshake did not finish within " +
                         std::to_string(timeout_.count()) +
                         " ms (a stalled or non-TLS client, or a very slow network)"});
    return;
  }
  if (phase_ == Phase::kFailing) {
    CloseWith(failure_status_);
    return;
  }
  SocketStream::OnSocketTimer();
}

void TlsStream::OnSocketEof() {
  if (phase_ == Phase::kHandshaking) {
    TlsFailure failure = ClassifyTlsFailure(ssl_.get(), role_ == Role::kServer);
    if (failure.reason == TlsFailureReason::kOther) {
      failure = {TlsFailureReason::kPeerClosed,
                 "the peer closed the connection during the TLS handshake (it may have "
                 "rejected our certificate or TLS version without an alert)"};
    }
    HandshakeFailed(std::move(failure));
    return;
  }
  if (phase_ != Phase::kOpen) return;
  if (close_notify_received_ || shutdown_requested()) {
    PeerEnded();
    return;
  }
  CloseWith(ConnectionError("closed without TLS close_notify; the data received may be truncated"));
}

void TlsStream::OnSocketError(int uv_error, std::string_view during) {
  if (phase_ == Phase::kHandshaking) {
    HandshakeFailed({TlsFailureReason::kPeerClosed,
                     "the connection failed during the TLS handshake: " + std::string(during) +
                         " " + uv_strerror(uv_error)});
    return;
  }
  if (phase_ == Phase::kFailing) {
    CloseWith(failure_status_);
    return;
  }
  SocketStream::OnSocketError(uv_error, during);
}

void TlsStream::OnSocketDeferred() {
  if (success_pending_ && done_) {
    success_pending_ = false;
    HandshakeDone done = std::move(done_);
    done_ = nullptr;
    UpdateReading();
    done(Status::Ok(), TlsFailureReason::kNone);  // may destroy this: nothing may follow
    return;
  }
  SocketStream::OnSocketDeferred();
}

void TlsStream::OnSocketClosed() {
  if (done_) {
    HandshakeDone done = std::move(done_);
    done_ = nullptr;
    Status status = failure_status_.ok()
                        ? ConnectionError("closed before the TLS handshake was reported")
                        : failure_status_;
    const TlsFailureReason reason = failure_reason_ == TlsFailureReason::kNone
                                        ? TlsFailureReason::kPeerClosed
                                        : failure_reason_;
    done(std::move(status), reason);  // may destroy this: nothing may follow
    return;
  }
  SocketStream::OnSocketClosed();
}

void TlsStream::ReadPlaintext() {
  char buffer[kPlaintextChunk];
  while (!closing()) {
    ERR_clear_error();
    const int n = SSL_read(ssl_.get(), buffer, sizeof(buffer));
    if (n > 0) {
      Deliver(std::string_view(buffer, static_cast<size_t>(n)));
      continue;
    }
    const int error = SSL_get_error(ssl_.get(), n);
    FlushCiphertext(0);
    if (error == SSL_ERROR_WANT_READ) return;
    if (error == SSL_ERROR_ZERO_RETURN) {
      close_notify_received_ = true;
      PeerEnded();
      return;
    }
    TlsFailure failure = ClassifyTlsFailure(ssl_.get(), role_ == Role::kServer);
    CloseWith(ConnectionError(failure.message));
    return;
  }
}

void TlsStream::Write(std::string bytes) {
  if (!writable() || phase_ != Phase::kOpen || bytes.empty()) return;
  if (Encrypt(bytes)) FlushCiphertext(bytes.size());
}

void TlsStream::WriteParts(std::string head, std::string body, std::string tail) {
  if (!writable() || phase_ != Phase::kOpen) return;
  if (Encrypt(head) && Encrypt(body) && Encrypt(tail)) {
    FlushCiphertext(head.size() + body.size() + tail.size());
  }
}

bool TlsStream::Encrypt(std::string_view bytes) {
  if (bytes.empty()) return true;
  ERR_clear_error();
  const int n = SSL_write(ssl_.get(), bytes.data(), static_cast<int>(bytes.size()));
  if (n <= 0) {
    CloseWith(ConnectionError("TLS write failed: " + TakeOpenSslErrors()));
    return false;
  }
  return true;
}

void TlsStream::BeforeShutdown() {
  if (phase_ != Phase::kOpen) return;
  ERR_clear_error();
  SSL_shutdown(ssl_.get());  // queues close_notify; the peer's answer is read as usual
  FlushCiphertext(0);
}

void TlsStream::FlushCiphertext(size_t counted) {
  const size_t pending = BIO_ctrl_pending(output_);
  if (pending == 0) return;
  std::string ciphertext(pending, '\0');
  const int n = BIO_read(output_, ciphertext.data(), static_cast<int>(pending));
  ciphertext.resize(n > 0 ? static_cast<size_t>(n) : 0);
  socket().Write(std::move(ciphertext), counted);
}

void TlsStream::FillPeerInfo() {
  PeerInfo& peer = mutable_peer();
  peer.tls_version = SSL_get_version(ssl_.get());
  peer.cipher = SSL_get_cipher_name(ssl_.get());
  if (role_ != Role::kServer) return;
  X509* certificate = SSL_get0_peer_certificate(ssl_.get());
  if (certificate == nullptr || SSL_get_verify_result(ssl_.get()) != X509_V_OK) return;
  X509_NAME* subject = X509_get_subject_name(certificate);
  peer.client_common_name = CommonName(subject);
  peer.client_subject = Rfc2253(subject);
}

}  // namespace silt::net
