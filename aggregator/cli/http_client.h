// HttpClient: GET requests to a Loki-compatible HTTP API (Silt's aggregator or a real Loki) with
// libcurl: TLS (CA, client certificate, --insecure), proxies from the environment, keep-alive
// (one easy handle, so batches of one query reuse the connection), redirects. The tenant goes in
// X-Scope-OrgID and a token in "Authorization: Bearer".
//
// Failures are sorted for the CLI's exit codes: the server was not reached (connection refused,
// DNS, TLS handshake, timeout) -> StatusCode::kUnavailable whose message says what to do; the
// server answered 4xx/5xx -> another code (ServerError) with Loki's message.
//
// Thread-compatible: one client per thread.
#pragma once

#include <curl/curl.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/status/result.h"
#include "shared/status/status.h"

namespace silt::cli {

// Where and how to connect: the CLI's global flags and their SILT_* variables.
struct HttpClientOptions {
  std::string addr = "http://127.0.0.1:3100";  // scheme://host:port[/prefix]
  std::string org_id;                          // X-Scope-OrgID when not empty
  std::string token;                           // Authorization: Bearer when not empty
  std::string ca_cert;                         // PEM file of CAs to trust instead of the system's
  std::string cert;                            // client certificate (PEM), with `key`
  std::string key;
  bool insecure = false;  // skip server certificate and host name checks
  long connect_timeout_ms = 10000;
};

using QueryParams = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  long status = 0;
  std::string body;
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // GETs `path` (e.g. "/loki/api/v1/labels") with `params` URL-encoded. Returns the body of a
  // 2xx answer; kUnavailable when the server was not reached; ServerError for any other status.
  Result<std::string> Get(std::string_view path, const QueryParams& params);

  // The full URL for `path` and `params` (also the tail's, with ws:// kept as http://).
  std::string Url(std::string_view path, const QueryParams& params) const;

  // Applies the connection options (TLS, timeouts, proxy) to `easy`; shared with the tail,
  // which opens its own CONNECT_ONLY handle.
  void Configure(CURL* easy) const;

  // The headers every request carries (tenant, token), "Name: value" each.
  std::vector<std::string> AuthHeaders() const;

  const HttpClientOptions& options() const { return options_; }

 private:
  HttpClientOptions options_;
  CURL* easy_ = nullptr;
};

// The Status for a transfer that failed with `code` (libcurl's detail in `detail`) while talking
// to `addr`: kUnavailable with one line that says what happened and what to do.
Status TransportError(std::string_view addr, CURLcode code, std::string_view detail);

// The Status for an HTTP answer `status` with `body` (Loki's plain-text message) from `url`:
// 400 -> kInvalidArgument, 401 -> kUnauthenticated, 403 -> kPermissionDenied, 404 -> kNotFound,
// 429 -> kResourceExhausted, else kIOError; never kUnavailable.
Status ServerError(long status, std::string_view body, std::string_view url);

}  // namespace silt::cli
