#include "shared/net/tls_context.h"

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "shared/net/tls_failure.h"

namespace silt::net {
namespace {

// TLS 1.2 suites when 1.2 is allowed: forward secrecy and AEAD only. TLS 1.3 suites are
// OpenSSL's defaults (all AEAD).
constexpr char kTls12Ciphers[] = "ECDHE+AESGCM:ECDHE+CHACHA20";
constexpr unsigned char kSessionIdContext[] = "silt";

int ProtocolVersion(TlsVersion version) {
  return version == TlsVersion::kTls12 ? TLS1_2_VERSION : TLS1_3_VERSION;
}

struct CtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
using CtxPtr = std::unique_ptr<SSL_CTX, CtxFree>;

Status FileError(std::string_view option, const std::string& path, std::string_view what) {
  std::string errors = TakeOpenSslErrors();
  return Status::InvalidArgument("TLS " + std::string(option) + " \"" + path + "\": " +
                                 std::string(what) + (errors.empty() ? "" : " (" + errors + ")"));
}

// A readable file, checked first so that a missing file reads as such, not as an OpenSSL code.
Status CheckReadable(std::string_view option, const std::string& path) {
  if (path.empty()) {
    return Status::InvalidArgument("TLS " + std::string(option) +
                                   " is empty; set it to a PEM file path");
  }
  FILE* file = std::fopen(path.c_str(), "r");
  if (file == nullptr) {
    const int error = errno;
    return Status::InvalidArgument("TLS " + std::string(option) + " \"" + path +
                                   "\": cannot read: " + std::strerror(error));
  }
  std::fclose(file);
  return Status::Ok();
}

Result<CtxPtr> NewContext(const SSL_METHOD* method, TlsVersion min_version) {
  ERR_clear_error();
  CtxPtr ctx(SSL_CTX_new(method));
  if (ctx == nullptr) {
    return Status::ResourceExhausted("cannot create an OpenSSL context: " + TakeOpenSslErrors());
  }
  SSL_CTX_set_min_proto_version(ctx.get(), ProtocolVersion(min_version));
  SSL_CTX_set_options(ctx.get(), SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
  SSL_CTX_set_cipher_list(ctx.get(), kTls12Ciphers);
  return ctx;
}

Status LoadCertificateAndKey(SSL_CTX* ctx, const std::string& cert_file,
                             const std::string& key_file) {
  SILT_RETURN_IF_ERROR(CheckReadable("cert_file", cert_file));
  SILT_RETURN_IF_ERROR(CheckReadable("key_file", key_file));
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1) {
    return FileError("cert_file", cert_file, "not a valid PEM certificate chain");
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    const int reason = ERR_GET_REASON(ERR_peek_last_error());
    if (reason == X509_R_KEY_VALUES_MISMATCH || reason == X509_R_KEY_TYPE_MISMATCH) {
      return FileError("key_file", key_file, "does not match the certificate in " + cert_file);
    }
    return FileError("key_file", key_file, "not a valid PEM private key");
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return FileError("key_file", key_file, "does not match the certificate in " + cert_file);
  }
  return Status::Ok();
}

Status LoadTrustedCas(SSL_CTX* ctx, std::string_view option, const std::string& ca_file) {
  SILT_RETURN_IF_ERROR(CheckReadable(option, ca_file));
  if (SSL_CTX_load_verify_locations(ctx, ca_file.c_str(), nullptr) != 1) {
    return FileError(option, ca_file, "not a valid PEM CA certificate file");
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<TlsContext>> TlsContext::ForServer(const TlsServerOptions& options) {
  SILT_ASSIGN_OR_RETURN(CtxPtr ctx, NewContext(TLS_server_method(), options.min_version));
  SILT_RETURN_IF_ERROR(LoadCertificateAndKey(ctx.get(), options.cert_file, options.key_file));
  SSL_CTX_set_session_id_context(ctx.get(), kSessionIdContext, sizeof(kSessionIdContext) - 1);
  // Agents keep long connections; resumption buys nothing and tickets are extra writes.
  SSL_CTX_set_num_tickets(ctx.get(), 0);
  SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_OFF);
  if (options.client_auth != ClientAuth::kNone) {
    SILT_RETURN_IF_ERROR(LoadTrustedCas(ctx.get(), "client_ca_file", options.client_ca_file));
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(options.client_ca_file.c_str());
    if (names == nullptr) {
      return FileError("client_ca_file", options.client_ca_file, "contains no CA certificate");
    }
    SSL_CTX_set_client_CA_list(ctx.get(), names);
    int mode = SSL_VERIFY_PEER;
    if (options.client_auth == ClientAuth::kRequired) mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    SSL_CTX_set_verify(ctx.get(), mode, nullptr);
  } else {
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  }
  return std::unique_ptr<TlsContext>(new TlsContext(ctx.release()));
}

Result<std::unique_ptr<TlsContext>> TlsContext::ForClient(const TlsClientOptions& options) {
  SILT_ASSIGN_OR_RETURN(CtxPtr ctx, NewContext(TLS_client_method(), options.min_version));
  if (options.max_version.has_value()) {
    if (*options.max_version == TlsVersion::kTls12 && options.min_version == TlsVersion::kTls13) {
      return Status::InvalidArgument("TLS max_version 1.2 is below min_version 1.3");
    }
    SSL_CTX_set_max_proto_version(ctx.get(), ProtocolVersion(*options.max_version));
  }
  if (options.cert_file.empty() != options.key_file.empty()) {
    return Status::InvalidArgument(
        "TLS client cert_file and key_file must be set together (one is empty)");
  }
  if (!options.cert_file.empty()) {
    SILT_RETURN_IF_ERROR(LoadCertificateAndKey(ctx.get(), options.cert_file, options.key_file));
  }
  if (options.ca_file.empty()) {
    if (SSL_CTX_set_default_verify_paths(ctx.get()) != 1) {
      return Status::InvalidArgument("TLS ca_file is empty and the system trust store cannot "
                                     "be loaded (" + TakeOpenSslErrors() + "); set ca_file");
    }
  } else {
    SILT_RETURN_IF_ERROR(LoadTrustedCas(ctx.get(), "ca_file", options.ca_file));
  }
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  return std::unique_ptr<TlsContext>(new TlsContext(ctx.release()));
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

Result<SslPtr> TlsContext::NewServerSession() const {
  ERR_clear_error();
  SslPtr ssl(SSL_new(ctx_));
  if (ssl == nullptr) {
    return Status::ResourceExhausted("cannot create a TLS session: " + TakeOpenSslErrors());
  }
  SSL_set_accept_state(ssl.get());
  return ssl;
}

Result<SslPtr> TlsContext::NewClientSession(const std::string& server_name) const {
  ERR_clear_error();
  SslPtr ssl(SSL_new(ctx_));
  if (ssl == nullptr) {
    return Status::ResourceExhausted("cannot create a TLS session: " + TakeOpenSslErrors());
  }
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl.get());
  if (X509_VERIFY_PARAM_set1_ip_asc(param, server_name.c_str()) != 1) {
    // Not an IP literal: a DNS name, checked against DNS SANs and sent as SNI.
    ERR_clear_error();
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (SSL_set1_host(ssl.get(), server_name.c_str()) != 1 ||
        SSL_set_tlsext_host_name(ssl.get(), server_name.c_str()) != 1) {
      return Status::InvalidArgument("TLS server_name \"" + server_name +
                                     "\" is not a valid host name (" + TakeOpenSslErrors() + ")");
    }
  }
  SSL_set_connect_state(ssl.get());
  return ssl;
}

}  // namespace silt::net
