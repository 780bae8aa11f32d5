// HttpClient: a blocking HTTP/1.1 client on one keep-alive TCP connection to 127.0.0.1, for the
// API benchmarks: it sends a request with Content-Length and reads the whole answer (a
// Content-Length or chunked body). Only what Silt's server sends is understood; no TLS, no
// redirects, no 1xx. Not thread-safe; one client per thread.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/status/result.h"
#include "shared/status/status.h"

namespace silt::bench {

struct HttpReply {
  int status = 0;
  std::string body;
};

class HttpClient {
 public:
  // Not connected until the first request (which connects to 127.0.0.1:`port`).
  explicit HttpClient(int port) : port_(port) {}
  ~HttpClient() { Close(); }
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `method target` with `headers` ("Name: value" each) and `body`, and reads the reply.
  // Reconnects once when a kept-alive connection turns out closed before any reply byte.
  // IOError naming the port and request when connecting, writing or reading fails; Corruption
  // when the answer is not HTTP/1.1 as this client understands it.
  Result<HttpReply> Request(std::string_view method, std::string_view target,
                            const std::vector<std::string>& headers, std::string_view body);

  void Close();

 private:
  Status Connect();
  Status Send(std::string_view method, std::string_view target,
              const std::vector<std::string>& headers, std::string_view body);
  Result<HttpReply> ReadReply(const std::string& what);
  Result<std::string> ReadChunked(const std::string& what);
  // Reads more into buffer_; IOError on EOF or error.
  Status Fill(const std::string& what);

  int port_;
  int fd_ = -1;
  std::string buffer_;  // received, not yet consumed
};

}  // namespace silt::bench
