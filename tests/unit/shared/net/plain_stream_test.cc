// PlainStream, StreamListener and Connect without TLS, over real sockets on 127.0.0.1.
#include "shared/net/plain_stream.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/unit/shared/net/net_harness.h"

namespace silt::net {
namespace {

using ::silt::net::testing::ConnectNow;
using ::silt::net::testing::Echo;
using ::silt::net::testing::Payload;
using ::silt::net::testing::Recorder;
using ::silt::net::testing::RunUntil;
using ::silt::net::testing::TestListener;
using ::testing::HasSubstr;

constexpr size_t kBig = 32 * 1024 * 1024;

class PlainStreamTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(uv_loop_init(&loop_), 0); }
  void TearDown() override { EXPECT_EQ(testing::DrainAndCloseLoop(&loop_), 0); }

  ConnectOptions To(int port) {
    ConnectOptions options;
    options.host = "127.0.0.1";
    options.port = port;
    return options;
  }

  uv_loop_t loop_;
  log::MemorySink sink_;
  log::Logger logger_{log::LoggerOptions{.sink = &sink_}};
};

TEST_F(PlainStreamTest, EchoRoundTrip) {
  TestListener server(&loop_, &logger_, ListenOptions{});
  ASSERT_TRUE(server.start_status().ok()) << server.start_status();
  server.on_accept = [](testing::AcceptedStream& a) { Echo(a.stream.get(), a.recorder.get()); };
  auto client = ConnectNow(&loop_, To(server.port()));
  ASSERT_TRUE(client.ok()) << client.status();
  Recorder recorder;
  (*client)->SetHandler(&recorder);
  EXPECT_FALSE((*client)->peer().tls);
  EXPECT_THAT((*client)->peer().address, HasSubstr("127.0.0.1:"));
  (*client)->Write("hello, ");
  (*client)->Write("silt");
  ASSERT_TRUE(RunUntil(&loop_, [&] { return recorder.data == "hello, silt"; }));
  EXPECT_EQ(server.listener().stats().accepted, 1u);
  ASSERT_EQ(server.accepted().size(), 1u);
  EXPECT_EQ(server.accepted()[0]->stream->peer().address.rfind("127.0.0.1:", 0), 0u);
}

TEST_F(PlainStreamTest, LargeWriteCountsQueuedBytesAndDrains) {
  TestListener server(&loop_, &logger_, ListenOptions{});
  ASSERT_TRUE(server.start_status().ok());
  server.on_accept = [](testing::AcceptedStream& a) { a.stream->PauseReading(); };
  auto client = ConnectNow(&loop_, To(server.port()));
  ASSERT_TRUE(client.ok()) << client.status();
  Recorder recorder;
  (*client)->SetHandler(&recorder);
  const std::string payload = Payload(kBig);
  (*client)->Write(payload);
  // Bytes count until libuv reports them written; 32 MiB cannot fit in socket buffers.
  EXPECT_EQ((*client)->queued_bytes(), kBig);
  ASSERT_TRUE(RunUntil(&loop_, [&] { return server.accepted().size() == 1; }));
  EXPECT_EQ(recorder.drained, 0);
  EXPECT_GT((*client)->queued_bytes(), 0u);
  auto& accepted = *server.accepted()[0];
  accepted.stream->ResumeReading();
  ASSERT_TRUE(RunUntil(&loop_, [&] { return accepted.recorder->data.size() == kBig; }));
  ASSERT_TRUE(RunUntil(&loop_, [&] { return recorder.drained == 1; }));
  EXPECT_EQ((*client)->queued_bytes(), 0u);
  EXPECT_TRUE(accepted.recorder->data == payload);
}

TEST_F(PlainStreamTest, PauseStopsDeliveryUntilResume) {
  TestListener server(&loop_, &logger_, ListenOptions{});
  ASSERT_TRUE(server.start_status().ok());
  auto client = ConnectNow(&loop_, To(server.port()));
  ASSERT_TRUE(client.ok()) << client.status();
  Recorder client_recorder;
  (*client)->SetHandler(&client_recorder);
  ASSERT_TRUE(RunUntil(&loop_, [&] { return server.accepted().size() == 1; }));
  auto& accepted = *server.accepted()[0];
  // The handler pauses inside OnData: nothing more arrives until it resumes.
  accepted.recorder->on_data = [&](std::string_view) { accepted.stream->PauseReading(); };
  (*client)->Write("first");
  ASSERT_TRUE(RunUntil(&loop_, [&] { return accepted.recorder->data_calls == 1; }));
  EXPECT_EQ(accepted.recorder->data, "first");
  (*client)->Write("second");
  // Once the client's bytes are in the kernel, the paused server still has not seen them.
  ASSERT_TRUE(RunUntil(&loop_, [&] { return client_recorder.drained == 2; }));
  uv_run(&loop_, UV_RUN_NOWAIT);
  EXPECT_EQ(accepted.recorder->data, "first");
  accepted.recorder->on_data = nullptr;
  accepted.stream->ResumeReading();
  ASSERT_TRUE(RunUntil(&loop_, [&] { return accepted.recorder->data == "firstsecond"; }));
}

TEST_F(PlainStreamTest, ShutdownDeliversQueuedBytesThenClosesBothSides) {
  TestListener server(&loop_, &logger_, ListenOptions{});
  ASSERT_TRUE(server.start_status().ok());
  auto client = ConnectNow(&loop_, To(server.port()));
  ASSERT_TRUE(client.ok()) << client.status();
  Recorder recorder;
  (*client)->SetHandler(&recorder);
  const std::string payload = Payload(8 * 1024 * 1024, 7);
  (*client)->Write(payload);
  (*client)->Shutdown();
  (*client)->Write("dropped: written after Shutdown");
  ASSERT_TRUE(RunUntil(&loop_, [&] {
    return recorder.closed.has_value() && server.accepted().size() == 1 &&
           server.accepted()[0]->recorder->closed.has_value();
  }));
  EXPECT_TRUE(recorder.closed->ok()) << *recorder.closed;
  const Recorder& server_side = *server.accepted()[0]->recorder;
  EXPECT_TRUE(server_side.closed->ok()) << *server_side.closed;
  EXPECT_EQ(server_side.data.size(), payload.size());
  EXPECT_TRUE(server_side.data == payload);
  EXPECT_EQ(recorder.closed_calls, 1);
  EXPECT_EQ(server_side.closed_calls, 1);
  EXPECT_TRUE((*client)->closed());
}

TEST_F(PlainStreamTest, PeerShutdownFlushesOurQueuedBytesBeforeClosing) {
  TestListener server(&loop_, &logger_, ListenOptions{});
  ASSERT_TRUE(server.start_status().ok());
  server.on_accept = [](testing::AcceptedStream& a) {
    a.stream->Write("reply before the end");
    a.stream->Shutdown();
  };
  auto client = ConnectNow(&loop_, To(server.port()));
  ASSERT_TRUE(client.ok()) << client.status();
  Recorder recorder;
  (*client)->SetHandler(&recorder);
  ASSERT_TRUE(RunUntil(&loop_, [&] { return recorder.closed.has_value(); }));
  EXPECT_TRUE(recorder.closed->ok()) << *recorder.closed;
  EXPECT_EQ(recorder.data, "reply before the end");
  ASSERT_TRUE(RunUntil(&loop_, [&] { return server.accepted()[0]->recorder->closed.has_value(); }));
  EXPECT_TRUE(server.accepted()[0]->recorder->closed->ok());
}

// A handler whose OnPeerEnded keeps the half-closed stream open, as an HTTP server does.
class HalfCloseHandler : public Recorder {
 public:
  bool OnPeerEnded() override {
    ++peer_ended;
    return false;
  }
  int peer_ended = 0;
};

TEST_F(PlainStreamTest, HandlerCanKeepWritingAfterThePeersEnd) {
  TestListener server(&loop_, &logger_, ListenOptions{});
  ASSERT_TRUE(server.start_status().ok());
  server.set_handler = false;
  HalfCloseHandler handler;
  ByteStream* accepted = nullptr;
  server.on_accept = [&](testing::AcceptedStream& a) {
    accepted = a.stream.get();
    accepted->SetHandler(&handler);
  };
  auto client = ConnectNow(&loop_, To(server.port()));
  ASSERT_TRUE(client.ok()) << client.status();
  Recorder recorder;
  (*client)->SetHandler(&recorder);
  (*client)->Write("question");
  (*client)->Shutdown();  // FIN after the question
  ASSERT_TRUE(RunUntil(&loop_, [&] { return handler.peer_ended == 1; }));
  EXPECT_EQ(handler.data, "question");
  EXPECT_FALSE(handler.closed.has_value());  // the stream waits for our own end
  accepted->WriteParts("late ", "answer", "!");
  accepted->Shutdown();
  ASSERT_TRUE(RunUntil(&loop_, [&] { return handler.closed.has_value(); }));
  EXPECT_TRUE(handler.closed->ok()) << *handler.closed;
  ASSERT_TRUE(RunUntil(&loop_, [&] { return recorder.closed.has_value(); }));
  EXPECT_EQ(recorder.data, "late answer!");
}

TEST_F(PlainStreamTest, WritePartsArriveInOrderAndCountAsQueued) {
  TestListener server(&loop_, &logger_, ListenOptions{});
  ASSERT_TRUE(server.start_status().ok());
  auto client = ConnectNow(&loop_, To(server.port()));
  ASSERT_TRUE(client.ok()) << client.status();
  Recorder recorder;
  (*client)->SetHandler(&recorder);
  (*client)->WriteParts("head|", Payload(kBig), "|tail");
  EXPECT_GT((*client)->queued_bytes(), 0u);
  ASSERT_TRUE(RunUntil(&loop_, [&] {
    return !server.accepted().empty() && server.accepted()[0]->recorder->data.size() == kBig + 10;
  }));
  const std::string& got = server.accepted()[0]->recorder->data;
  EXPECT_EQ(got.substr(0, 5), "head|");
  EXPECT_EQ(got.substr(5, kBig), Payload(kBig));
  EXPECT_EQ(got.substr(5 + kBig), "|tail");
  ASSERT_TRUE(RunUntil(&loop_, [&] { return recorder.drained > 0; }));
  EXPECT_EQ((*client)->queued_bytes(), 0u);
}

TEST_F(PlainStreamTest, CloseReportsOkOnceAndPeerSeesEnd) {
  TestListener server(&loop_, &logger_, ListenOptions{});
  ASSERT_TRUE(server.start_status().ok());
  auto client = ConnectNow(&loop_, To(server.port()));
  ASSERT_TRUE(client.ok()) << client.status();
  Recorder recorder;
  (*client)->SetHandler(&recorder);
  ASSERT_TRUE(RunUntil(&loop_, [&] { return server.accepted().size() == 1; }));
  (*client)->Write(Payload(kBig));
  (*client)->Close();
  EXPECT_TRUE((*client)->closed());
  (*client)->Close();  // a second Close is a no-op
  ASSERT_TRUE(RunUntil(&loop_, [&] { return recorder.closed.has_value(); }));
  EXPECT_TRUE(recorder.closed->ok());
  EXPECT_EQ(recorder.closed_calls, 1);
  ASSERT_TRUE(RunUntil(&loop_, [&] { return server.accepted()[0]->recorder->closed.has_value(); }));
  EXPECT_LT(server.accepted()[0]->recorder->data.size(), kBig);
}

TEST_F(PlainStreamTest, StreamMayBeDestroyedInsideOnClosed) {
  TestListener server(&loop_, &logger_, ListenOptions{});
  ASSERT_TRUE(server.start_status().ok());
  auto client = ConnectNow(&loop_, To(server.port()));
  ASSERT_TRUE(client.ok()) << client.status();
  std::unique_ptr<ByteStream> stream = std::move(*client);
  struct Destroyer : StreamHandler {
    std::unique_ptr<ByteStream>* owner;
    bool closed = false;
    void OnData(std::string_view) override {}
    void OnClosed(const Status&) override {
      closed = true;
      owner->reset();
    }
  } destroyer;
  destroyer.owner = &stream;
  stream->SetHandler(&destroyer);
  ASSERT_TRUE(RunUntil(&loop_, [&] { return server.accepted().size() == 1; }));
  server.accepted()[0]->stream->Close();
  ASSERT_TRUE(RunUntil(&loop_, [&] { return destroyer.closed; }));
  EXPECT_EQ(stream, nullptr);
}

TEST_F(PlainStreamTest, ConnectRefusedNamesAddressAndCause) {
  int port = 0;
  {
    TestListener probe(&loop_, &logger_, ListenOptions{});
    ASSERT_TRUE(probe.start_status().ok());
    port = probe.port();
  }
  ASSERT_TRUE(RunUntil(&loop_, [] { return true; }));
  auto client = ConnectNow(&loop_, To(port));
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(std::string(client.status().message()),
              HasSubstr("127.0.0.1:" + std::to_string(port)));
  EXPECT_THAT(std::string(client.status().message()), HasSubstr("connection refused"));
}

TEST_F(PlainStreamTest, ConnectWithBadOptionsFailsOnTheLoop) {
  ConnectOptions options;
  options.host = "";
  options.port = 80;
  bool called = false;
  Status status;
  auto pending = Connect(&loop_, options, [&](Result<std::unique_ptr<ByteStream>> r) {
    called = true;
    status = r.status();
  });
  EXPECT_FALSE(called);  // never from inside Connect
  ASSERT_TRUE(RunUntil(&loop_, [&] { return called; }));
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
}

TEST_F(PlainStreamTest, CancelledConnectNeverCallsDone) {
  TestListener server(&loop_, &logger_, ListenOptions{});
  ASSERT_TRUE(server.start_status().ok());
  bool called = false;
  auto pending = Connect(&loop_, To(server.port()),
                         [&](Result<std::unique_ptr<ByteStream>>) { called = true; });
  pending->Cancel();
  pending.reset();
  // A full connection made afterwards lets the loop run past the abandoned attempt's events.
  auto other = ConnectNow(&loop_, To(server.port()));
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(RunUntil(&loop_, [&] { return !server.accepted().empty(); }));
  EXPECT_FALSE(called);
}

TEST_F(PlainStreamTest, MaxConnectionsClosesExtraConnections) {
  ListenOptions options;
  options.max_connections = 1;
  TestListener server(&loop_, &logger_, options);
  ASSERT_TRUE(server.start_status().ok());
  auto first = ConnectNow(&loop_, To(server.port()));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(RunUntil(&loop_, [&] { return server.accepted().size() == 1; }));
  auto second = ConnectNow(&loop_, To(server.port()));
  ASSERT_TRUE(second.ok());  // TCP connects; the server then closes it at once
  Recorder second_recorder;
  (*second)->SetHandler(&second_recorder);
  ASSERT_TRUE(RunUntil(&loop_, [&] { return second_recorder.closed.has_value(); }));
  EXPECT_EQ(server.listener().stats().rejected_over_limit, 1u);
  EXPECT_EQ(server.accepted().size(), 1u);
  EXPECT_THAT(sink_.Text(), HasSubstr("too many connections"));
  // Once the first connection is gone its slot is free again.
  server.accepted()[0]->stream->Close();
  ASSERT_TRUE(RunUntil(&loop_, [&] { return server.accepted()[0]->recorder->closed.has_value(); }));
  auto third = ConnectNow(&loop_, To(server.port()));
  ASSERT_TRUE(third.ok());
  ASSERT_TRUE(RunUntil(&loop_, [&] { return server.accepted().size() == 2; }));
}

TEST_F(PlainStreamTest, DestroyingStreamWithPendingWritesIsSafe) {
  TestListener server(&loop_, &logger_, ListenOptions{});
  ASSERT_TRUE(server.start_status().ok());
  server.on_accept = [](testing::AcceptedStream& a) { a.stream->PauseReading(); };
  auto client = ConnectNow(&loop_, To(server.port()));
  ASSERT_TRUE(client.ok());
  Recorder recorder;
  (*client)->SetHandler(&recorder);
  (*client)->Write(Payload(kBig));
  ASSERT_TRUE(RunUntil(&loop_, [&] { return server.accepted().size() == 1; }));
  client->reset();
  auto& accepted = *server.accepted()[0];
  accepted.stream->ResumeReading();
  ASSERT_TRUE(RunUntil(&loop_, [&] { return accepted.recorder->closed.has_value(); }));
  EXPECT_FALSE(recorder.closed.has_value());  // no OnClosed after destruction
}

TEST_F(PlainStreamTest, ListenerRejectsBadHostAndBusyPort) {
  ListenOptions bad;
  bad.host = "localhost";
  TestListener named(&loop_, &logger_, bad);
  EXPECT_EQ(named.start_status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(named.start_status().message()), HasSubstr("\"localhost\""));
  TestListener first(&loop_, &logger_, ListenOptions{});
  ASSERT_TRUE(first.start_status().ok());
  ListenOptions same;
  same.port = first.port();
  TestListener second(&loop_, &logger_, same);
  EXPECT_EQ(second.start_status().code(), StatusCode::kIOError);
  EXPECT_THAT(std::string(second.start_status().message()),
              HasSubstr("127.0.0.1:" + std::to_string(first.port())));
}

TEST_F(PlainStreamTest, ListenerCloseRunsDoneAndKeepsHandedOutStreams) {
  TestListener server(&loop_, &logger_, ListenOptions{});
  ASSERT_TRUE(server.start_status().ok());
  server.on_accept = [](testing::AcceptedStream& a) { Echo(a.stream.get(), a.recorder.get()); };
  auto client = ConnectNow(&loop_, To(server.port()));
  ASSERT_TRUE(client.ok());
  Recorder recorder;
  (*client)->SetHandler(&recorder);
  ASSERT_TRUE(RunUntil(&loop_, [&] { return server.accepted().size() == 1; }));
  bool done = false;
  server.listener().Close([&] { done = true; });
  ASSERT_TRUE(RunUntil(&loop_, [&] { return done; }));
  (*client)->Write("still here");
  ASSERT_TRUE(RunUntil(&loop_, [&] { return recorder.data == "still here"; }));
  auto refused = ConnectNow(&loop_, To(server.port()));
  EXPECT_FALSE(refused.ok());
}

}  // namespace
}  // namespace silt::net
