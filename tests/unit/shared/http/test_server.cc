#include "tests/unit/shared/http/test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <utility>

namespace silt::http::testing {
namespace {

constexpr auto kDeadline = std::chrono::seconds(10);

log::LoggerOptions DebugLogger(log::MemorySink* sink) {
  log::LoggerOptions options;
  options.min_level = log::Level::kDebug;
  options.sink = sink;
  return options;
}

}  // namespace

TestServer::TestServer(Router router, ServerOptions options) : logger_(DebugLogger(&sink_)) {
  uv_loop_init(&loop_);
  if (options.logger == nullptr) options.logger = &logger_;
  if (options.metrics == nullptr) options.metrics = &registry_;
  auto server = HttpServer::Start(&loop_, std::move(options), std::move(router));
  if (!server.ok()) {
    status_ = server.status();
    uv_run(&loop_, UV_RUN_DEFAULT);
    loop_closed_ = uv_loop_close(&loop_) == 0;
    stopped_ = true;
    return;
  }
  server_ = std::move(*server);
  port_ = server_->port();
  commands_ = new uv_async_t;
  uv_async_init(&loop_, commands_, &TestServer::OnCommand);
  commands_->data = this;
  thread_ = std::thread([this] { uv_run(&loop_, UV_RUN_DEFAULT); });
}

TestServer::~TestServer() {
  if (!stopped_) Shutdown();
}

void TestServer::OnCommand(uv_async_t* handle) {
  auto* self = static_cast<TestServer*>(handle->data);
  std::vector<std::function<void()>> commands;
  {
    std::lock_guard<std::mutex> lock(self->mu_);
    commands.swap(self->queue_);
  }
  for (auto& command : commands) command();
}

void TestServer::RunOnLoop(std::function<void()> fn) {
  std::promise<void> done;
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back([&] {
      fn();
      done.set_value();
    });
  }
  uv_async_send(commands_);
  done.get_future().wait();
}

size_t TestServer::ConnectionCount() {
  size_t count = 0;
  RunOnLoop([&] { count = server_->connection_count(); });
  return count;
}

Status TestServer::ReloadTls() {
  Status status;
  RunOnLoop([&] { status = server_->ReloadTls(); });
  return status;
}

void TestServer::BeginShutdown(std::function<void()> done) {
  shutdown_begun_ = true;
  RunOnLoop([this, done = std::move(done)]() mutable {
    server_->Shutdown([this, done = std::move(done)] {
      if (done) done();
      uv_close(reinterpret_cast<uv_handle_t*>(commands_),
               [](uv_handle_t* handle) { delete reinterpret_cast<uv_async_t*>(handle); });
    });
  });
}

bool TestServer::Shutdown() {
  if (stopped_) return loop_closed_;
  if (!shutdown_begun_) BeginShutdown();
  thread_.join();
  server_.reset();
  uv_run(&loop_, UV_RUN_NOWAIT);
  loop_closed_ = uv_loop_close(&loop_) == 0;
  stopped_ = true;
  return loop_closed_;
}

RawClient::RawClient(int port) {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd_);
    fd_ = -1;
    return;
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

RawClient::~RawClient() { Close(); }

Status RawClient::StartTls(const silt::testing::TlsSocketOptions& options) {
  if (fd_ < 0) return Status::Unavailable("not connected");
  auto tls = silt::testing::TlsSocket::Handshake(fd_, options);
  if (!tls.ok()) {
    Close();
    return tls.status();
  }
  tls_ = std::move(*tls);
  return Status::Ok();
}

ssize_t RawClient::ReadSome(char* out, size_t size, int timeout_ms) {
  if (tls_ != nullptr) return tls_->Recv(out, size, timeout_ms);
  pollfd p{fd_, POLLIN, 0};
  if (poll(&p, 1, timeout_ms) <= 0) return -2;
  return ::recv(fd_, out, size, 0);
}

bool RawClient::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = tls_ != nullptr ? tls_->Send(bytes.data(), bytes.size())
                                      : ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void RawClient::ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }

void RawClient::Reset() {
  if (fd_ < 0) return;
  linger lin{1, 0};
  setsockopt(fd_, SOL_SOCKET, SO_LINGER, &lin, sizeof(lin));
  Close();
}

void RawClient::Close() {
  tls_.reset();
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool RawClient::Fill() {
  if (fd_ < 0) return false;
  const int ms = static_cast<int>(std::chrono::milliseconds(kDeadline).count());
  char buf[65536];
  const ssize_t n = ReadSome(buf, sizeof(buf), ms);
  if (n <= 0) return false;
  buffer_.append(buf, static_cast<size_t>(n));
  return true;
}

std::optional<RawResponse> RawClient::ReadResponse(bool head) {
  size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!Fill()) return std::nullopt;
  }
  RawResponse response;
  std::string_view block(buffer_.data(), end);
  const size_t line_end = block.find("\r\n");
  const std::string_view status_line = block.substr(0, line_end);
  if (status_line.size() < 12 || status_line.substr(0, 9) != "HTTP/1.1 ") return std::nullopt;
  response.status = std::atoi(std::string(status_line.substr(9, 3)).c_str());
  std::string_view rest = line_end == std::string_view::npos ? "" : block.substr(line_end + 2);
  while (!rest.empty()) {
    const size_t eol = rest.find("\r\n");
    const std::string_view line = rest.substr(0, eol);
    const size_t colon = line.find(':');
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    response.headers.Add(std::string(line.substr(0, colon)), std::string(value));
    if (eol == std::string_view::npos) break;
    rest.remove_prefix(eol + 2);
  }
  buffer_.erase(0, end + 4);
  const bool no_body =
      head || response.status / 100 == 1 || response.status == 204 || response.status == 304;
  if (no_body) return response;
  if (auto length = response.headers.Get("Content-Length")) {
    const size_t n = std::strtoull(std::string(*length).c_str(), nullptr, 10);
    while (buffer_.size() < n) {
      if (!Fill()) return std::nullopt;
    }
    response.body = buffer_.substr(0, n);
    buffer_.erase(0, n);
    return response;
  }
  if (response.headers.HasToken("Transfer-Encoding", "chunked")) {
    response.chunked = true;
    while (true) {
      size_t eol;
      while ((eol = buffer_.find("\r\n")) == std::string::npos) {
        if (!Fill()) return std::nullopt;
      }
      const size_t size = std::strtoull(buffer_.substr(0, eol).c_str(), nullptr, 16);
      while (buffer_.size() < eol + 2 + size + 2) {
        if (!Fill()) return std::nullopt;
      }
      response.body.append(buffer_, eol + 2, size);
      buffer_.erase(0, eol + 2 + size + 2);
      if (size == 0) return response;  // no trailers are sent by the server
    }
  }
  bool closed = false;
  response.body = ReadUntilClosed(&closed);
  if (!closed) return std::nullopt;
  return response;
}

std::string RawClient::ReadUntilClosed(bool* closed) {
  const auto deadline = std::chrono::steady_clock::now() + kDeadline;
  bool eof = false;
  while (fd_ >= 0 && std::chrono::steady_clock::now() < deadline) {
    char buf[65536];
    const ssize_t n = ReadSome(buf, sizeof(buf), 100);
    if (n == -2) continue;
    if (n <= 0) {
      eof = true;
      break;
    }
    buffer_.append(buf, static_cast<size_t>(n));
  }
  if (closed != nullptr) *closed = eof;
  return std::exchange(buffer_, {});
}

std::string RunCurl(const std::vector<std::string>& args, int* exit_code) {
  std::string command = "curl -sS --max-time 20";
  for (const std::string& arg : args) {
    command += " '";
    for (char c : arg) {
      if (c == '\'') {
        command += "'\\''";
      } else {
        command.push_back(c);
      }
    }
    command += "'";
  }
  command += " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  if (pipe == nullptr) {
    *exit_code = -1;
    return out;
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) out.append(buf, n);
  const int status = pclose(pipe);
  *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

bool WaitFor(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + kDeadline;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return condition();
}

}  // namespace silt::http::testing
