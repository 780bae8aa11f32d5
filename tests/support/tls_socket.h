// TlsSocket: a blocking TLS client session over an already connected socket, for tests that
// talk to a TLS server byte by byte (plain OpenSSL, independent of shared/net): it verifies the
// server's chain against a CA file and the name "localhost", and presents a client certificate
// for mutual TLS when one is given. Reads time out after 10 s, so a test never hangs.
// Header-only (it links through OpenSSL::SSL, which silt_net brings). Thread-compatible: one test
// thread uses a session.
#pragma once

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "shared/status/result.h"

namespace silt::testing {

struct TlsSocketOptions {
  std::string ca_file;    // trusted CA (PEM)
  std::string cert_file;  // client certificate for mutual TLS; empty: none
  std::string key_file;
  std::string server_name = "localhost";  // SNI and the name checked in the certificate
};

class TlsSocket {
 public:
  // Runs the handshake on `fd` (connected; not owned, must outlive the session). Error: the
  // OpenSSL reason (unknown CA, alert from the server, ...).
  static Result<std::unique_ptr<TlsSocket>> Handshake(int fd, const TlsSocketOptions& options);
  ~TlsSocket();
  TlsSocket(const TlsSocket&) = delete;
  TlsSocket& operator=(const TlsSocket&) = delete;

  // Like send(2): bytes written, or <= 0 when the connection failed.
  ssize_t Send(const void* data, size_t size);
  // Waits up to `timeout_ms` for application data (skipping TLS records that carry none, such
  // as session tickets). Returns bytes read, 0 at the end (close_notify or EOF), -1 on failure,
  // -2 when the time ran out.
  ssize_t Recv(void* data, size_t size, int timeout_ms);
  // Sends close_notify.
  void Shutdown() { SSL_shutdown(ssl_); }

 private:
  TlsSocket(SSL_CTX* context, SSL* ssl) : context_(context), ssl_(ssl) {}

  SSL_CTX* context_;
  SSL* ssl_;
};

namespace tls_socket_internal {

inline std::string OpenSslErrors() {
  std::string out;
  while (const unsigned long code = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(code, text, sizeof(text));
    if (!out.empty()) out += "; ";
    out += text;
  }
  return out.empty() ? "no OpenSSL error queued" : out;
}

}  // namespace tls_socket_internal

inline Result<std::unique_ptr<TlsSocket>> TlsSocket::Handshake(int fd,
                                                               const TlsSocketOptions& options) {
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  ERR_clear_error();
  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  if (context == nullptr) {
    return Status::IOError("SSL_CTX_new: " + tls_socket_internal::OpenSslErrors());
  }
  SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nullptr);
  SSL_CTX_clear_mode(context, SSL_MODE_AUTO_RETRY);  // Recv keeps its deadline
  const bool ca_loaded =
      SSL_CTX_load_verify_locations(context, options.ca_file.c_str(), nullptr) == 1;
  SSL* ssl = SSL_new(context);
  std::unique_ptr<TlsSocket> socket(new TlsSocket(context, ssl));
  if (!ca_loaded) {
    return Status::InvalidArgument("CA file " + options.ca_file + ": " +
                                   tls_socket_internal::OpenSslErrors());
  }
  if (ssl == nullptr) return Status::IOError("SSL_new: " + tls_socket_internal::OpenSslErrors());
  if (!options.cert_file.empty() &&
      (SSL_use_certificate_chain_file(ssl, options.cert_file.c_str()) != 1 ||
       SSL_use_PrivateKey_file(ssl, options.key_file.c_str(), SSL_FILETYPE_PEM) != 1)) {
    return Status::InvalidArgument("client certificate " + options.cert_file + ": " +
                                   tls_socket_internal::OpenSslErrors());
  }
  SSL_set_tlsext_host_name(ssl, options.server_name.c_str());
  SSL_set1_host(ssl, options.server_name.c_str());
  SSL_set_fd(ssl, fd);
  if (SSL_connect(ssl) != 1) {
    return Status::Unavailable("TLS handshake failed: " + tls_socket_internal::OpenSslErrors());
  }
  return socket;
}

inline TlsSocket::~TlsSocket() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  SSL_CTX_free(context_);
}

inline ssize_t TlsSocket::Send(const void* data, size_t size) {
  ERR_clear_error();
  const int n = SSL_write(ssl_, data, static_cast<int>(size));
  return n > 0 ? n : -1;
}

inline ssize_t TlsSocket::Recv(void* data, size_t size, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    if (SSL_pending(ssl_) == 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                            deadline - std::chrono::steady_clock::now())
                            .count();
      pollfd p{SSL_get_fd(ssl_), POLLIN, 0};
      if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) return -2;
    }
    ERR_clear_error();
    const int n = SSL_read(ssl_, data, static_cast<int>(size));
    if (n > 0) return n;
    const int error = SSL_get_error(ssl_, n);
    if (error == SSL_ERROR_WANT_READ) continue;  // a record without application data
    if (error == SSL_ERROR_ZERO_RETURN) return 0;
    if (error == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 && errno != EAGAIN &&
        errno != EWOULDBLOCK) {
      return 0;  // EOF without close_notify
    }
    return -1;
  }
}

}  // namespace silt::testing
