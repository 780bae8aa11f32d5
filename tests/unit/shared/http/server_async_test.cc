// HttpServer with handlers that answer later, from other threads, or never; client disconnects;
// graceful shutdown; many connections; metrics.
#include "shared/http/server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/unit/shared/http/test_server.h"

namespace silt::http {
namespace {

using ::silt::http::testing::RawClient;
using ::silt::http::testing::TestServer;
using ::silt::http::testing::WaitFor;
using ::silt::http::testing::Workers;
using ::testing::HasSubstr;

constexpr std::string_view kGetHold = "GET /hold HTTP/1.1\r\nHost: t\r\n\r\n";

// Keeps the responders of /hold requests so a test can answer them when it chooses.
class Parking {
 public:
  void Park(Responder responder) {
    std::lock_guard<std::mutex> lock(mu_);
    parked_.push_back(std::move(responder));
    cv_.notify_all();
  }
  // Waits (up to 10 s) for the n-th parked responder and takes it.
  std::optional<Responder> Take(size_t n = 0) {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_for(lock, std::chrono::seconds(10), [&] { return parked_.size() > n; })) {
      return std::nullopt;
    }
    return std::move(parked_[n]);
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Responder> parked_;
};

class ServerAsyncTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions options = {}) {
    Router router;
    EXPECT_TRUE(
        router.Add("GET", "/hold", [this](Request, Responder r) { parking_.Park(std::move(r)); })
            .ok());
    EXPECT_TRUE(router
                    .Add("GET", "/later",
                         [this](Request req, Responder r) {
                           workers_.Run([r = std::move(r), path = req.path]() mutable {
                             r.Respond(Response::Text(200, "answered from a worker: " + path));
                           });
                         })
                    .ok());
    EXPECT_TRUE(router.Add("GET", "/drop", [](Request, Responder) {}).ok());
    EXPECT_TRUE(router
                    .Add("GET", "/drop-later",
                         [this](Request, Responder r) {
                           workers_.Run(
                               [r = std::move(r)]() mutable { Responder dropped = std::move(r); });
                         })
                    .ok());
    EXPECT_TRUE(router
                    .Add("GET", "/drop-mid-stream",
                         [](Request, Responder r) {
                           EXPECT_TRUE(r.StartStream(Response::Text(200, "partial")).ok());
                         })
                    .ok());
    EXPECT_TRUE(router
                    .Add("GET", "/flood",
                         [this](Request, Responder r) {
                           EXPECT_TRUE(r.StartStream(Response::Text(200, "")).ok());
                           flood_first_ = r.Write(std::string(4096, 'a'));
                           flood_second_ = r.Write(std::string(4096, 'b'));
                           r.Finish();
                         })
                    .ok());
    EXPECT_TRUE(router
                    .Add("GET", "/hello",
                         [](Request, Responder r) { r.Respond(Response::Text(200, "hello")); })
                    .ok());
    server_ = std::make_unique<TestServer>(std::move(router), std::move(options));
    ASSERT_TRUE(server_->status().ok()) << server_->status();
  }
  void TearDown() override {
    workers_.JoinAll();
    if (server_ != nullptr) {
      EXPECT_TRUE(server_->Shutdown()) << "a handle was left open";
    }
  }

  Parking parking_;
  Workers workers_;
  Status flood_first_;
  Status flood_second_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(ServerAsyncTest, ResponderCompletedFromAnotherThread) {
  StartServer();
  RawClient client(server_->port());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(client.Send("GET /later HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "answered from a worker: /later");
  }
}

TEST_F(ServerAsyncTest, HeldResponderIsAnsweredWhenTheTestChooses) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send(kGetHold));
  std::optional<Responder> responder = parking_.Take();
  ASSERT_TRUE(responder.has_value());
  EXPECT_FALSE(responder->Cancelled());
  responder->Respond(Response::Json(202, "{\"held\":true}"));
  EXPECT_FALSE(responder->pending());
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 202);
  EXPECT_EQ(response->body, "{\"held\":true}");
}

TEST_F(ServerAsyncTest, DroppedResponderYields500AndAnError) {
  StartServer();
  RawClient client(server_->port());
  for (const char* path : {"/drop", "/drop-later"}) {
    ASSERT_TRUE(client.Send("GET " + std::string(path) + " HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value()) << path;
    EXPECT_EQ(response->status, 500) << path;
    EXPECT_THAT(response->body, HasSubstr("did not answer"));
  }
  const std::string log = server_->log_sink().Text();
  EXPECT_THAT(log, HasSubstr("level=error"));
  EXPECT_THAT(log, HasSubstr("route=/drop-later"));
  EXPECT_THAT(log, HasSubstr("dropped its Responder"));
}

TEST_F(ServerAsyncTest, DroppedResponderMidStreamCutsTheConnection) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send("GET /drop-mid-stream HTTP/1.1\r\nHost: t\r\n\r\n"));
  bool closed = false;
  const std::string received = client.ReadUntilClosed(&closed);
  EXPECT_TRUE(closed);
  EXPECT_THAT(received, HasSubstr("Transfer-Encoding: chunked"));
  EXPECT_THAT(received, HasSubstr("partial"));
  EXPECT_THAT(received, ::testing::Not(HasSubstr("\r\n0\r\n\r\n")));  // never properly ended
}

TEST_F(ServerAsyncTest, ClientResetWhileHandlerPendingMakesResponderANoOp) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send(kGetHold));
  std::optional<Responder> responder = parking_.Take();
  ASSERT_TRUE(responder.has_value());
  client.Reset();
  EXPECT_TRUE(WaitFor([&] { return responder->Cancelled(); }));
  EXPECT_TRUE(WaitFor([&] { return server_->ConnectionCount() == 0; }));
  EXPECT_FALSE(responder->StartStream(Response()).ok());
  EXPECT_EQ(responder->Write("late").code(), StatusCode::kUnavailable);
  responder->Finish();
  EXPECT_EQ(server_->ConnectionCount(), 0u);
}

TEST_F(ServerAsyncTest, ClientCloseWhileHandlerPendingIsCleanedUpAfterTheAnswer) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send(kGetHold));
  std::optional<Responder> responder = parking_.Take();
  ASSERT_TRUE(responder.has_value());
  client.Close();
  EXPECT_TRUE(WaitFor([&] { return responder->Cancelled(); }));
  responder->Respond(Response::Text(200, std::string(1 << 20, 'x')));  // to a closed socket
  EXPECT_TRUE(WaitFor([&] { return server_->ConnectionCount() == 0; }));
}

TEST_F(ServerAsyncTest, ResponderOutlivingTheServerIsANoOp) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send(kGetHold));
  std::optional<Responder> responder = parking_.Take();
  ASSERT_TRUE(responder.has_value());
  server_->RunOnLoop([] {});
  client.Reset();
  EXPECT_TRUE(server_->Shutdown());
  server_.reset();
  responder->Respond(Response::Text(200, "too late"));
  EXPECT_TRUE(responder->Cancelled());
}

TEST_F(ServerAsyncTest, StreamRefusesChunksBeyondItsBuffer) {
  ServerOptions options;
  options.max_stream_buffer_bytes = 6000;
  StartServer(options);
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send("GET /flood HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_TRUE(flood_first_.ok()) << flood_first_;
  EXPECT_EQ(flood_second_.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(response->body, std::string(4096, 'a'));
}

TEST_F(ServerAsyncTest, GracefulShutdownLetsTheInFlightRequestFinish) {
  StartServer();
  RawClient busy(server_->port());
  RawClient idle(server_->port());
  ASSERT_TRUE(idle.Send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  ASSERT_TRUE(idle.ReadResponse().has_value());
  ASSERT_TRUE(busy.Send(kGetHold));
  std::optional<Responder> responder = parking_.Take();
  ASSERT_TRUE(responder.has_value());

  std::atomic<bool> done{false};
  server_->BeginShutdown([&done] { done = true; });
  bool idle_closed = false;
  idle.ReadUntilClosed(&idle_closed);
  EXPECT_TRUE(idle_closed) << "idle keep-alive connections close at once";
  RawClient late(server_->port());
  EXPECT_FALSE(late.connected() && late.Send(kGetHold) && late.ReadResponse().has_value())
      << "no new requests are taken";
  EXPECT_FALSE(done);

  responder->Respond(Response::Text(200, "finished"));
  auto response = busy.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "finished");
  EXPECT_EQ(response->headers.Get("Connection"), "close");
  bool busy_closed = false;
  busy.ReadUntilClosed(&busy_closed);
  EXPECT_TRUE(busy_closed);
  busy.Close();  // as clients do after "Connection: close"; the server's linger then ends
  EXPECT_TRUE(WaitFor([&] { return done.load(); }));
  EXPECT_TRUE(server_->Shutdown());
}

TEST_F(ServerAsyncTest, ThousandSequentialConnections) {
  StartServer();
  for (int i = 0; i < 1000; ++i) {
    RawClient client(server_->port());
    ASSERT_TRUE(client.connected()) << i;
    ASSERT_TRUE(client.Send("GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
    auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value()) << i;
    ASSERT_EQ(response->body, "hello");
  }
  EXPECT_TRUE(WaitFor([&] { return server_->ConnectionCount() == 0; }));
}

TEST_F(ServerAsyncTest, SixtyFourConcurrentConnections) {
  StartServer();
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 64; ++i) {
    clients.push_back(std::make_unique<RawClient>(server_->port()));
    ASSERT_TRUE(clients.back()->connected());
    ASSERT_TRUE(clients.back()->Send(kGetHold));
  }
  std::vector<Responder> responders;
  for (size_t i = 0; i < 64; ++i) {
    std::optional<Responder> r = parking_.Take(i);
    ASSERT_TRUE(r.has_value()) << i;
    responders.push_back(std::move(*r));
  }
  EXPECT_EQ(server_->ConnectionCount(), 64u);
  // Answer from several threads at once, in reverse order.
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&responders, t] {
      for (int i = 63 - t; i >= 0; i -= 4) {
        responders[i].Respond(Response::Text(200, "client " + std::to_string(i)));
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < 64; ++i) {
    auto response = clients[i]->ReadResponse();
    ASSERT_TRUE(response.has_value()) << i;
    EXPECT_EQ(response->body, "client " + std::to_string(i));
  }
}

TEST_F(ServerAsyncTest, MetricsCountRequestsByRouteAndStatus) {
  StartServer();
  RawClient client(server_->port());
  for (const char* request :
       {"GET /hello HTTP/1.1\r\nHost: t\r\n\r\n", "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n",
        "GET /nope HTTP/1.1\r\nHost: t\r\n\r\n", "GET /drop HTTP/1.1\r\nHost: t\r\n\r\n"}) {
    ASSERT_TRUE(client.Send(request));
    ASSERT_TRUE(client.ReadResponse().has_value());
  }
  server_->RunOnLoop([] {});  // the loop counts an answer right after handing it to the socket
  const std::string text = server_->registry().Expose();
  EXPECT_THAT(
      text,
      HasSubstr("silt_http_requests_total{method=\"GET\",route=\"/hello\",status=\"200\"} 2"));
  EXPECT_THAT(
      text,
      HasSubstr("silt_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1"));
  EXPECT_THAT(
      text, HasSubstr("silt_http_requests_total{method=\"GET\",route=\"/drop\",status=\"500\"} 1"));
  EXPECT_THAT(text, HasSubstr("silt_http_request_duration_seconds_count{route=\"/hello\"} 2"));
  EXPECT_THAT(text, HasSubstr("silt_http_requests_in_flight 0"));
  EXPECT_THAT(text, HasSubstr("silt_http_connections_open 1"));
}

}  // namespace
}  // namespace silt::http
