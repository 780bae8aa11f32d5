// TestServer: an HttpServer on its own loop thread for socket-level tests, with a MemorySink
// logger and a metrics Registry. RawClient: a blocking TCP client that sends exact bytes and
// parses responses, for byte-exact protocol tests. RunCurl: runs the real curl binary.
#pragma once

#include <uv.h>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "shared/http/headers.h"
#include "shared/http/router.h"
#include "shared/http/server.h"
#include "shared/log/logger.h"
#include "shared/log/memory_sink.h"
#include "shared/metrics/registry.h"
#include "shared/status/status.h"
#include "tests/support/tls_socket.h"

namespace silt::http::testing {

class TestServer {
 public:
  // Starts the server (port 0 on 127.0.0.1 unless `options` says otherwise) and its loop
  // thread. Check status() before use.
  explicit TestServer(Router router, ServerOptions options = {});
  // Shuts down if still running.
  ~TestServer();

  const Status& status() const { return status_; }
  int port() const { return port_; }
  // Runs `fn` on the loop thread and waits for it to return.
  void RunOnLoop(std::function<void()> fn);
  size_t ConnectionCount();
  // HttpServer::ReloadTls on the loop thread.
  Status ReloadTls();
  // Starts a graceful shutdown without waiting for it; `done` runs on the loop when it ends.
  // Call at most once; RunOnLoop and ConnectionCount are unavailable afterwards.
  void BeginShutdown(std::function<void()> done = {});
  // Graceful shutdown; returns when the loop thread has exited. True when afterwards every
  // handle was closed (uv_loop_close() == 0).
  bool Shutdown();

  log::MemorySink& log_sink() { return sink_; }
  metrics::Registry& registry() { return registry_; }

 private:
  static void OnCommand(uv_async_t* handle);

  Status status_;
  uv_loop_t loop_;
  uv_async_t* commands_ = nullptr;
  std::mutex mu_;
  std::vector<std::function<void()>> queue_;
  log::MemorySink sink_;
  log::Logger logger_;
  metrics::Registry registry_;
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
  std::thread thread_;
  bool shutdown_begun_ = false;
  bool stopped_ = false;
  bool loop_closed_ = false;
};

struct RawResponse {
  int status = 0;
  Headers headers;
  std::string body;
  bool chunked = false;
};

class RawClient {
 public:
  // Connects to 127.0.0.1:`port` (blocking). connected() says whether it worked.
  explicit RawClient(int port);
  ~RawClient();
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  // Runs a TLS handshake on the connection; every later byte goes through TLS. Error: the TLS
  // failure (the connection is then closed).
  Status StartTls(const silt::testing::TlsSocketOptions& options);
  // Writes all of `bytes`; false if the socket failed.
  bool Send(std::string_view bytes);
  // shutdown(SHUT_WR): the server sees EOF.
  void ShutdownWrite();
  // After StartTls: sends TLS close_notify (the server sees the end of input); reading goes on.
  void ShutdownTls() {
    if (tls_ != nullptr) tls_->Shutdown();
  }
  // Closes with SO_LINGER 0: the server sees a reset.
  void Reset();
  // Closes normally.
  void Close();

  // Reads one response. `head` says it answers a HEAD request (no body). nullopt when the
  // connection ends, or 10 s pass, before a whole response arrived.
  std::optional<RawResponse> ReadResponse(bool head = false);
  // Reads until the server closes (or 10 s pass); returns what arrived, after any bytes already
  // buffered. `closed` says whether EOF (or a reset) was seen.
  std::string ReadUntilClosed(bool* closed = nullptr);

 private:
  // Reads more into buffer_; false on EOF, error or deadline.
  bool Fill();
  // One read of at most `size` bytes within `timeout_ms`: bytes read, 0 at the end, -1 on
  // failure, -2 when nothing arrived in time.
  ssize_t ReadSome(char* out, size_t size, int timeout_ms);

  int fd_ = -1;
  std::unique_ptr<silt::testing::TlsSocket> tls_;  // set by StartTls
  std::string buffer_;
};

// Threads that answer requests "from a worker pool"; joined on destruction.
class Workers {
 public:
  Workers() = default;
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;
  ~Workers() { JoinAll(); }

  // Runs `fn` (may be move-only) on a new thread.
  template <typename Fn>
  void Run(Fn fn) {
    std::lock_guard<std::mutex> lock(mu_);
    threads_.emplace_back(std::move(fn));
  }
  void JoinAll() {
    std::vector<std::thread> threads;
    {
      std::lock_guard<std::mutex> lock(mu_);
      threads.swap(threads_);
    }
    for (std::thread& t : threads) t.join();
  }

 private:
  std::mutex mu_;
  std::vector<std::thread> threads_;
};

// Runs curl with `args` (after "-sS --max-time 20"), returns its stdout; `exit_code` gets its
// exit status.
std::string RunCurl(const std::vector<std::string>& args, int* exit_code);

// Polls `condition` every millisecond until it holds or 10 s pass; returns its last value.
bool WaitFor(const std::function<bool()>& condition);

}  // namespace silt::http::testing
