// TlsContext: an OpenSSL SSL_CTX built from TlsServerOptions or TlsClientOptions: protocol
// versions, certificate and key, trusted CAs and verification mode. Building one reads the PEM
// files; a listener builds a new one on Reload() while live sessions keep the old one (each SSL
// holds its own reference to its SSL_CTX).
// Immutable after construction; use from one thread.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <string_view>

#include "shared/net/tls_options.h"
#include "shared/status/result.h"

namespace silt::net {

struct SslFree {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};
using SslPtr = std::unique_ptr<SSL, SslFree>;

class TlsContext {
 public:
  // Errors: InvalidArgument naming the option or file and OpenSSL's reason (missing file,
  // not PEM, key not matching the certificate, client_ca_file missing for client_auth).
  static Result<std::unique_ptr<TlsContext>> ForServer(const TlsServerOptions& options);
  static Result<std::unique_ptr<TlsContext>> ForClient(const TlsClientOptions& options);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // A server-side session in accept state.
  Result<SslPtr> NewServerSession() const;
  // A client-side session in connect state that sends `server_name` as SNI (unless it is an IP
  // literal) and verifies that the server certificate names it (DNS or IP SAN).
  Result<SslPtr> NewClientSession(const std::string& server_name) const;

 private:
  explicit TlsContext(SSL_CTX* ctx) : ctx_(ctx) {}
  SSL_CTX* ctx_;
};

}  // namespace silt::net
