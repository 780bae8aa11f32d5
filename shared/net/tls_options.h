// TLS settings of a listener (server side) and of a connection (client side), as they come from
// the aggregator's and the agent's YAML configs. Certificates and keys are PEM files; they are
// read when a TlsContext is built (and again on reload), never at parse time.
// Plain value types.
#pragma once

#include <optional>
#include <string>

namespace silt::net {

enum class TlsVersion { kTls12, kTls13 };

// Whether a server asks for a client certificate.
enum class ClientAuth {
  kNone,      // no client certificate is requested
  kOptional,  // requested and verified against client_ca_file when sent; a client without one
              // is let in (PeerInfo::client_common_name stays empty)
  kRequired,  // a verified client certificate is required; the handshake fails without one
};

struct TlsServerOptions {
  std::string cert_file;       // server certificate chain (PEM), leaf first
  std::string key_file;        // its private key (PEM)
  std::string client_ca_file;  // CAs that sign client certificates; required unless kNone
  ClientAuth client_auth = ClientAuth::kNone;
  TlsVersion min_version = TlsVersion::kTls13;  // the agent port: 1.3 only unless configured
};

struct TlsClientOptions {
  // CAs that sign the server's certificate (PEM); empty means the system trust store.
  std::string ca_file;
  // Client certificate and key for mutual TLS; both empty or both set.
  std::string cert_file;
  std::string key_file;
  // Name checked against the server certificate (SSL_set1_host) and sent as SNI; empty means the
  // host the connection was made to. An IP literal is checked against IP SANs.
  std::string server_name;
  TlsVersion min_version = TlsVersion::kTls13;
  // Highest version offered; nullopt means the highest OpenSSL supports (1.3). Only for talking
  // to a server that mishandles 1.3, and for tests; must not be below min_version.
  std::optional<TlsVersion> max_version;
};

}  // namespace silt::net
