#include "tests/support/websocket_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>

#include "shared/http/websocket_frame_encoder.h"

namespace silt::testing {
namespace {

using Clock = std::chrono::steady_clock;

int RemainingMs(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

}  // namespace

WebSocketClient::WebSocketClient(int port, int receive_buffer)
    : parser_(http::WebSocketParserLimits{.max_message_bytes = 64 * 1024 * 1024,
                                          .require_mask = false}) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) return;
  if (receive_buffer > 0) {
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof(receive_buffer));
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) Close();
}

WebSocketClient::~WebSocketClient() { Close(); }

void WebSocketClient::Close() {
  tls_.reset();
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status WebSocketClient::StartTls(const TlsSocketOptions& options) {
  if (fd_ < 0) return Status::Unavailable("not connected");
  auto tls = TlsSocket::Handshake(fd_, options);
  if (!tls.ok()) {
    Close();
    return tls.status();
  }
  tls_ = std::move(*tls);
  return Status::Ok();
}

bool WebSocketClient::SendRaw(std::string_view bytes) {
  while (!bytes.empty() && fd_ >= 0) {
    const ssize_t n = tls_ != nullptr ? tls_->Send(bytes.data(), bytes.size())
                                      : ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return fd_ >= 0;
}

int WebSocketClient::Handshake(std::string_view target,
                               const std::vector<std::string>& extra_headers, std::string* head,
                               std::string* body, std::string_view trailing) {
  std::string request = "GET " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  request += "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n";
  request += "Sec-WebSocket-Key: " + std::string(kKey) + "\r\n";
  for (const std::string& line : extra_headers) request += line + "\r\n";
  request += "\r\n";
  request += trailing;
  if (!SendRaw(request)) return 0;
  const Clock::time_point deadline = Clock::now() + std::chrono::seconds(10);
  size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!Fill(RemainingMs(deadline))) return 0;
  }
  const std::string head_text = buffer_.substr(0, end + 4);
  buffer_.erase(0, end + 4);
  if (head != nullptr) *head = head_text;
  if (head_text.size() < 12) return 0;
  const int status = std::atoi(head_text.substr(9, 3).c_str());
  if (status == 101) {
    std::string rest = std::move(buffer_);
    buffer_.clear();
    parser_.Feed(rest, &messages_);
    return status;
  }
  // A refusal: Content-Length framed.
  const size_t at = head_text.find("Content-Length: ");
  const size_t length =
      at == std::string::npos ? 0 : std::strtoul(head_text.c_str() + at + 16, nullptr, 10);
  while (buffer_.size() < length && Fill(RemainingMs(deadline))) {
  }
  if (body != nullptr) *body = buffer_.substr(0, length);
  return status;
}

bool WebSocketClient::SendFrame(http::WebSocketOpcode opcode, std::string_view payload, bool fin) {
  std::string frame;
  http::AppendMaskedWebSocketFrame(opcode, payload, next_mask_, &frame, fin);
  next_mask_ = next_mask_ * 1103515245u + 12345u;
  return SendRaw(frame);
}

bool WebSocketClient::SendClose(uint16_t code, std::string_view reason) {
  std::string payload;
  payload.push_back(static_cast<char>(code >> 8));
  payload.push_back(static_cast<char>(code & 0xFF));
  payload.append(reason);
  return SendFrame(http::WebSocketOpcode::kClose, payload);
}

bool WebSocketClient::Fill(int timeout_ms) {
  if (fd_ < 0 || eof_) return false;
  char buf[65536];
  ssize_t n = 0;
  if (tls_ != nullptr) {
    n = tls_->Recv(buf, sizeof(buf), timeout_ms);
    if (n == -2) return false;  // no data in time
  } else {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return false;
    n = ::recv(fd_, buf, sizeof(buf), 0);
  }
  if (n <= 0) {
    eof_ = true;
    return false;
  }
  buffer_.append(buf, static_cast<size_t>(n));
  return true;
}

std::optional<http::WebSocketMessage> WebSocketClient::Read(int timeout_ms) {
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (next_message_ >= messages_.size()) {
    if (parser_.failed() || parser_.closed()) return std::nullopt;
    if (!Fill(RemainingMs(deadline))) return std::nullopt;
    std::string bytes = std::move(buffer_);
    buffer_.clear();
    parser_.Feed(bytes, &messages_);
  }
  return std::move(messages_[next_message_++]);
}

std::optional<std::string> WebSocketClient::ReadText(int timeout_ms) {
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    std::optional<http::WebSocketMessage> message = Read(RemainingMs(deadline));
    if (!message.has_value()) return std::nullopt;
    if (message->opcode == http::WebSocketOpcode::kText) return std::move(message->payload);
    if (message->opcode == http::WebSocketOpcode::kClose) return std::nullopt;
  }
}

bool WebSocketClient::WaitForEof(int timeout_ms) {
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!eof_) {
    if (!Fill(RemainingMs(deadline))) break;
    if (!parser_.failed() && !parser_.closed()) {
      std::string bytes = std::move(buffer_);
      buffer_.clear();
      parser_.Feed(bytes, &messages_);
    } else {
      buffer_.clear();
    }
  }
  return eof_;
}

}  // namespace silt::testing
