// TailSession: the client side of Loki's WebSocket tail (GET /loki/api/v1/tail). Debian 12's
// libcurl has no WebSocket API, so libcurl only connects (CURLOPT_CONNECT_ONLY: TCP, proxy, TLS
// with the CLI's certificates) and this class writes the upgrade request with curl_easy_send,
// checks the 101 answer and its Sec-WebSocket-Accept, and reads frames with curl_easy_recv
// through shared/http's WebSocketFrameParser (server frames are unmasked); what it sends (pong,
// close) is masked with a random key, as RFC 6455 requires of clients.
//
// Thread-compatible: one thread drives a session.
#pragma once

#include <curl/curl.h>

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "aggregator/cli/http_client.h"
#include "shared/http/websocket_frame_parser.h"
#include "shared/status/status.h"

namespace silt::cli {

class TailSession {
 public:
  // `client` gives the address, TLS options and auth headers; it must outlive the session.
  explicit TailSession(const HttpClient* client);
  ~TailSession();
  TailSession(const TailSession&) = delete;
  TailSession& operator=(const TailSession&) = delete;

  // Connects and upgrades to a WebSocket for the tail with `params` (query, limit, start,
  // delay_for). kUnavailable when the server cannot be reached; ServerError (e.g. 400 with
  // Loki's message for a bad query) when it answers something other than 101.
  Status Open(const QueryParams& params);

  // Hands every text message to `on_text` until the server closes the tail or `stop_fd` becomes
  // readable (Ctrl-C: a close frame 1000 is sent and the server's close awaited briefly).
  // Returns OK after Ctrl-C or a normal close (1000); IOError naming the code and reason for
  // another close, a protocol error or a lost connection; the first failure of `on_text`.
  Status Run(const std::function<Status(std::string_view)>& on_text, int stop_fd);

 private:
  // A random base64 Sec-WebSocket-Key.
  std::string NewKey();
  // The GET with the upgrade headers, the tenant and the token, for url_.
  std::string UpgradeRequest(const std::string& key) const;
  Status SendAll(std::string_view bytes);
  // Waits until the socket is readable, `stop_fd` is, or `timeout_ms` passes; returns 1 for the
  // socket, 2 for stop_fd, 0 for a timeout, -1 on error.
  int Wait(int stop_fd, int timeout_ms) const;
  Status ReadHead(std::string* head, std::string* rest);
  Status SendClose(uint16_t code);
  Status Handle(const http::WebSocketMessage& message,
                const std::function<Status(std::string_view)>& on_text, bool* closed);

  const HttpClient* client_;
  CURL* easy_ = nullptr;
  curl_socket_t socket_ = CURL_SOCKET_BAD;
  std::string url_;
  http::WebSocketFrameParser parser_;
  std::vector<http::WebSocketMessage> pending_;  // messages that came with the 101 answer
  std::mt19937 random_;
  bool close_sent_ = false;
};

}  // namespace silt::cli
