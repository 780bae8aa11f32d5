// WebSocketClient: a small blocking RFC 6455 client over a raw TCP socket for tests: it sends
// the opening handshake, masked frames (also malformed ones, as raw bytes) and reads server
// frames with WebSocketFrameParser (unmasked frames only). Every read has a deadline, so a test
// never hangs; nothing here sleeps.
// Thread-compatible: one test thread uses a client.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/http/websocket_frame.h"
#include "shared/http/websocket_frame_parser.h"
#include "shared/status/status.h"
#include "tests/support/tls_socket.h"

namespace silt::testing {

class WebSocketClient {
 public:
  // Connects to 127.0.0.1:`port`. A non-zero `receive_buffer` sets SO_RCVBUF before connecting
  // (a slow client whose window fills fast). connected() says whether it worked.
  explicit WebSocketClient(int port, int receive_buffer = 0);
  ~WebSocketClient();
  WebSocketClient(const WebSocketClient&) = delete;
  WebSocketClient& operator=(const WebSocketClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  // Runs a TLS handshake on the connection; every later byte goes through TLS. Call before
  // Handshake. Error: the TLS failure (the connection is then closed).
  Status StartTls(const TlsSocketOptions& options);

  // Sends a GET for `target` with the WebSocket headers (plus `extra_headers`, each a
  // "Name: value" line), and `trailing` bytes in the same write, and reads the answer's head.
  // Returns its status (101 on success, 0 when no answer arrived); *head gets the raw head and
  // *body the answer's body when not 101.
  int Handshake(std::string_view target, const std::vector<std::string>& extra_headers = {},
                std::string* head = nullptr, std::string* body = nullptr,
                std::string_view trailing = {});
  // The Sec-WebSocket-Key Handshake sent.
  static constexpr std::string_view kKey = "dGhlIHNhbXBsZSBub25jZQ==";

  // Sends one masked frame; false if the socket failed.
  bool SendFrame(http::WebSocketOpcode opcode, std::string_view payload, bool fin = true);
  bool SendText(std::string_view text) { return SendFrame(http::WebSocketOpcode::kText, text); }
  bool SendClose(uint16_t code, std::string_view reason);
  bool SendRaw(std::string_view bytes);

  // The next message from the server (text, binary, ping, pong or close), or nullopt when the
  // connection ended, the server broke the protocol, or `timeout_ms` passed.
  std::optional<http::WebSocketMessage> Read(int timeout_ms = 10000);
  // The next text message, answering nothing and skipping pings; nullopt as for Read.
  std::optional<std::string> ReadText(int timeout_ms = 10000);
  // Reads until the server closes the TCP connection; true when it did within `timeout_ms`.
  // Messages read meanwhile are kept for Read.
  bool WaitForEof(int timeout_ms = 10000);
  // Closes the socket without a closing handshake.
  void Close();

 private:
  bool Fill(int timeout_ms);

  int fd_ = -1;
  std::unique_ptr<TlsSocket> tls_;  // set by StartTls
  std::string buffer_;  // bytes not yet parsed (the answer's head, before the handshake ends)
  http::WebSocketFrameParser parser_;
  std::vector<http::WebSocketMessage> messages_;
  size_t next_message_ = 0;
  bool eof_ = false;
  uint32_t next_mask_ = 0x12345678;
};

}  // namespace silt::testing
