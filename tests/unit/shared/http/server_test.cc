// Protocol-level tests of HttpServer over real sockets, driven byte by byte with RawClient.
#include "shared/http/server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "shared/http/query_params.h"
#include "tests/unit/shared/http/test_server.h"

namespace silt::http {
namespace {

using ::silt::http::testing::RawClient;
using ::silt::http::testing::RawResponse;
using ::silt::http::testing::TestServer;
using ::silt::http::testing::WaitFor;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::string_view kGetHello = "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n";

Router TestRouter(testing::Workers* workers) {
  Router router;
  EXPECT_TRUE(router
                  .Add("GET", "/hello",
                       [](Request, Responder r) { r.Respond(Response::Text(200, "hello")); })
                  .ok());
  EXPECT_TRUE(router
                  .Add("POST", "/echo",
                       [](Request req, Responder r) {
                         Response response = Response::Text(200, req.body);
                         response.headers.Add("X-Method", req.method);
                         r.Respond(std::move(response));
                       })
                  .ok());
  EXPECT_TRUE(router
                  .Add("GET", "/seq/{n}",
                       [workers](Request req, Responder r) {
                         std::string n(req.PathParam("n"));
                         if (n.size() % 2 == 1) {
                           r.Respond(Response::Text(200, n));
                           return;
                         }
                         // Some answers come from another thread, later.
                         workers->Run([r = std::move(r), n]() mutable {
                           r.Respond(Response::Text(200, n));
                         });
                       })
                  .ok());
  EXPECT_TRUE(router
                  .Add("GET", "/stream",
                       [workers](Request, Responder r) {
                         workers->Run([r = std::move(r)]() mutable {
                           if (!r.StartStream(Response::Text(200, "first;")).ok()) return;
                           for (int i = 0; i < 3; ++i) {
                             if (!r.Write("chunk" + std::to_string(i) + ";").ok()) return;
                           }
                           r.Finish();
                         });
                       })
                  .ok());
  EXPECT_TRUE(router
                  .Add("GET", "/nocontent",
                       [](Request, Responder r) {
                         Response response;
                         response.status = 204;
                         response.body = "ignored";
                         r.Respond(std::move(response));
                       })
                  .ok());
  return router;
}

class ServerTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions options = {}) {
    server_ = std::make_unique<TestServer>(TestRouter(&workers_), std::move(options));
    ASSERT_TRUE(server_->status().ok()) << server_->status();
  }
  void TearDown() override {
    workers_.JoinAll();
    if (server_ != nullptr) {
      EXPECT_TRUE(server_->Shutdown()) << "a handle was left open";
    }
  }

  testing::Workers workers_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(ServerTest, AnswersGetWithLengthAndDate) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send(kGetHello));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "hello");
  EXPECT_EQ(response->headers.Get("Content-Length"), "5");
  EXPECT_EQ(response->headers.Get("Content-Type"), "text/plain; charset=utf-8");
  ASSERT_TRUE(response->headers.Get("Date").has_value());
  EXPECT_THAT(std::string(*response->headers.Get("Date")), HasSubstr(" GMT"));
  EXPECT_FALSE(response->headers.Has("Connection"));
}

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  StartServer();
  RawClient client(server_->port());
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(client.Send(kGetHello));
    auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value()) << "request " << i;
    EXPECT_EQ(response->body, "hello");
  }
  EXPECT_EQ(server_->ConnectionCount(), 1u);
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  StartServer();
  RawClient client(server_->port());
  std::string batch;
  for (int i = 0; i < 30; ++i) {
    batch += "GET /seq/" + std::string(static_cast<size_t>(i % 4 + 1), 'a' + i % 26) +
             " HTTP/1.1\r\nHost: t\r\n\r\n";
  }
  ASSERT_TRUE(client.Send(batch));
  for (int i = 0; i < 30; ++i) {
    auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value()) << "response " << i;
    EXPECT_EQ(response->body, std::string(static_cast<size_t>(i % 4 + 1), 'a' + i % 26));
  }
}

TEST_F(ServerTest, RequestSentByteByByteIsParsed) {
  StartServer();
  RawClient client(server_->port());
  const std::string request =
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\nhello world";
  for (char c : request) ASSERT_TRUE(client.Send(std::string_view(&c, 1)));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "hello world");
}

TEST_F(ServerTest, ChunkedRequestBodyIsJoined) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(
      client.Send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "4\r\nsilt\r\n6\r\n-logs!\r\n0\r\n\r\n"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "silt-logs!");
}

TEST_F(ServerTest, BadChunkedEncodingGets400AndClose) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\nabc\r\n"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 400);
  EXPECT_THAT(response->body, HasSubstr("chunk size"));
  EXPECT_EQ(response->headers.Get("Connection"), "close");
  bool closed = false;
  client.ReadUntilClosed(&closed);
  EXPECT_TRUE(closed);
}

TEST_F(ServerTest, MalformedRequestGets400WithReason) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send("GET / HTTP/1.1\r\nBad Header Line\r\n\r\n"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 400);
  EXPECT_THAT(response->body, HasSubstr("malformed request"));
  bool closed = false;
  client.ReadUntilClosed(&closed);
  EXPECT_TRUE(closed);
}

TEST_F(ServerTest, OversizedHeadersGet431) {
  ServerOptions options;
  options.max_header_bytes = 4096;
  StartServer(options);
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send("GET /hello HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(8000, 'x') +
                          "\r\n\r\n"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 431);
  EXPECT_THAT(response->body, HasSubstr("4096"));
  bool closed = false;
  client.ReadUntilClosed(&closed);
  EXPECT_TRUE(closed);
}

TEST_F(ServerTest, OversizedBodyGets413) {
  ServerOptions options;
  options.max_body_bytes = 1000;
  StartServer(options);
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->headers.Get("Connection"), "close");
}

TEST_F(ServerTest, UnsupportedContentEncodingGets415) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Encoding: br\r\nContent-Length: 3\r\n\r\nabc"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 415);
}

TEST_F(ServerTest, ExpectContinueGetsInterimResponseBeforeTheBody) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"));
  auto interim = client.ReadResponse();
  ASSERT_TRUE(interim.has_value());
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client.Send("body"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "body");
}

TEST_F(ServerTest, ExpectContinueOverTheLimitGets413Instead) {
  ServerOptions options;
  options.max_body_bytes = 10;
  StartServer(options);
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 413);
}

TEST_F(ServerTest, NotFoundAndMethodNotAllowed) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send("GET /missing HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto missing = client.ReadResponse();
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->status, 404);
  EXPECT_THAT(missing->body, HasSubstr("/missing"));
  ASSERT_TRUE(client.Send("DELETE /echo HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto wrong = client.ReadResponse();
  ASSERT_TRUE(wrong.has_value());
  EXPECT_EQ(wrong->status, 405);
  EXPECT_EQ(wrong->headers.Get("Allow"), "POST");
  ASSERT_TRUE(client.Send(kGetHello));  // the connection is still usable
  auto ok = client.ReadResponse();
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->status, 200);
}

TEST_F(ServerTest, HeadSendsHeadersWithoutBody) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(
      client.Send(std::string("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n") + std::string(kGetHello)));
  auto head = client.ReadResponse(/*head=*/true);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->headers.Get("Content-Length"), "5");
  auto get = client.ReadResponse();  // parses only if HEAD sent no body bytes
  ASSERT_TRUE(get.has_value());
  EXPECT_EQ(get->body, "hello");
}

TEST_F(ServerTest, NoContentHasNoBodyOrLength) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send("GET /nocontent HTTP/1.1\r\nHost: t\r\n\r\n" + std::string(kGetHello)));
  auto none = client.ReadResponse();
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->status, 204);
  EXPECT_FALSE(none->headers.Has("Content-Length"));
  auto next = client.ReadResponse();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->body, "hello");
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send("GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->headers.Get("Connection"), "close");
  bool closed = false;
  client.ReadUntilClosed(&closed);
  EXPECT_TRUE(closed);
}

TEST_F(ServerTest, Http10ClosesUnlessKeepAliveAsked) {
  StartServer();
  RawClient plain(server_->port());
  ASSERT_TRUE(plain.Send("GET /hello HTTP/1.0\r\n\r\n"));
  auto response = plain.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->headers.Get("Connection"), "close");
  bool closed = false;
  plain.ReadUntilClosed(&closed);
  EXPECT_TRUE(closed);

  RawClient kept(server_->port());
  ASSERT_TRUE(kept.Send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  auto first = kept.ReadResponse();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->headers.Get("Connection"), "keep-alive");
  ASSERT_TRUE(kept.Send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  EXPECT_TRUE(kept.ReadResponse().has_value());
}

TEST_F(ServerTest, StreamedResponseUsesChunkedFraming) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send("GET /stream HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_TRUE(response->chunked);
  EXPECT_FALSE(response->headers.Has("Content-Length"));
  EXPECT_EQ(response->body, "first;chunk0;chunk1;chunk2;");
  ASSERT_TRUE(client.Send(kGetHello));  // the stream ended cleanly: keep-alive goes on
  auto next = client.ReadResponse();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->body, "hello");
}

TEST_F(ServerTest, StreamedResponseToHttp10IsCloseDelimited) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_FALSE(response->chunked);
  EXPECT_EQ(response->headers.Get("Connection"), "close");
  EXPECT_EQ(response->body, "first;chunk0;chunk1;chunk2;");
}

TEST_F(ServerTest, SlowlorisGets408AtTheHeaderDeadline) {
  ServerOptions options;
  options.header_timeout = 300 * time::kMillisecond;
  StartServer(options);
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send("GET /hello HTTP/1.1\r\nHost: t\r\n"));
  // Keep trickling header bytes: an idle timer would be reset by each, the deadline is not.
  std::atomic<bool> answered{false};
  std::thread trickle([&client, &answered] {
    for (int i = 0; i < 500 && !answered && client.Send("X"); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // pacing, not synchronisation
    }
  });
  std::optional<RawResponse> response = client.ReadResponse();
  answered = true;
  trickle.join();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 408);
  EXPECT_THAT(response->body, HasSubstr("headers not complete"));
}

TEST_F(ServerTest, StalledBodyGets408) {
  ServerOptions options;
  options.read_timeout = 200 * time::kMillisecond;
  StartServer(options);
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 408);
  EXPECT_THAT(response->body, HasSubstr("body stalled"));
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosed) {
  ServerOptions options;
  options.keep_alive_timeout = 200 * time::kMillisecond;
  StartServer(options);
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send(kGetHello));
  ASSERT_TRUE(client.ReadResponse().has_value());
  bool closed = false;
  EXPECT_EQ(client.ReadUntilClosed(&closed), "");
  EXPECT_TRUE(closed);
  EXPECT_TRUE(WaitFor([&] { return server_->ConnectionCount() == 0; }));
}

TEST_F(ServerTest, SilentNewConnectionIsClosedAfterTheHeaderTimeout) {
  ServerOptions options;
  options.header_timeout = 200 * time::kMillisecond;
  StartServer(options);
  RawClient client(server_->port());
  bool closed = false;
  EXPECT_EQ(client.ReadUntilClosed(&closed), "");
  EXPECT_TRUE(closed);
}

TEST_F(ServerTest, ConnectionsOverTheLimitGet503) {
  ServerOptions options;
  options.max_connections = 2;
  StartServer(options);
  RawClient a(server_->port());
  RawClient b(server_->port());
  ASSERT_TRUE(WaitFor([&] { return server_->ConnectionCount() == 2; }));
  RawClient c(server_->port());
  auto refused = c.ReadResponse();
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 503);
  EXPECT_EQ(refused->headers.Get("Retry-After"), "1");
  EXPECT_THAT(refused->body, HasSubstr("limit of 2 connections"));
  ASSERT_TRUE(a.Send(kGetHello));  // the admitted ones still work
  EXPECT_TRUE(a.ReadResponse().has_value());
}

TEST_F(ServerTest, HalfClosedClientStillGetsItsAnswers) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(
      client.Send("GET /seq/aa HTTP/1.1\r\nHost: t\r\n\r\nGET /seq/b HTTP/1.1\r\nHost: t\r\n\r\n"));
  client.ShutdownWrite();
  auto first = client.ReadResponse();
  auto second = client.ReadResponse();
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(first->body, "aa");
  EXPECT_EQ(second->body, "b");
  bool closed = false;
  client.ReadUntilClosed(&closed);
  EXPECT_TRUE(closed);
}

TEST_F(ServerTest, UpgradeRequestIsAnsweredAsPlainHttp) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send(
      "GET /hello HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n" +
      std::string(kGetHello)));
  auto first = client.ReadResponse();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->status, 200);
  auto second = client.ReadResponse();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->body, "hello");
}

TEST(ServerStartTest, ListensOnIpv6Loopback) {
  ServerOptions options;
  options.host = "::1";
  Router router;
  ASSERT_TRUE(router.Add("GET", "/", [](Request, Responder r) { r.Respond(Response()); }).ok());
  testing::TestServer server(std::move(router), options);
  if (!server.status().ok()) GTEST_SKIP() << "no IPv6 loopback here: " << server.status();
  EXPECT_GT(server.port(), 0);
  EXPECT_TRUE(server.Shutdown());
}

TEST(ServerStartTest, PortInUseIsAnIoErrorNamingTheAddress) {
  testing::TestServer first{Router()};
  ASSERT_TRUE(first.status().ok());
  ServerOptions options;
  options.port = first.port();
  metrics::Registry other_registry;
  options.metrics = &other_registry;
  testing::TestServer second(Router(), options);
  EXPECT_EQ(second.status().code(), StatusCode::kIOError);
  EXPECT_THAT(second.status().message(), HasSubstr("127.0.0.1:" + std::to_string(first.port())));
  EXPECT_TRUE(first.Shutdown());
}

TEST(ServerStartTest, MetricsClashIsRefused) {
  metrics::Registry registry;
  ASSERT_TRUE(registry.RegisterGauge("silt_http_requests_total", "taken").ok());
  ServerOptions options;
  options.metrics = &registry;
  testing::TestServer server(Router(), options);
  EXPECT_EQ(server.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(server.status().message(), HasSubstr("registering http server metrics"));
}

TEST(ServerStartTest, InvalidOptionsAreRefused) {
  ServerOptions options;
  options.max_connections = 0;
  testing::TestServer server(Router(), options);
  EXPECT_EQ(server.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(server.status().message(), HasSubstr("max_connections"));
}

}  // namespace
}  // namespace silt::http
