#include "shared/http/server_options.h"

#include <uv.h>

#include "shared/units/byte_size.h"

namespace silt::http {
namespace {

Status Bad(std::string_view field, const std::string& value, std::string_view expected) {
  return Status::InvalidArgument("http server option " + std::string(field) + " = " + value + ": " +
                                 std::string(expected));
}

bool IsIpLiteral(const std::string& host) {
  std::string bare = host;
  if (bare.size() >= 2 && bare.front() == '[' && bare.back() == ']') {
    bare = bare.substr(1, bare.size() - 2);
    sockaddr_in6 addr6;
    return uv_ip6_addr(bare.c_str(), 0, &addr6) == 0;
  }
  sockaddr_in addr4;
  sockaddr_in6 addr6;
  return uv_ip4_addr(bare.c_str(), 0, &addr4) == 0 || uv_ip6_addr(bare.c_str(), 0, &addr6) == 0;
}

Status CheckPositiveDuration(std::string_view field, int64_t value) {
  if (value > 0) return Status::Ok();
  return Bad(field, time::FormatDuration(value), "must be a positive duration such as 30s");
}

}  // namespace

Status ServerOptions::Validate() const {
  if (!IsIpLiteral(host)) {
    return Bad("host", "\"" + host + "\"",
               "must be an IPv4 or IPv6 address literal such as 127.0.0.1, 0.0.0.0 or ::1");
  }
  if (port < 0 || port > 65535) {
    return Bad("port", std::to_string(port), "must be 0..65535 (0 picks a free port)");
  }
  if (backlog < 1) return Bad("backlog", std::to_string(backlog), "must be at least 1");
  if (max_header_bytes < 1024 || max_header_bytes > kMaxHeaderBytesLimit) {
    return Bad("max_header_bytes", units::FormatByteSize(static_cast<int64_t>(max_header_bytes)),
               "must be 1KiB..80KiB (80KiB is libhttp-parser's own limit)");
  }
  if (max_headers < 1) return Bad("max_headers", std::to_string(max_headers), "must be >= 1");
  if (max_body_bytes < 1) return Bad("max_body_bytes", "0B", "must be at least 1B");
  if (max_decoded_body_bytes < 1) return Bad("max_decoded_body_bytes", "0B", "must be >= 1B");
  SILT_RETURN_IF_ERROR(CheckPositiveDuration("header_timeout", header_timeout));
  SILT_RETURN_IF_ERROR(CheckPositiveDuration("read_timeout", read_timeout));
  SILT_RETURN_IF_ERROR(CheckPositiveDuration("keep_alive_timeout", keep_alive_timeout));
  SILT_RETURN_IF_ERROR(CheckPositiveDuration("write_timeout", write_timeout));
  if (max_connections < 1) return Bad("max_connections", "0", "must be at least 1");
  if (max_stream_buffer_bytes < 1) return Bad("max_stream_buffer_bytes", "0B", "must be >= 1B");
  if (tls.has_value()) {
    if (tls->cert_file.empty() || tls->key_file.empty()) {
      return Bad("tls", "{cert_file, key_file}", "both the certificate and key files are needed");
    }
    if (tls->client_auth != net::ClientAuth::kNone && tls->client_ca_file.empty()) {
      return Bad("tls.client_auth",
                 tls->client_auth == net::ClientAuth::kRequired ? "required" : "optional",
                 "needs tls.client_ca_file: the CA that signs the clients' certificates");
    }
  }
  if (metrics != nullptr && metrics_prefix.empty()) {
    return Bad("metrics_prefix", "\"\"", "must not be empty when metrics are on");
  }
  return Status::Ok();
}

RequestLimits ServerOptions::limits() const {
  RequestLimits limits;
  limits.max_header_bytes = max_header_bytes;
  limits.max_headers = max_headers;
  limits.max_body_bytes = max_body_bytes;
  limits.max_decoded_body_bytes = max_decoded_body_bytes;
  return limits;
}

}  // namespace silt::http
