#include "aggregator/cli/tail_session.h"

#include <openssl/evp.h>
#include <poll.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <vector>

#include "shared/http/websocket_frame_encoder.h"
#include "shared/http/websocket_handshake.h"

namespace silt::cli {
namespace {

constexpr size_t kMaxMessageBytes = 64 * 1024 * 1024;
constexpr int kHandshakeTimeoutMs = 30000;
constexpr int kCloseWaitMs = 2000;

// "http://host:port/prefix" -> "host:port" and "/prefix".
void SplitAddr(std::string_view addr, std::string* host, std::string* prefix) {
  const size_t scheme = addr.find("://");
  std::string_view rest = scheme == std::string_view::npos ? addr : addr.substr(scheme + 3);
  const size_t slash = rest.find('/');
  *host = std::string(rest.substr(0, slash));
  *prefix = slash == std::string_view::npos ? "" : std::string(rest.substr(slash));
}

std::string HeaderValue(std::string_view head, std::string_view name) {
  size_t pos = 0;
  while ((pos = head.find("\r\n", pos)) != std::string_view::npos) {
    pos += 2;
    const size_t colon = head.find(':', pos);
    const size_t end = head.find("\r\n", pos);
    if (colon == std::string_view::npos || colon > end) continue;
    std::string key(head.substr(pos, colon - pos));
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (key != name) continue;
    std::string_view value = head.substr(colon + 1, end - colon - 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    return std::string(value);
  }
  return "";
}

}  // namespace

TailSession::TailSession(const HttpClient* client)
    : client_(client),
      parser_(http::WebSocketParserLimits{kMaxMessageBytes, /*require_mask=*/false}),
      random_(std::random_device()()) {}

TailSession::~TailSession() {
  if (easy_ != nullptr) curl_easy_cleanup(easy_);
}

Status TailSession::Open(const QueryParams& params) {
  easy_ = curl_easy_init();
  if (easy_ == nullptr) return Status::ResourceExhausted("libcurl could not start a transfer");
  url_ = client_->Url("/loki/api/v1/tail", params);
  char error[CURL_ERROR_SIZE] = {};
  client_->Configure(easy_);
  curl_easy_setopt(easy_, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(easy_, CURLOPT_CONNECT_ONLY, 1L);
  // Through an HTTP proxy, tunnel (CONNECT) so the upgrade request reaches the server as sent.
  curl_easy_setopt(easy_, CURLOPT_HTTPPROXYTUNNEL, 1L);
  curl_easy_setopt(easy_, CURLOPT_ERRORBUFFER, error);
  const CURLcode code = curl_easy_perform(easy_);
  if (code != CURLE_OK) return TransportError(client_->options().addr, code, error);
  curl_easy_getinfo(easy_, CURLINFO_ACTIVESOCKET, &socket_);

  const std::string key = NewKey();
  const std::string request = UpgradeRequest(key);
  SILT_RETURN_IF_ERROR(SendAll(request));

  std::string head;
  std::string rest;
  SILT_RETURN_IF_ERROR(ReadHead(&head, &rest));
  const long status = head.size() > 12 ? std::strtol(head.c_str() + 9, nullptr, 10) : 0;
  if (status != 101) return ServerError(status, rest, url_);
  if (HeaderValue(head, "sec-websocket-accept") != http::WebSocketAcceptKey(key)) {
    return Status::IOError("the tail's WebSocket handshake from " + url_ +
                           " has a wrong Sec-WebSocket-Accept: is SILT_ADDR a Loki API?");
  }
  parser_.Feed(rest, &pending_);  // frames that came with the 101; Run handles them first
  return Status::Ok();
}

std::string TailSession::NewKey() {
  unsigned char nonce[16];
  for (unsigned char& byte : nonce) byte = static_cast<unsigned char>(random_());
  char key[32] = {};
  EVP_EncodeBlock(reinterpret_cast<unsigned char*>(key), nonce, sizeof(nonce));
  return key;
}

std::string TailSession::UpgradeRequest(const std::string& key) const {
  std::string host;
  std::string prefix;
  SplitAddr(client_->options().addr, &host, &prefix);
  const std::string target = url_.substr(url_.find(prefix + "/loki/api/v1/tail"));
  std::string request = "GET " + target + " HTTP/1.1\r\nHost: " + host +
                        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " +
                        key + "\r\nUser-Agent: silt-cli\r\n";
  for (const std::string& header : client_->AuthHeaders()) request += header + "\r\n";
  return request + "\r\n";
}

Status TailSession::SendAll(std::string_view bytes) {
  while (!bytes.empty()) {
    size_t sent = 0;
    const CURLcode code = curl_easy_send(easy_, bytes.data(), bytes.size(), &sent);
    if (code == CURLE_AGAIN) {
      pollfd p = {socket_, POLLOUT, 0};
      poll(&p, 1, 1000);
      continue;
    }
    if (code != CURLE_OK) {
      return Status::IOError("sending to " + client_->options().addr +
                             " failed: " + curl_easy_strerror(code));
    }
    bytes.remove_prefix(sent);
  }
  return Status::Ok();
}

int TailSession::Wait(int stop_fd, int timeout_ms) const {
  pollfd fds[2] = {{socket_, POLLIN, 0}, {stop_fd, POLLIN, 0}};
  const int n = poll(fds, stop_fd >= 0 ? 2 : 1, timeout_ms);
  if (n < 0) return errno == EINTR ? 0 : -1;
  if (n == 0) return 0;
  if (stop_fd >= 0 && (fds[1].revents & POLLIN) != 0) return 2;
  return 1;
}

Status TailSession::ReadHead(std::string* head, std::string* rest) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(kHandshakeTimeoutMs);
  std::string received;
  size_t head_end = std::string::npos;
  size_t body_length = 0;
  char buffer[16384];
  while (std::chrono::steady_clock::now() < deadline) {
    if (head_end != std::string::npos && received.size() >= head_end + 4 + body_length) break;
    size_t n = 0;
    const CURLcode code = curl_easy_recv(easy_, buffer, sizeof(buffer), &n);
    if (code == CURLE_AGAIN) {
      Wait(-1, 100);
      continue;
    }
    if (code != CURLE_OK || n == 0) break;  // closed: keep what arrived
    received.append(buffer, n);
    if (head_end == std::string::npos &&
        (head_end = received.find("\r\n\r\n")) != std::string::npos) {
      const std::string_view h(received.data(), head_end + 2);
      if (h.substr(0, 12).find(" 101") != std::string_view::npos) break;
      body_length = std::strtoul(HeaderValue(h, "content-length").c_str(), nullptr, 10);
    }
  }
  if (head_end == std::string::npos) {
    return Status::IOError("the server at " + client_->options().addr +
                           " sent no HTTP answer to the tail's upgrade request: is it a Loki API?");
  }
  *head = received.substr(0, head_end + 2);
  *rest = received.substr(head_end + 4);
  return Status::Ok();
}

Status TailSession::SendClose(uint16_t code) {
  if (close_sent_) return Status::Ok();
  close_sent_ = true;
  const std::string payload = {static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)};
  std::string frame;
  http::AppendMaskedWebSocketFrame(http::WebSocketOpcode::kClose, payload,
                                   static_cast<uint32_t>(random_()), &frame);
  return SendAll(frame);
}

Status TailSession::Handle(const http::WebSocketMessage& message,
                           const std::function<Status(std::string_view)>& on_text, bool* closed) {
  switch (message.opcode) {
    case http::WebSocketOpcode::kText:
    case http::WebSocketOpcode::kBinary:
      return on_text(message.payload);
    case http::WebSocketOpcode::kPing: {
      std::string frame;
      http::AppendMaskedWebSocketFrame(http::WebSocketOpcode::kPong, message.payload,
                                       static_cast<uint32_t>(random_()), &frame);
      return SendAll(frame);
    }
    case http::WebSocketOpcode::kClose: {
      *closed = true;
      const bool we_closed = close_sent_;
      SendClose(http::kCloseNormal).IgnoreError();  // the peer may be gone already
      if (we_closed || message.close_code == http::kCloseNormal ||
          message.close_code == http::kCloseNoStatus) {
        return Status::Ok();
      }
      return Status::IOError("the server closed the tail with " +
                             std::to_string(message.close_code) +
                             (message.payload.empty() ? "" : " (" + message.payload + ")"));
    }
    default:
      return Status::Ok();
  }
}

Status TailSession::Run(const std::function<Status(std::string_view)>& on_text, int stop_fd) {
  bool closed = false;
  std::vector<http::WebSocketMessage> messages = std::move(pending_);
  auto close_deadline = std::chrono::steady_clock::time_point::max();
  char buffer[65536];
  while (true) {
    for (const http::WebSocketMessage& message : messages) {
      SILT_RETURN_IF_ERROR(Handle(message, on_text, &closed));
      if (closed) return Status::Ok();
    }
    messages.clear();
    if (parser_.failed()) {
      SendClose(parser_.error_code()).IgnoreError();
      return Status::IOError("the tail's WebSocket stream from " + client_->options().addr +
                             " is malformed: " + parser_.error());
    }
    if (close_sent_ && std::chrono::steady_clock::now() > close_deadline) return Status::Ok();
    size_t n = 0;
    const CURLcode code = curl_easy_recv(easy_, buffer, sizeof(buffer), &n);
    if (code == CURLE_AGAIN) {
      const int ready = Wait(close_sent_ ? -1 : stop_fd, close_sent_ ? 100 : 1000);
      if (ready == 2) {
        SILT_RETURN_IF_ERROR(SendClose(http::kCloseNormal));
        close_deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kCloseWaitMs);
      }
      continue;
    }
    if (code != CURLE_OK || n == 0) {
      if (close_sent_) return Status::Ok();
      return Status::IOError(
          "the connection to " + client_->options().addr + " was lost while tailing (" +
          (code == CURLE_OK ? "closed by the server" : curl_easy_strerror(code)) + ")");
    }
    parser_.Feed(std::string_view(buffer, n), &messages);
  }
}

}  // namespace silt::cli
