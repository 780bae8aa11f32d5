#include "tests/bench/api/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "tests/bench/aggregator/fd_io.h"

namespace silt::bench {
namespace {

constexpr size_t kReadChunk = 256 * 1024;

// The value of header `name` (case-insensitive) in `head` (status line + headers, CRLF
// separated); "" when absent.
std::string HeaderValue(std::string_view head, std::string_view name) {
  size_t at = head.find("\r\n");
  while (at != std::string_view::npos && at + 2 < head.size()) {
    const size_t begin = at + 2;
    const size_t end = head.find("\r\n", begin);
    const std::string_view line = head.substr(begin, end - begin);
    const size_t colon = line.find(':');
    if (colon == name.size() && ::strncasecmp(line.data(), name.data(), name.size()) == 0) {
      const size_t value = line.find_first_not_of(' ', colon + 1);
      return value == std::string_view::npos ? "" : std::string(line.substr(value));
    }
    at = end;
  }
  return "";
}

}  // namespace

void HttpClient::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  buffer_.clear();
}

Status HttpClient::Connect() {
  const std::string where = "127.0.0.1:" + std::to_string(port_);
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return Status::FromErrno(errno, "socket for HTTP to " + where);
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port_));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    const int error = errno;
    Close();
    return Status::FromErrno(error, "connect to HTTP server " + where + " (is it running?)");
  }
  return Status::Ok();
}

Status HttpClient::Send(std::string_view method, std::string_view target,
                        const std::vector<std::string>& headers, std::string_view body) {
  std::string head;
  head.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  for (const std::string& header : headers) head.append(header).append("\r\n");
  head.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n\r\n");
  const std::string what = "HTTP request " + std::string(method) + " " + std::string(target);
  SILT_RETURN_IF_ERROR(WriteAll(fd_, head, what));
  return WriteAll(fd_, body, what);
}

Result<HttpReply> HttpClient::Request(std::string_view method, std::string_view target,
                                      const std::vector<std::string>& headers,
                                      std::string_view body) {
  const std::string what =
      std::string(method) + " " + std::string(target) + " on 127.0.0.1:" + std::to_string(port_);
  const bool reused = fd_ >= 0;
  if (!reused) SILT_RETURN_IF_ERROR(Connect());
  Status sent = Send(method, target, headers, body);
  Result<HttpReply> reply = sent.ok() ? ReadReply(what) : Result<HttpReply>(sent);
  if (!reply.ok() && reused && buffer_.empty()) {
    // The server may have closed an idle keep-alive connection: one fresh attempt.
    Close();
    SILT_RETURN_IF_ERROR(Connect());
    SILT_RETURN_IF_ERROR(Send(method, target, headers, body));
    reply = ReadReply(what);
  }
  if (!reply.ok()) Close();
  return reply;
}

Status HttpClient::Fill(const std::string& what) {
  const size_t old_size = buffer_.size();
  buffer_.resize(old_size + kReadChunk);
  ssize_t n;
  do {
    n = ::read(fd_, buffer_.data() + old_size, kReadChunk);
  } while (n < 0 && errno == EINTR);
  buffer_.resize(old_size + static_cast<size_t>(n > 0 ? n : 0));
  if (n < 0) return Status::FromErrno(errno, "reading the answer to " + what);
  if (n == 0) return Status::IOError("connection closed before the whole answer to " + what);
  return Status::Ok();
}

Result<HttpReply> HttpClient::ReadReply(const std::string& what) {
  size_t end_of_head;
  while ((end_of_head = buffer_.find("\r\n\r\n")) == std::string::npos) {
    SILT_RETURN_IF_ERROR(Fill(what));
  }
  const std::string head = buffer_.substr(0, end_of_head);
  buffer_.erase(0, end_of_head + 4);
  if (head.rfind("HTTP/1.1 ", 0) != 0 || head.size() < 12) {
    return Status::Corruption("answer to " + what + " is not HTTP/1.1: " + head.substr(0, 80));
  }
  HttpReply reply;
  reply.status = std::atoi(head.c_str() + 9);
  if (HeaderValue(head, "Transfer-Encoding").find("chunked") != std::string::npos) {
    SILT_ASSIGN_OR_RETURN(reply.body, ReadChunked(what));
  } else {
    const size_t length = std::strtoull(HeaderValue(head, "Content-Length").c_str(), nullptr, 10);
    while (buffer_.size() < length) SILT_RETURN_IF_ERROR(Fill(what));
    reply.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
  }
  if (HeaderValue(head, "Connection") == "close") Close();
  return reply;
}

Result<std::string> HttpClient::ReadChunked(const std::string& what) {
  std::string body;
  for (;;) {
    size_t end_of_size;
    while ((end_of_size = buffer_.find("\r\n")) == std::string::npos) {
      SILT_RETURN_IF_ERROR(Fill(what));
    }
    char* parsed_end = nullptr;
    const size_t size = std::strtoull(buffer_.c_str(), &parsed_end, 16);
    if (parsed_end == buffer_.c_str()) {
      return Status::Corruption("bad chunk size in the answer to " + what);
    }
    // The chunk, its CRLF; the last (empty) chunk is followed by an empty trailer line.
    const size_t needed = end_of_size + 2 + size + 2;
    while (buffer_.size() < needed) SILT_RETURN_IF_ERROR(Fill(what));
    body.append(buffer_, end_of_size + 2, size);
    buffer_.erase(0, needed);
    if (size == 0) return body;
  }
}

}  // namespace silt::bench
