// Turns an OpenSSL handshake or record-layer failure into a reason an operator can act on:
// a short stable name for logs and metrics ("certificate_expired") and a sentence that says
// what happened, with OpenSSL's own words, and what to fix. Also: OpenSSL error-queue text.
// Pure functions; call on the thread that owns the SSL.
#pragma once

#include <openssl/ssl.h>

#include <string>
#include <string_view>

namespace silt::net {

enum class TlsFailureReason {
  kNone,
  kCertificateExpired,      // the peer's certificate (or one in its chain) is past notAfter
  kCertificateNotYetValid,  // before notBefore (a clock problem, usually)
  kUnknownCa,               // not signed by a trusted CA, or self-signed
  kHostnameMismatch,        // the server certificate does not name the host we asked for
  kBadCertificate,          // any other verification failure
  kProtocolVersion,         // no TLS version both sides accept
  kPlaintextPeer,           // the client sent something that is not a TLS record
  kNoClientCertificate,     // the server requires a client certificate and none was sent
  kTimeout,                 // the handshake did not finish in time
  kPeerClosed,              // the connection ended or failed during the handshake
  kOther,
};

// "certificate_expired", "unknown_ca", ... (the `reason` field of log lines).
std::string_view TlsFailureReasonName(TlsFailureReason reason);

struct TlsFailure {
  TlsFailureReason reason = TlsFailureReason::kNone;
  std::string message;  // operator-readable, without the peer's address
};

// Classifies the failure of the last SSL call on `ssl` (SSL_get_verify_result, then the
// OpenSSL error queue, which it empties). `server_side` says whose point of view the message
// takes ("the client's certificate" vs "the server's certificate").
TlsFailure ClassifyTlsFailure(SSL* ssl, bool server_side);

// The failure for a client whose first bytes (`first_bytes`) are not a TLS handshake record.
TlsFailure PlaintextPeerFailure(std::string_view first_bytes);

// Empties the OpenSSL error queue of this thread into "reason; reason" (empty when it was empty).
std::string TakeOpenSslErrors();

}  // namespace silt::net
