// HttpServer against the real curl binary: gzip bodies, keep-alive, HEAD, forms, 100-continue,
// chunked uploads and streamed answers, as operators' tools send them.
#include "shared/http/server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "shared/http/query_params.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/shared/http/compress_for_test.h"
#include "tests/unit/shared/http/test_server.h"

namespace silt::http {
namespace {

using ::silt::http::testing::RunCurl;
using ::silt::http::testing::TestServer;
using ::silt::http::testing::Workers;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class ServerCurlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Router router;
    ASSERT_TRUE(router
                    .Add("GET", "/whoami",
                         [this](Request req, Responder r) {
                           std::lock_guard<std::mutex> lock(mu_);
                           remotes_.insert(req.remote_address);
                           r.Respond(Response::Text(200, req.remote_address));
                         })
                    .ok());
    ASSERT_TRUE(router
                    .Add("POST", "/loki/api/v1/push",
                         [](Request req, Responder r) {
                           r.Respond(
                               Response::Text(200, "bytes=" + std::to_string(req.body.size()) +
                                                       " body=" + req.body.substr(0, 40)));
                         })
                    .ok());
    ASSERT_TRUE(router
                    .Add("POST", "/loki/api/v1/query_range",
                         [](Request req, Responder r) {
                           auto params = QueryParams::FromRequest(req);
                           if (!params.ok()) {
                             r.Respond(Response::FromStatus(params.status()));
                             return;
                           }
                           std::string out;
                           for (const auto& [k, v] : params->pairs()) out += k + "=" + v + "\n";
                           r.Respond(Response::Text(200, out));
                         })
                    .ok());
    ASSERT_TRUE(
        router
            .Add("GET", "/metrics",
                 [](Request, Responder r) { r.Respond(Response::Text(200, "silt_up 1\n")); })
            .ok());
    ASSERT_TRUE(router
                    .Add("GET", "/loki/api/v1/label/{name}/values",
                         [](Request req, Responder r) {
                           r.Respond(Response::Json(
                               200, "{\"label\":\"" + std::string(req.PathParam("name")) + "\"}"));
                         })
                    .ok());
    ASSERT_TRUE(router
                    .Add("GET", "/export",
                         [this](Request, Responder r) {
                           workers_.Run([r = std::move(r)]() mutable {
                             if (!r.StartStream(Response::Text(200, "")).ok()) return;
                             for (int i = 0; i < 1000; ++i) {
                               if (!r.Write("line " + std::to_string(i) + "\n").ok()) return;
                             }
                             r.Finish();
                           });
                         })
                    .ok());
    server_ = std::make_unique<TestServer>(std::move(router));
    ASSERT_TRUE(server_->status().ok()) << server_->status();
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }
  void TearDown() override {
    workers_.JoinAll();
    EXPECT_TRUE(server_->Shutdown());
  }

  std::string WriteFile(const std::string& name, const std::string& bytes) {
    const std::string path = dir_.path() + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  silt::testing::TempDir dir_;
  Workers workers_;
  std::mutex mu_;
  std::set<std::string> remotes_;
  std::unique_ptr<TestServer> server_;
  std::string base_;
};

TEST_F(ServerCurlTest, KeepAliveAcrossRequests) {
  int code = 0;
  const std::string out =
      RunCurl({base_ + "/whoami", "-o", "/dev/null", base_ + "/whoami", "-o", "/dev/null",
               base_ + "/whoami", "-w", "%{http_code} %{num_connects}\\n"},
              &code);
  ASSERT_EQ(code, 0) << out;
  EXPECT_THAT(out, HasSubstr("200 1"));  // the first transfer connects
  EXPECT_THAT(out, HasSubstr("200 0"));  // the last one reuses it
  std::lock_guard<std::mutex> lock(mu_);
  EXPECT_EQ(remotes_.size(), 1u) << "all three requests came over one connection";
}

TEST_F(ServerCurlTest, HeadGivesHeadersOnly) {
  int code = 0;
  const std::string out = RunCurl({"-I", base_ + "/metrics"}, &code);
  ASSERT_EQ(code, 0) << out;
  EXPECT_THAT(out, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(out, HasSubstr("Content-Length: 10\r\n"));
  EXPECT_THAT(out, ::testing::Not(HasSubstr("silt_up")));
}

TEST_F(ServerCurlTest, GzipPushBodyIsDecompressed) {
  std::string json = "{\"streams\":[{\"stream\":{\"job\":\"x\"},\"values\":[";
  for (int i = 0; i < 2000; ++i) {
    json +=
        std::string(i ? "," : "") + "[\"1700000000000000000\",\"line " + std::to_string(i) + "\"]";
  }
  json += "]}]}";
  const std::string path = WriteFile("push.json.gz", testing::Gzip(json));
  int code = 0;
  const std::string out =
      RunCurl({"-H", "Content-Type: application/json", "-H", "Content-Encoding: gzip",
               "--data-binary", "@" + path, base_ + "/loki/api/v1/push"},
              &code);
  ASSERT_EQ(code, 0) << out;
  EXPECT_EQ(out, "bytes=" + std::to_string(json.size()) + " body=" + json.substr(0, 40));
}

TEST_F(ServerCurlTest, CorruptGzipBodyIs400) {
  const std::string path = WriteFile("bad.gz", "definitely not gzip");
  int code = 0;
  const std::string out = RunCurl({"-H", "Content-Encoding: gzip", "--data-binary", "@" + path,
                                   "-w", "|%{http_code}", base_ + "/loki/api/v1/push"},
                                  &code);
  ASSERT_EQ(code, 0) << out;
  EXPECT_THAT(out, HasSubstr("corrupt or truncated"));
  EXPECT_THAT(out, HasSubstr("|400"));
}

TEST_F(ServerCurlTest, PostFormIsParsedLikeLoki) {
  int code = 0;
  const std::string out =
      RunCurl({"--data-urlencode", "query={job=\"x\"} |= \"a b+c\"", "--data-urlencode", "limit=5",
               base_ + "/loki/api/v1/query_range?direction=backward"},
              &code);
  ASSERT_EQ(code, 0) << out;
  EXPECT_EQ(out, "query={job=\"x\"} |= \"a b+c\"\nlimit=5\ndirection=backward\n");
}

TEST_F(ServerCurlTest, BadFormEscapeIs400WithMessage) {
  int code = 0;
  const std::string out = RunCurl(
      {"--data", "query=%zz", "-w", "|%{http_code}", base_ + "/loki/api/v1/query_range"}, &code);
  ASSERT_EQ(code, 0) << out;
  EXPECT_THAT(out, HasSubstr("form body"));
  EXPECT_THAT(out, HasSubstr("|400"));
}

TEST_F(ServerCurlTest, ExpectContinueUpload) {
  const std::string path = WriteFile("body.txt", std::string(100000, 'z'));
  int code = 0;
  const std::string out = RunCurl({"-v", "-H", "Expect: 100-continue", "--data-binary", "@" + path,
                                   base_ + "/loki/api/v1/push"},
                                  &code);
  ASSERT_EQ(code, 0) << out;
  EXPECT_THAT(out, HasSubstr("HTTP/1.1 100 Continue"));
  EXPECT_THAT(out, HasSubstr("bytes=100000"));
}

TEST_F(ServerCurlTest, ChunkedUpload) {
  const std::string path = WriteFile("body.txt", std::string(70000, 'q'));
  int code = 0;
  const std::string out = RunCurl({"-H", "Transfer-Encoding: chunked", "--data-binary", "@" + path,
                                   base_ + "/loki/api/v1/push"},
                                  &code);
  ASSERT_EQ(code, 0) << out;
  EXPECT_THAT(out, StartsWith("bytes=70000 "));
}

TEST_F(ServerCurlTest, StreamedAnswerArrivesWhole) {
  int code = 0;
  const std::string out = RunCurl({base_ + "/export"}, &code);
  ASSERT_EQ(code, 0) << out.substr(0, 200);
  std::string expected;
  for (int i = 0; i < 1000; ++i) expected += "line " + std::to_string(i) + "\n";
  EXPECT_EQ(out, expected);
}

TEST_F(ServerCurlTest, EncodedPathParameter) {
  int code = 0;
  const std::string out = RunCurl({base_ + "/loki/api/v1/label/service%2Fname/values"}, &code);
  ASSERT_EQ(code, 0) << out;
  EXPECT_EQ(out, "{\"label\":\"service/name\"}");
}

TEST_F(ServerCurlTest, MethodNotAllowedShowsAllow) {
  int code = 0;
  const std::string out = RunCurl({"-i", "-X", "PUT", base_ + "/metrics"}, &code);
  ASSERT_EQ(code, 0) << out;
  EXPECT_THAT(out, StartsWith("HTTP/1.1 405 Method Not Allowed\r\n"));
  EXPECT_THAT(out, HasSubstr("Allow: GET, HEAD\r\n"));
}

}  // namespace
}  // namespace silt::http
