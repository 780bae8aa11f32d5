#include "shared/net/tls_failure.h"

#include <openssl/err.h>
#include <openssl/x509_vfy.h>

namespace silt::net {
namespace {

std::string Whose(bool server_side) {
  return server_side ? "the client's certificate" : "the server's certificate";
}

TlsFailure FromVerifyResult(long verify, bool server_side) {
  const std::string openssl =
      std::string(" (OpenSSL: ") + X509_verify_cert_error_string(verify) + ")";
  const std::string fix_ca = server_side ? "check client_ca_file on the server"
                                         : "set ca_file to the CA that signed the server's "
                                           "certificate";
  switch (verify) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return {TlsFailureReason::kCertificateExpired,
              "certificate expired: " + Whose(server_side) + " has expired" + openssl +
                  "; renew it"};
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return {TlsFailureReason::kCertificateNotYetValid,
              "certificate not yet valid: " + Whose(server_side) + " is not valid yet" + openssl +
                  "; check the clocks of both hosts"};
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_UNTRUSTED:
      return {TlsFailureReason::kUnknownCa,
              "unknown CA: " + Whose(server_side) +
                  " is self-signed or not signed by a trusted CA" + openssl + "; " + fix_ca};
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      return {TlsFailureReason::kHostnameMismatch,
              "hostname mismatch: the server's certificate does not name the host connected to" +
                  openssl + "; connect by a name in its subjectAltName or set server_name"};
    default:
      return {TlsFailureReason::kBadCertificate,
              "bad certificate: " + Whose(server_side) + " was not accepted" + openssl};
  }
}

// An alert the peer sent us: it rejected something of ours.
TlsFailure FromAlert(int alert, bool server_side) {
  const std::string ours = server_side ? "this server's certificate" : "our client certificate";
  const std::string text =
      std::string(" (TLS alert: ") + SSL_alert_desc_string_long(alert) + ")";
  switch (alert) {
    case SSL_AD_CERTIFICATE_EXPIRED:
      return {TlsFailureReason::kCertificateExpired,
              "certificate expired: the peer rejected " + ours + " as expired" + text};
    case SSL_AD_UNKNOWN_CA:
      return {TlsFailureReason::kUnknownCa,
              "unknown CA: the peer does not trust the CA that signed " + ours + text};
    case SSL_AD_PROTOCOL_VERSION:
      return {TlsFailureReason::kProtocolVersion,
              "protocol version: the peer accepts none of the TLS versions offered" + text +
                  "; align min_version on both sides"};
    case SSL_AD_CERTIFICATE_REQUIRED:
      return {TlsFailureReason::kNoClientCertificate,
              "client certificate required: the server requires a client certificate and none "
              "was sent" + text + "; set cert_file and key_file"};
    case SSL_AD_BAD_CERTIFICATE:
    case SSL_AD_UNSUPPORTED_CERTIFICATE:
    case SSL_AD_CERTIFICATE_REVOKED:
    case SSL_AD_CERTIFICATE_UNKNOWN:
      return {TlsFailureReason::kBadCertificate, "bad certificate: the peer rejected " + ours +
                                                     text};
    default:
      return {TlsFailureReason::kOther, "the peer aborted the handshake" + text};
  }
}

TlsFailure FromReason(int reason, const std::string& errors, bool server_side) {
  const std::string openssl = " (OpenSSL: " + errors + ")";
  switch (reason) {
    case SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE:
      return {TlsFailureReason::kNoClientCertificate,
              "client certificate required: the client sent none" + openssl +
                  "; give the client cert_file and key_file signed by client_ca_file"};
    case SSL_R_UNSUPPORTED_PROTOCOL:
    case SSL_R_NO_PROTOCOLS_AVAILABLE:
    case SSL_R_VERSION_TOO_LOW:
    case SSL_R_VERSION_TOO_HIGH:
      return {TlsFailureReason::kProtocolVersion,
              std::string("protocol version: the ") + (server_side ? "client" : "server") +
                  " offered no TLS version accepted here" + openssl +
                  "; align min_version on both sides"};
    case SSL_R_WRONG_VERSION_NUMBER:
    case SSL_R_HTTP_REQUEST:
    case SSL_R_HTTPS_PROXY_REQUEST:
    case SSL_R_PACKET_LENGTH_TOO_LONG:
      return {TlsFailureReason::kPlaintextPeer,
              "not TLS: the peer does not speak TLS on this connection" + openssl +
                  "; check that both sides have TLS enabled"};
    case SSL_R_UNEXPECTED_EOF_WHILE_READING:
      return {TlsFailureReason::kPeerClosed,
              "the peer closed the connection during the TLS exchange" + openssl};
    default:
      return {TlsFailureReason::kOther,
              "TLS failure" + (errors.empty() ? std::string() : openssl)};
  }
}

}  // namespace

std::string_view TlsFailureReasonName(TlsFailureReason reason) {
  switch (reason) {
    case TlsFailureReason::kNone: return "none";
    case TlsFailureReason::kCertificateExpired: return "certificate_expired";
    case TlsFailureReason::kCertificateNotYetValid: return "certificate_not_yet_valid";
    case TlsFailureReason::kUnknownCa: return "unknown_ca";
    case TlsFailureReason::kHostnameMismatch: return "hostname_mismatch";
    case TlsFailureReason::kBadCertificate: return "bad_certificate";
    case TlsFailureReason::kProtocolVersion: return "protocol_version";
    case TlsFailureReason::kPlaintextPeer: return "plaintext_client";
    case TlsFailureReason::kNoClientCertificate: return "no_client_certificate";
    case TlsFailureReason::kTimeout: return "handshake_timeout";
    case TlsFailureReason::kPeerClosed: return "peer_closed";
    case TlsFailureReason::kOther: return "other";
  }
  return "other";
}

std::string TakeOpenSslErrors() {
  std::string out;
  char buffer[256];
  while (unsigned long error = ERR_get_error()) {
    ERR_error_string_n(error, buffer, sizeof(buffer));
    if (!out.empty()) out += "; ";
    out += buffer;
  }
  return out;
}

TlsFailure ClassifyTlsFailure(SSL* ssl, bool server_side) {
  int first_ssl_reason = 0;
  unsigned long first = ERR_peek_error();
  if (first != 0 && ERR_GET_LIB(first) == ERR_LIB_SSL) first_ssl_reason = ERR_GET_REASON(first);
  const std::string errors = TakeOpenSslErrors();
  const long verify = SSL_get_verify_result(ssl);
  if (verify != X509_V_OK && first_ssl_reason == SSL_R_CERTIFICATE_VERIFY_FAILED) {
    return FromVerifyResult(verify, server_side);
  }
  if (first_ssl_reason > SSL_AD_REASON_OFFSET && first_ssl_reason < SSL_AD_REASON_OFFSET + 256) {
    return FromAlert(first_ssl_reason - SSL_AD_REASON_OFFSET, server_side);
  }
  if (verify != X509_V_OK) return FromVerifyResult(verify, server_side);
  return FromReason(first_ssl_reason, errors, server_side);
}

TlsFailure PlaintextPeerFailure(std::string_view first_bytes) {
  std::string shown;
  for (char c : first_bytes.substr(0, 32)) {
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      shown += c;
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      shown += "\\x";
      shown += kHex[(static_cast<unsigned char>(c) >> 4) & 0xf];
      shown += kHex[static_cast<unsigned char>(c) & 0xf];
    }
  }
  return {TlsFailureReason::kPlaintextPeer,
          "plaintext client: the first bytes \"" + shown +
              "\" are not a TLS handshake record (looks like plaintext/HTTP); the client must "
              "connect with TLS enabled"};
}

}  // namespace silt::net
