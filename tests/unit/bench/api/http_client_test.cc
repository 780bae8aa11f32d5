// api_bench's blocking HTTP/1.1 client against the project's HttpServer: Content-Length and
// chunked answers, keep-alive reuse, a fresh connection after the server closed an idle one,
// and a readable error when nothing listens.
#include "tests/bench/api/http_client.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tests/unit/shared/http/test_server.h"

namespace silt::bench {
namespace {

using http::Request;
using http::Responder;
using http::Response;
using http::testing::TestServer;

http::Router EchoRouter() {
  http::Router router;
  EXPECT_TRUE(router
                  .Add("POST", "/echo",
                       [](Request request, Responder r) {
                         r.Respond(Response::Text(200, request.method + ":" + request.body));
                       })
                  .ok());
  EXPECT_TRUE(router
                  .Add("GET", "/chunked",
                       [](Request, Responder r) {
                         if (!r.StartStream(Response::Text(200, "one;")).ok()) return;
                         if (!r.Write(std::string(100000, 'x')).ok()) return;
                         if (!r.Write(";three").ok()) return;
                         r.Finish();
                       })
                  .ok());
  EXPECT_TRUE(router
                  .Add("GET", "/empty",
                       [](Request, Responder r) {
                         Response response;
                         response.status = 204;
                         r.Respond(std::move(response));
                       })
                  .ok());
  return router;
}

class BenchHttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(EchoRouter(), options_);
    ASSERT_TRUE(server_->status().ok()) << server_->status();
  }
  void TearDown() override { EXPECT_TRUE(server_->Shutdown()); }

  http::ServerOptions options_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(BenchHttpClientTest, PostsABodyAndReadsAContentLengthAnswer) {
  HttpClient client(server_->port());
  Result<HttpReply> reply = client.Request("POST", "/echo", {"Content-Type: text/plain"}, "hi");
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "POST:hi");
}

TEST_F(BenchHttpClientTest, ReadsAChunkedAnswerWhole) {
  HttpClient client(server_->port());
  Result<HttpReply> reply = client.Request("GET", "/chunked", {}, "");
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->body, "one;" + std::string(100000, 'x') + ";three");
}

TEST_F(BenchHttpClientTest, ReusesOneConnectionForManyRequests) {
  HttpClient client(server_->port());
  for (int i = 0; i < 5; ++i) {
    Result<HttpReply> reply = client.Request("GET", "/empty", {}, "");
    ASSERT_TRUE(reply.ok()) << reply.status();
    EXPECT_EQ(reply->status, 204);
    EXPECT_TRUE(reply->body.empty());
  }
  EXPECT_EQ(server_->ConnectionCount(), 1u);
}

TEST_F(BenchHttpClientTest, ReconnectsWhenTheServerClosedTheIdleConnection) {
  TearDown();
  options_.keep_alive_timeout = 50 * time::kMillisecond;
  SetUp();
  HttpClient client(server_->port());
  ASSERT_TRUE(client.Request("GET", "/empty", {}, "").ok());
  // The server closes the idle connection; the client learns it only on its next request.
  ASSERT_TRUE(http::testing::WaitFor([&] { return server_->ConnectionCount() == 0; }));
  Result<HttpReply> reply = client.Request("POST", "/echo", {}, "again");
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->body, "POST:again");
}

TEST(BenchHttpClientNoServerTest, ConnectionRefusedNamesThePortAndRequest) {
  HttpClient client(1);  // port 1: nothing listens on loopback
  Result<HttpReply> reply = client.Request("GET", "/ready", {}, "");
  ASSERT_FALSE(reply.ok());
  EXPECT_NE(reply.status().ToString().find("127.0.0.1:1"), std::string::npos) << reply.status();
}

}  // namespace
}  // namespace silt::bench
