// Curl: the real curl binary against the running silt-aggregator's HTTP API, for the end-to-end
// tests: the status code and the body of one request (the body goes through a file, so empty and
// binary bodies survive intact).
// Thread-safety: plain functions; calls that share a body file must not overlap.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace silt::testing {

struct CurlResult {
  int status = 0;  // the HTTP status curl printed; 0 when it printed none
  std::string body;
};

// Runs curl with `args` (after "-sS --max-time 20 -o `body_file` -w %{http_code}") and returns the
// status and the body read back from `body_file`. A curl exit code other than 0 fails the test
// (EXPECT) with curl's output.
CurlResult Curl(const std::string& body_file, std::vector<std::string> args);

// "http://127.0.0.1:<port><path>".
std::string LocalUrl(int port, std::string_view path);

}  // namespace silt::testing
