#include "tests/integration/aggregator/curl_runner.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "tests/unit/shared/http/test_server.h"

namespace silt::testing {

CurlResult Curl(const std::string& body_file, std::vector<std::string> args) {
  args.insert(args.begin(), {"-o", body_file, "-w", "%{http_code}"});
  int rc = 0;
  const std::string out = http::testing::RunCurl(args, &rc);
  EXPECT_EQ(rc, 0) << out;
  CurlResult result;
  result.status = std::atoi(out.c_str());
  std::ifstream in(body_file);
  result.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return result;
}

std::string LocalUrl(int port, std::string_view path) {
  return "http://127.0.0.1:" + std::to_string(port) + std::string(path);
}

}  // namespace silt::testing
