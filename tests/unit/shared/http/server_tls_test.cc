// HttpServer with TLS on its listener (ServerOptions::tls): the HTTP behaviour over TLS
// (keep-alive, pipelining, streaming, half-close, WebSocket), and what happens to clients that do
// not complete a handshake (plaintext, silent, no client certificate), with certificates made by
// `openssl`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "shared/http/server.h"
#include "shared/http/websocket.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_certs.h"
#include "tests/support/tls_socket.h"
#include "tests/support/websocket_client.h"
#include "tests/unit/shared/http/test_server.h"

namespace silt::http {
namespace {

using ::silt::http::testing::RawClient;
using ::silt::http::testing::TestServer;
using ::silt::http::testing::WaitFor;
using ::silt::testing::TestCerts;
using ::silt::testing::TlsSocketOptions;
using ::testing::HasSubstr;
using ::testing::Not;

class ServerTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certs_ = new TestCerts();
    Status generated = certs_->Generate();
    ASSERT_TRUE(generated.ok()) << generated;
  }
  static void TearDownTestSuite() {
    delete certs_;
    certs_ = nullptr;
  }

  void TearDown() override {
    if (server_ != nullptr) {
      EXPECT_TRUE(server_->Shutdown()) << "a handle was left open";
    }
    workers_.JoinAll();
  }

  static net::TlsServerOptions ServerTls(net::ClientAuth auth = net::ClientAuth::kNone) {
    net::TlsServerOptions tls;
    tls.cert_file = certs_->server_cert();
    tls.key_file = certs_->server_key();
    tls.client_auth = auth;
    if (auth != net::ClientAuth::kNone) tls.client_ca_file = certs_->ca();
    tls.min_version = net::TlsVersion::kTls12;
    return tls;
  }
  static TlsSocketOptions ClientTls() { return TlsSocketOptions{.ca_file = certs_->ca()}; }

  void StartServer(ServerOptions options = {}) {
    if (!options.tls.has_value()) options.tls = ServerTls();
    server_ = std::make_unique<TestServer>(Routes(), std::move(options));
    ASSERT_TRUE(server_->status().ok()) << server_->status();
  }

  Router Routes() {
    Router router;
    EXPECT_TRUE(router
                    .Add("GET", "/hello",
                         [](Request, Responder r) { r.Respond(Response::Text(200, "hello")); })
                    .ok());
    // Odd numbers are answered at once, even ones later from another thread.
    EXPECT_TRUE(router
                    .Add("GET", "/seq/{n}",
                         [this](Request request, Responder r) {
                           std::string n(request.PathParam("n"));
                           if (n.size() % 2 == 1) return r.Respond(Response::Text(200, n));
                           workers_.Run([r = std::move(r), n]() mutable {
                             r.Respond(Response::Text(200, n));
                           });
                         })
                    .ok());
    EXPECT_TRUE(router
                    .Add("GET", "/stream",
                         [this](Request, Responder r) {
                           workers_.Run([r = std::move(r)]() mutable {
                             if (!r.StartStream(Response::Text(200, "a;")).ok()) return;
                             r.Write("b;").IgnoreError();
                             r.Write("c").IgnoreError();
                             r.Finish();
                           });
                         })
                    .ok());
    EXPECT_TRUE(router
                    .Add("GET", "/echo",
                         [this](Request request, Responder r) {
                           AcceptEcho(std::move(request), std::move(r));
                         })
                    .ok());
    return router;
  }

  // A WebSocket that answers every message with "echo: " in front.
  void AcceptEcho(Request request, Responder responder) {
    auto slot = std::make_shared<std::weak_ptr<WebSocket>>();
    WebSocketOptions options;
    options.on_message = [slot](const WebSocketMessage& message) {
      if (auto socket = slot->lock()) socket->SendText("echo: " + message.payload).IgnoreError();
    };
    auto socket = responder.AcceptWebSocket(request, std::move(options));
    if (!socket.ok()) return;
    *slot = *socket;
    std::lock_guard<std::mutex> lock(mu_);
    sockets_.push_back(*socket);
  }

  std::unique_ptr<RawClient> TlsClient(TlsSocketOptions tls = ClientTls()) {
    auto client = std::make_unique<RawClient>(server_->port());
    EXPECT_TRUE(client->connected());
    Status started = client->StartTls(tls);
    EXPECT_TRUE(started.ok()) << started;
    return client;
  }

  bool MetricReaches(std::string_view line) {
    return WaitFor([&] { return server_->registry().Expose().find(line) != std::string::npos; });
  }

  static TestCerts* certs_;
  testing::Workers workers_;
  std::mutex mu_;
  std::vector<std::shared_ptr<WebSocket>> sockets_;
  std::unique_ptr<TestServer> server_;
};

TestCerts* ServerTlsTest::certs_ = nullptr;

TEST_F(ServerTlsTest, KeepAliveServesRequestsOnOneTlsConnection) {
  StartServer();
  auto client = TlsClient();
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client->Send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto response = client->ReadResponse();
    ASSERT_TRUE(response.has_value()) << "request " << i;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "hello");
  }
  EXPECT_EQ(server_->ConnectionCount(), 1u);
}

TEST_F(ServerTlsTest, PipelinedRequestsAreAnsweredInOrder) {
  StartServer();
  auto client = TlsClient();
  std::string requests;
  for (int n = 1; n <= 6; ++n) {
    requests +=
        "GET /seq/" + std::string(static_cast<size_t>(n), 'x') + " HTTP/1.1\r\nHost: t\r\n\r\n";
  }
  ASSERT_TRUE(client->Send(requests));  // one write: all six arrive in few TLS records
  for (int n = 1; n <= 6; ++n) {
    auto response = client->ReadResponse();
    ASSERT_TRUE(response.has_value()) << "response " << n;
    EXPECT_EQ(response->body, std::string(static_cast<size_t>(n), 'x'));
  }
}

TEST_F(ServerTlsTest, StreamedAnswerIsChunkedOverTls) {
  StartServer();
  auto client = TlsClient();
  ASSERT_TRUE(client->Send("GET /stream HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto response = client->ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_TRUE(response->chunked);
  EXPECT_EQ(response->body, "a;b;c");
}

TEST_F(ServerTlsTest, RequestsSentBeforeCloseNotifyAreStillAnswered) {
  StartServer();
  auto client = TlsClient();
  ASSERT_TRUE(
      client->Send("GET /seq/xx HTTP/1.1\r\nHost: t\r\n\r\nGET /hello HTTP/1.1\r\n"
                   "Host: t\r\n\r\n"));
  client->ShutdownTls();  // close_notify: the client sends nothing more, but still reads
  auto first = client->ReadResponse();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->body, "xx");
  auto second = client->ReadResponse();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->body, "hello");
  bool closed = false;
  client->ReadUntilClosed(&closed);
  EXPECT_TRUE(closed);
}

TEST_F(ServerTlsTest, WebSocketWorksOverTls) {
  StartServer();
  silt::testing::WebSocketClient client(server_->port());
  ASSERT_TRUE(client.connected());
  Status tls = client.StartTls(ClientTls());
  ASSERT_TRUE(tls.ok()) << tls;
  ASSERT_EQ(client.Handshake("/echo"), 101);
  ASSERT_TRUE(client.SendText("over tls"));
  EXPECT_EQ(client.ReadText(), "echo: over tls");
  ASSERT_TRUE(client.SendText("again"));
  EXPECT_EQ(client.ReadText(), "echo: again");
}

TEST_F(ServerTlsTest, PlaintextClientIsClosedAndCounted) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  bool closed = false;
  const std::string answer = client.ReadUntilClosed(&closed);
  EXPECT_TRUE(closed);
  EXPECT_THAT(answer, Not(HasSubstr("hello")));
  EXPECT_TRUE(MetricReaches("silt_http_tls_handshake_failures_total 1"));
  EXPECT_THAT(server_->log_sink().Text(), HasSubstr("plaintext_client"));
  EXPECT_EQ(server_->ConnectionCount(), 0u);
}

TEST_F(ServerTlsTest, SilentClientIsClosedAtTheHandshakeTimeout) {
  ServerOptions options;
  options.header_timeout = 200 * time::kMillisecond;  // bounds the TLS handshake too
  StartServer(std::move(options));
  RawClient client(server_->port());
  ASSERT_TRUE(client.connected());
  bool closed = false;
  client.ReadUntilClosed(&closed);  // sends nothing at all
  EXPECT_TRUE(closed);
  EXPECT_TRUE(MetricReaches("silt_http_tls_handshake_failures_total 1"));
  EXPECT_THAT(server_->log_sink().Text(), HasSubstr("handshake timeout"));
}

TEST_F(ServerTlsTest, RequiredClientCertificateIsEnforced) {
  ServerOptions options;
  options.tls = ServerTls(net::ClientAuth::kRequired);
  StartServer(std::move(options));
  {
    // TLS 1.3 finishes the client's side before the server checks; the request then goes
    // unanswered and the connection is closed.
    RawClient anonymous(server_->port());
    ASSERT_TRUE(anonymous.connected());
    if (anonymous.StartTls(ClientTls()).ok()) {
      anonymous.Send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n");
      EXPECT_FALSE(anonymous.ReadResponse().has_value());
    }
  }
  EXPECT_TRUE(MetricReaches("silt_http_tls_handshake_failures_total 1"));
  TlsSocketOptions with_cert = ClientTls();
  with_cert.cert_file = certs_->client_cert();
  with_cert.key_file = certs_->client_key();
  auto client = TlsClient(with_cert);
  ASSERT_TRUE(client->Send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto response = client->ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
}

TEST_F(ServerTlsTest, ReloadTlsServesTheNewCertificateToNewConnections) {
  silt::testing::TempDir dir;
  const std::string cert = dir.Path("http.pem");
  const std::string key = dir.Path("http.key");
  std::filesystem::copy_file(certs_->server_cert(), cert);
  std::filesystem::copy_file(certs_->server_key(), key);
  ServerOptions options;
  options.tls = net::TlsServerOptions{.cert_file = cert, .key_file = key};
  StartServer(std::move(options));
  auto before = TlsClient();  // trusts the first CA

  const auto overwrite = std::filesystem::copy_options::overwrite_existing;
  std::filesystem::copy_file(certs_->other_server_cert(), cert, overwrite);
  std::filesystem::copy_file(certs_->other_server_key(), key, overwrite);
  Status reloaded = server_->ReloadTls();
  ASSERT_TRUE(reloaded.ok()) << reloaded;
  RawClient old_trust(server_->port());
  EXPECT_FALSE(old_trust.StartTls(ClientTls()).ok());
  auto after = TlsClient(TlsSocketOptions{.ca_file = certs_->other_ca()});
  ASSERT_TRUE(after->Send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_TRUE(after->ReadResponse().has_value());
  // The connection made before the reload keeps its session.
  ASSERT_TRUE(before->Send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_TRUE(before->ReadResponse().has_value());

  std::filesystem::remove(key);
  Status broken = server_->ReloadTls();
  EXPECT_FALSE(broken.ok());
  EXPECT_THAT(broken.ToString(), HasSubstr(key));
}

TEST(ServerTlsStartTest, UnreadableCertificateFailsStartNamingTheFile) {
  uv_loop_t loop;
  ASSERT_EQ(uv_loop_init(&loop), 0);
  ServerOptions options;
  options.tls = net::TlsServerOptions{.cert_file = "/nonexistent/http.pem",
                                      .key_file = "/nonexistent/http.key"};
  auto server = HttpServer::Start(&loop, std::move(options), Router());
  EXPECT_FALSE(server.ok());
  EXPECT_THAT(server.status().ToString(), HasSubstr("/nonexistent/http.pem"));
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_EQ(uv_loop_close(&loop), 0);
}

}  // namespace
}  // namespace silt::http
