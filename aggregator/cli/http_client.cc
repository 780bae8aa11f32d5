#include "aggregator/cli/http_client.h"

#include <string>

namespace silt::cli {
namespace {

size_t AppendBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::string TrimBody(std::string_view body) {
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r' || body.back() == ' ')) {
    body.remove_suffix(1);
  }
  constexpr size_t kMaxShown = 500;
  std::string text(body.substr(0, kMaxShown));
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';  // the error stays one line
  }
  return body.size() > kMaxShown ? text + "..." : text;
}

bool IsTlsError(CURLcode code) {
  switch (code) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
      return true;
    default:
      return false;
  }
}

}  // namespace

HttpClient::HttpClient(HttpClientOptions options)
    : options_(std::move(options)), easy_(curl_easy_init()) {
  while (!options_.addr.empty() && options_.addr.back() == '/') options_.addr.pop_back();
}

HttpClient::~HttpClient() {
  if (easy_ != nullptr) curl_easy_cleanup(easy_);
}

std::string HttpClient::Url(std::string_view path, const QueryParams& params) const {
  std::string url = options_.addr;
  url.append(path);
  char sep = '?';
  for (const auto& [name, value] : params) {
    char* escaped = curl_easy_escape(nullptr, value.data(), static_cast<int>(value.size()));
    url.push_back(sep);
    url.append(name).push_back('=');
    url.append(escaped != nullptr ? escaped : "");
    curl_free(escaped);
    sep = '&';
  }
  return url;
}

void HttpClient::Configure(CURL* easy) const {
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "silt-cli");
  if (!options_.ca_cert.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, options_.ca_cert.c_str());
  if (!options_.cert.empty()) curl_easy_setopt(easy, CURLOPT_SSLCERT, options_.cert.c_str());
  if (!options_.key.empty()) curl_easy_setopt(easy, CURLOPT_SSLKEY, options_.key.c_str());
  if (options_.insecure) {
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
  }
}

std::vector<std::string> HttpClient::AuthHeaders() const {
  std::vector<std::string> headers;
  if (!options_.org_id.empty()) headers.push_back("X-Scope-OrgID: " + options_.org_id);
  if (!options_.token.empty()) headers.push_back("Authorization: Bearer " + options_.token);
  return headers;
}

Result<std::string> HttpClient::Get(std::string_view path, const QueryParams& params) {
  if (easy_ == nullptr) return Status::ResourceExhausted("libcurl could not start a transfer");
  curl_easy_reset(easy_);
  Configure(easy_);
  const std::string url = Url(path, params);
  std::string body;
  char error[CURL_ERROR_SIZE] = {};
  curl_slist* headers = nullptr;
  for (const std::string& header : AuthHeaders()) {
    headers = curl_slist_append(headers, header.c_str());
  }
  curl_easy_setopt(easy_, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy_, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(easy_, CURLOPT_ACCEPT_ENCODING, "");  // gzip from servers that offer it
  curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(easy_, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(easy_, CURLOPT_ERRORBUFFER, error);
  const CURLcode code = curl_easy_perform(easy_);
  curl_slist_free_all(headers);
  if (code != CURLE_OK) return TransportError(options_.addr, code, error);
  long status = 0;
  curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299) return ServerError(status, body, url);
  return body;
}

Status TransportError(std::string_view addr, CURLcode code, std::string_view detail) {
  std::string what;
  std::string hint;
  bool show_detail = true;
  if (code == CURLE_COULDNT_CONNECT) {
    what = "connection refused";
    show_detail = false;
    hint = "is silt-aggregator running? set SILT_ADDR or --addr";
  } else if (code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_RESOLVE_PROXY) {
    what = "host name not found";
    show_detail = false;
    hint = "check the host in SILT_ADDR or --addr";
  } else if (code == CURLE_OPERATION_TIMEDOUT) {
    what = "timed out";
    hint = "check the address, a firewall or the proxy settings";
  } else if (IsTlsError(code)) {
    what = "TLS handshake failed";
    hint = "check --ca-cert/--cert/--key (SILT_CA_CERT, SILT_CERT, SILT_KEY), or --insecure";
  } else if (code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_URL_MALFORMAT) {
    what = "bad address";
    hint = "SILT_ADDR or --addr must look like http://host:3100 or https://host:3100";
  } else {
    what = curl_easy_strerror(code);
    hint = "check SILT_ADDR or --addr and that the server speaks HTTP there";
  }
  std::string message = "cannot reach " + std::string(addr) + " (" + what;
  if (show_detail && !detail.empty()) message += ": " + std::string(detail);
  message += "): " + hint;
  return Status::Unavailable(std::move(message));
}

Status ServerError(long status, std::string_view body, std::string_view url) {
  std::string message = "server answered " + std::to_string(status);
  const std::string text = TrimBody(body);
  message += text.empty() ? std::string(" with no message") : ": " + text;
  message += " (GET " + std::string(url) + ")";
  switch (status) {
    case 400:
    case 422:
      return Status::InvalidArgument(std::move(message));
    case 401:
      return Status::Unauthenticated(std::move(message) + "; set SILT_TOKEN or --token");
    case 403:
      return Status::PermissionDenied(std::move(message));
    case 404:
      return Status::NotFound(std::move(message) + "; is SILT_ADDR a Loki-compatible API?");
    case 429:
      return Status::ResourceExhausted(std::move(message));
    default:
      return Status::IOError(std::move(message));
  }
}

}  // namespace silt::cli
