// TlsStream, TLS StreamListener and TLS Connect over real sockets on 127.0.0.1, with
// certificates made by the openssl command line (tests/support/test_certs.h). One test per
// failure mode.
#include "shared/net/tls_stream.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/unit/shared/net/net_harness.h"
#include "tests/support/test_certs.h"

namespace silt::net {
namespace {

using ::silt::net::testing::AcceptedStream;
using ::silt::net::testing::ConnectNow;
using ::silt::net::testing::Echo;
using ::silt::net::testing::Payload;
using ::silt::net::testing::Recorder;
using ::silt::net::testing::RunUntil;
using ::silt::testing::TestCerts;
using ::silt::net::testing::TestListener;
using ::testing::HasSubstr;

class TlsStreamTest : public ::testing::Test {
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
  void SetUp() override { ASSERT_EQ(uv_loop_init(&loop_), 0); }
  void TearDown() override { EXPECT_EQ(testing::DrainAndCloseLoop(&loop_), 0); }

  static TlsServerOptions ServerTls(ClientAuth auth = ClientAuth::kNone) {
    TlsServerOptions tls;
    tls.cert_file = certs_->server_cert();
    tls.key_file = certs_->server_key();
    tls.client_auth = auth;
    if (auth != ClientAuth::kNone) tls.client_ca_file = certs_->ca();
    return tls;
  }
  static ListenOptions Listen(TlsServerOptions tls) {
    ListenOptions options;
    options.tls = std::move(tls);
    options.component = "agent-listener";
    return options;
  }
  static TlsClientOptions ClientTls() {
    TlsClientOptions tls;
    tls.ca_file = certs_->ca();
    return tls;
  }
  static TlsClientOptions ClientTlsWithCert() {
    TlsClientOptions tls = ClientTls();
    tls.cert_file = certs_->client_cert();
    tls.key_file = certs_->client_key();
    return tls;
  }
  static ConnectOptions To(int port, std::optional<TlsClientOptions> tls) {
    ConnectOptions options;
    options.host = "127.0.0.1";
    options.port = port;
    options.tls = std::move(tls);
    return options;
  }
  // Connects with `tls`, sends a line and expects it echoed back: the server works.
  void ExpectEcho(TestListener& server, TlsClientOptions tls) {
    auto client = ConnectNow(&loop_, To(server.port(), std::move(tls)));
    ASSERT_TRUE(client.ok()) << client.status();
    Recorder recorder;
    (*client)->SetHandler(&recorder);
    (*client)->Write("ping");
    EXPECT_TRUE(RunUntil(&loop_, [&] { return recorder.data == "ping"; }));
    (*client)->Close();
    ASSERT_TRUE(RunUntil(&loop_, [&] { return recorder.closed.has_value(); }));
  }
  // Waits until the server has counted `n` handshake failures.
  bool WaitForFailures(TestListener& server, uint64_t n) {
    return RunUntil(&loop_, [&] { return server.listener().stats().handshake_failures >= n; });
  }
  // The client's view of a rejected handshake: Connect fails, or (TLS 1.3, where the client
  // finishes first) the stream closes with an error. Returns that error.
  Status ClientOutcome(Result<std::unique_ptr<ByteStream>> client) {
    if (!client.ok()) return client.status();
    Recorder recorder;
    (*client)->SetHandler(&recorder);
    if (!RunUntil(&loop_, [&] { return recorder.closed.has_value(); })) {
      return Status::Ok();
    }
    return *recorder.closed;
  }
  static void EchoAll(AcceptedStream& a) { Echo(a.stream.get(), a.recorder.get()); }

  static TestCerts* certs_;
  uv_loop_t loop_;
  log::MemorySink sink_;
  log::Logger logger_{log::LoggerOptions{.sink = &sink_}};
};

TestCerts* TlsStreamTest::certs_ = nullptr;

TEST_F(TlsStreamTest, TlsRoundTrip) {
  TestListener server(&loop_, &logger_, Listen(ServerTls()));
  ASSERT_TRUE(server.start_status().ok()) << server.start_status();
  server.on_accept = EchoAll;
  auto client = ConnectNow(&loop_, To(server.port(), ClientTls()));
  ASSERT_TRUE(client.ok()) << client.status();
  Recorder recorder;
  (*client)->SetHandler(&recorder);
  (*client)->Write("hello over TLS");
  ASSERT_TRUE(RunUntil(&loop_, [&] { return recorder.data == "hello over TLS"; }));
  const PeerInfo& peer = (*client)->peer();
  EXPECT_TRUE(peer.tls);
  EXPECT_EQ(peer.tls_version, "TLSv1.3");
  EXPECT_FALSE(peer.cipher.empty());
  ASSERT_EQ(server.accepted().size(), 1u);
  const PeerInfo& server_peer = server.accepted()[0]->stream->peer();
  EXPECT_EQ(server_peer.tls_version, "TLSv1.3");
  EXPECT_EQ(server_peer.cipher, peer.cipher);
  EXPECT_TRUE(server_peer.client_common_name.empty());
  // An orderly end: close_notify and FIN both ways, OK on both sides.
  (*client)->Shutdown();
  ASSERT_TRUE(RunUntil(&loop_, [&] {
    return recorder.closed.has_value() && server.accepted()[0]->recorder->closed.has_value();
  }));
  EXPECT_TRUE(recorder.closed->ok()) << *recorder.closed;
  EXPECT_TRUE(server.accepted()[0]->recorder->closed->ok()) << *server.accepted()[0]->recorder->closed;
  EXPECT_EQ(server.listener().stats().accepted, 1u);
  EXPECT_EQ(server.listener().stats().handshake_failures, 0u);
}

TEST_F(TlsStreamTest, ServerNameIsVerifiedAgainstDnsSan) {
  TestListener server(&loop_, &logger_, Listen(ServerTls()));
  ASSERT_TRUE(server.start_status().ok());
  server.on_accept = EchoAll;
  TlsClientOptions tls = ClientTls();
  tls.server_name = "localhost";
  ExpectEcho(server, tls);
}

TEST_F(TlsStreamTest, MutualTlsRequiredAccepted) {
  TestListener server(&loop_, &logger_, Listen(ServerTls(ClientAuth::kRequired)));
  ASSERT_TRUE(server.start_status().ok()) << server.start_status();
  server.on_accept = EchoAll;
  ExpectEcho(server, ClientTlsWithCert());
  ASSERT_EQ(server.accepted().size(), 1u);
  const PeerInfo& peer = server.accepted()[0]->stream->peer();
  EXPECT_EQ(peer.client_common_name, "agent-1");
  EXPECT_EQ(peer.client_subject, "CN=agent-1");
}

TEST_F(TlsStreamTest, ExpiredServerCertRejected) {
  TlsServerOptions tls = ServerTls();
  tls.cert_file = certs_->expired_server_cert();
  TestListener server(&loop_, &logger_, Listen(tls));
  ASSERT_TRUE(server.start_status().ok()) << server.start_status();
  auto client = ConnectNow(&loop_, To(server.port(), ClientTls()));
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(std::string(client.status().message()),
              HasSubstr("127.0.0.1:" + std::to_string(server.port())));
  EXPECT_THAT(std::string(client.status().message()), HasSubstr("certificate expired"));
  ASSERT_TRUE(WaitForFailures(server, 1));
  EXPECT_THAT(sink_.Text(), HasSubstr("reason=certificate_expired"));
  EXPECT_TRUE(server.accepted().empty());
}

TEST_F(TlsStreamTest, UnknownCaRejected) {
  TestListener server(&loop_, &logger_, Listen(ServerTls()));
  ASSERT_TRUE(server.start_status().ok());
  TlsClientOptions tls = ClientTls();
  tls.ca_file = certs_->other_ca();
  auto client = ConnectNow(&loop_, To(server.port(), tls));
  ASSERT_FALSE(client.ok());
  EXPECT_THAT(std::string(client.status().message()), HasSubstr("unknown CA"));
  EXPECT_THAT(std::string(client.status().message()), HasSubstr("ca_file"));
  ASSERT_TRUE(WaitForFailures(server, 1));
  EXPECT_THAT(sink_.Text(), HasSubstr("reason=unknown_ca"));
}

TEST_F(TlsStreamTest, WrongHostnameRejected) {
  TestListener server(&loop_, &logger_, Listen(ServerTls()));
  ASSERT_TRUE(server.start_status().ok());
  TlsClientOptions tls = ClientTls();
  tls.server_name = "wrong.example";
  auto client = ConnectNow(&loop_, To(server.port(), tls));
  ASSERT_FALSE(client.ok());
  EXPECT_THAT(std::string(client.status().message()), HasSubstr("hostname mismatch"));
  ASSERT_TRUE(WaitForFailures(server, 1));
}

TEST_F(TlsStreamTest, Tls12ClientAgainst13OnlyRejected) {
  TestListener server(&loop_, &logger_, Listen(ServerTls()));
  ASSERT_TRUE(server.start_status().ok());
  TlsClientOptions tls = ClientTls();
  tls.min_version = TlsVersion::kTls12;
  tls.max_version = TlsVersion::kTls12;
  auto client = ConnectNow(&loop_, To(server.port(), tls));
  ASSERT_FALSE(client.ok());
  EXPECT_THAT(std::string(client.status().message()), HasSubstr("protocol version"));
  ASSERT_TRUE(WaitForFailures(server, 1));
  EXPECT_THAT(sink_.Text(), HasSubstr("reason=protocol_version"));
}

TEST_F(TlsStreamTest, Tls12AllowedWhenConfigured) {
  TlsServerOptions server_tls = ServerTls();
  server_tls.min_version = TlsVersion::kTls12;
  TestListener server(&loop_, &logger_, Listen(server_tls));
  ASSERT_TRUE(server.start_status().ok());
  server.on_accept = EchoAll;
  TlsClientOptions tls = ClientTls();
  tls.min_version = TlsVersion::kTls12;
  tls.max_version = TlsVersion::kTls12;
  auto client = ConnectNow(&loop_, To(server.port(), tls));
  ASSERT_TRUE(client.ok()) << client.status();
  EXPECT_EQ((*client)->peer().tls_version, "TLSv1.2");
  Recorder recorder;
  (*client)->SetHandler(&recorder);
  (*client)->Write("old but allowed");
  ASSERT_TRUE(RunUntil(&loop_, [&] { return recorder.data == "old but allowed"; }));
  EXPECT_EQ(server.accepted()[0]->stream->peer().tls_version, "TLSv1.2");
}

TEST_F(TlsStreamTest, PlaintextClientRejected) {
  TestListener server(&loop_, &logger_, Listen(ServerTls()));
  ASSERT_TRUE(server.start_status().ok());
  auto client = ConnectNow(&loop_, To(server.port(), std::nullopt));
  ASSERT_TRUE(client.ok()) << client.status();
  Recorder recorder;
  (*client)->SetHandler(&recorder);
  (*client)->Write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(RunUntil(&loop_, [&] { return recorder.closed.has_value(); }));
  ASSERT_TRUE(WaitForFailures(server, 1));
  const std::string log = sink_.Text();
  EXPECT_THAT(log, HasSubstr("reason=plaintext_client"));
  EXPECT_THAT(log, HasSubstr("GET /metrics HTTP/1.1"));
  EXPECT_THAT(log, HasSubstr("looks like plaintext/HTTP"));
  EXPECT_TRUE(server.accepted().empty());
}

TEST_F(TlsStreamTest, ClientCertMissingWhenRequiredRejected) {
  TestListener server(&loop_, &logger_, Listen(ServerTls(ClientAuth::kRequired)));
  ASSERT_TRUE(server.start_status().ok());
  Status outcome = ClientOutcome(ConnectNow(&loop_, To(server.port(), ClientTls())));
  EXPECT_FALSE(outcome.ok());
  EXPECT_THAT(std::string(outcome.message()), HasSubstr("client certificate required"));
  ASSERT_TRUE(WaitForFailures(server, 1));
  EXPECT_THAT(sink_.Text(), HasSubstr("reason=no_client_certificate"));
  EXPECT_TRUE(server.accepted().empty());
}

TEST_F(TlsStreamTest, ClientCertWrongCaRejected) {
  TestListener server(&loop_, &logger_, Listen(ServerTls(ClientAuth::kRequired)));
  ASSERT_TRUE(server.start_status().ok());
  TlsClientOptions tls = ClientTls();
  tls.cert_file = certs_->other_client_cert();
  tls.key_file = certs_->other_client_key();
  Status outcome = ClientOutcome(ConnectNow(&loop_, To(server.port(), tls)));
  EXPECT_FALSE(outcome.ok());
  EXPECT_THAT(std::string(outcome.message()), HasSubstr("unknown CA"));
  ASSERT_TRUE(WaitForFailures(server, 1));
  EXPECT_THAT(sink_.Text(), HasSubstr("reason=unknown_ca"));
  EXPECT_THAT(sink_.Text(), HasSubstr("client_ca_file"));
  EXPECT_TRUE(server.accepted().empty());
}

TEST_F(TlsStreamTest, OptionalClientAuthWithoutCert) {
  TestListener server(&loop_, &logger_, Listen(ServerTls(ClientAuth::kOptional)));
  ASSERT_TRUE(server.start_status().ok());
  server.on_accept = EchoAll;
  ExpectEcho(server, ClientTls());
  ASSERT_EQ(server.accepted().size(), 1u);
  EXPECT_TRUE(server.accepted()[0]->stream->peer().client_common_name.empty());
  ExpectEcho(server, ClientTlsWithCert());
  ASSERT_EQ(server.accepted().size(), 2u);
  EXPECT_EQ(server.accepted()[1]->stream->peer().client_common_name, "agent-1");
}

TEST_F(TlsStreamTest, ReloadServesNewCertToNewConnections) {
  silt::testing::TempDir live;
  namespace fs = std::filesystem;
  fs::copy_file(certs_->server_cert(), live.Path("cert.pem"));
  fs::copy_file(certs_->server_key(), live.Path("key.pem"));
  TlsServerOptions tls = ServerTls();
  tls.cert_file = live.Path("cert.pem");
  tls.key_file = live.Path("key.pem");
  TestListener server(&loop_, &logger_, Listen(tls));
  ASSERT_TRUE(server.start_status().ok()) << server.start_status();
  server.on_accept = EchoAll;
  auto old_client = ConnectNow(&loop_, To(server.port(), ClientTls()));
  ASSERT_TRUE(old_client.ok()) << old_client.status();
  Recorder old_recorder;
  (*old_client)->SetHandler(&old_recorder);

  // A broken file: the reload fails, names the file, and the old certificate stays.
  {
    std::ofstream broken(live.Path("cert.pem"), std::ios::trunc);
    broken << "not a certificate\n";
  }
  Status failed = server.listener().Reload();
  EXPECT_EQ(failed.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(failed.message()), HasSubstr(live.Path("cert.pem")));
  ExpectEcho(server, ClientTls());

  fs::copy_file(certs_->other_server_cert(), live.Path("cert.pem"),
                fs::copy_options::overwrite_existing);
  fs::copy_file(certs_->other_server_key(), live.Path("key.pem"),
                fs::copy_options::overwrite_existing);
  Status reloaded = server.listener().Reload();
  ASSERT_TRUE(reloaded.ok()) << reloaded;
  // New connections get the new certificate: trusted by other_ca only.
  TlsClientOptions other = ClientTls();
  other.ca_file = certs_->other_ca();
  ExpectEcho(server, other);
  auto stale = ConnectNow(&loop_, To(server.port(), ClientTls()));
  EXPECT_FALSE(stale.ok());
  // The connection made before the reload is untouched.
  (*old_client)->Write("still alive");
  ASSERT_TRUE(RunUntil(&loop_, [&] { return old_recorder.data == "still alive"; }));
  EXPECT_FALSE(old_recorder.closed.has_value());
}

TEST_F(TlsStreamTest, ServerKeepsServingAfterFailures) {
  TestListener server(&loop_, &logger_, Listen(ServerTls()));
  ASSERT_TRUE(server.start_status().ok());
  server.on_accept = EchoAll;
  uint64_t failures = 0;
  {  // plaintext
    auto plain = ConnectNow(&loop_, To(server.port(), std::nullopt));
    ASSERT_TRUE(plain.ok());
    (*plain)->Write("HELLO\r\n");
    ASSERT_TRUE(WaitForFailures(server, ++failures));
  }
  ExpectEcho(server, ClientTls());
  {  // unknown CA
    TlsClientOptions tls = ClientTls();
    tls.ca_file = certs_->other_ca();
    EXPECT_FALSE(ConnectNow(&loop_, To(server.port(), tls)).ok());
    ASSERT_TRUE(WaitForFailures(server, ++failures));
  }
  ExpectEcho(server, ClientTls());
  {  // TLS 1.2 only
    TlsClientOptions tls = ClientTls();
    tls.min_version = TlsVersion::kTls12;
    tls.max_version = TlsVersion::kTls12;
    EXPECT_FALSE(ConnectNow(&loop_, To(server.port(), tls)).ok());
    ASSERT_TRUE(WaitForFailures(server, ++failures));
  }
  ExpectEcho(server, ClientTls());
  {  // a client that connects and goes away at once
    auto plain = ConnectNow(&loop_, To(server.port(), std::nullopt));
    ASSERT_TRUE(plain.ok());
    plain->reset();
    ASSERT_TRUE(WaitForFailures(server, ++failures));
  }
  ExpectEcho(server, ClientTls());
  EXPECT_EQ(server.listener().stats().accepted, 4u);
}

TEST_F(TlsStreamTest, HandshakeTimeout) {
  ListenOptions options = Listen(ServerTls());
  options.handshake_timeout = std::chrono::milliseconds(100);
  TestListener server(&loop_, &logger_, options);
  ASSERT_TRUE(server.start_status().ok());
  auto silent = ConnectNow(&loop_, To(server.port(), std::nullopt));
  ASSERT_TRUE(silent.ok());
  Recorder recorder;
  (*silent)->SetHandler(&recorder);
  ASSERT_TRUE(RunUntil(&loop_, [&] { return recorder.closed.has_value(); }));
  ASSERT_TRUE(WaitForFailures(server, 1));
  EXPECT_THAT(sink_.Text(), HasSubstr("reason=handshake_timeout"));
  EXPECT_THAT(sink_.Text(), HasSubstr("within 100 ms"));
}

TEST_F(TlsStreamTest, LargeTransferBothWays) {
  constexpr size_t kSize = 6 * 1024 * 1024;
  constexpr size_t kHighWater = 512 * 1024;
  TestListener server(&loop_, &logger_, Listen(ServerTls()));
  ASSERT_TRUE(server.start_status().ok());
  // The server echoes with backpressure: it stops reading while much is queued.
  server.on_accept = [](AcceptedStream& a) {
    ByteStream* stream = a.stream.get();
    a.recorder->on_data = [stream](std::string_view bytes) {
      stream->Write(std::string(bytes));
      if (stream->queued_bytes() > kHighWater) stream->PauseReading();
    };
    a.recorder->on_drained = [stream] { stream->ResumeReading(); };
  };
  auto client = ConnectNow(&loop_, To(server.port(), ClientTls()));
  ASSERT_TRUE(client.ok()) << client.status();
  Recorder recorder;
  (*client)->SetHandler(&recorder);
  const std::string payload = Payload(kSize, 3);
  for (size_t at = 0; at < kSize; at += 1024 * 1024) (*client)->Write(payload.substr(at, 1 << 20));
  EXPECT_EQ((*client)->queued_bytes(), kSize);
  // The client also pauses now and then while the echo flows back.
  bool paused_once = false;
  recorder.on_data = [&](std::string_view) {
    if (!paused_once && recorder.data.size() > kSize / 2) {
      paused_once = true;
      (*client)->PauseReading();
    }
  };
  ASSERT_TRUE(RunUntil(&loop_, [&] { return paused_once; }));
  (*client)->ResumeReading();
  ASSERT_TRUE(RunUntil(&loop_, [&] { return recorder.data.size() >= kSize; }));
  EXPECT_EQ(recorder.data.size(), kSize);
  EXPECT_TRUE(recorder.data == payload);
  EXPECT_GE(recorder.drained, 1);
  EXPECT_EQ((*client)->queued_bytes(), 0u);
}

TEST_F(TlsStreamTest, FailureLogLineNamesPeerReasonAndCause) {
  ListenOptions options = Listen(ServerTls());
  TestListener server(&loop_, &logger_, options);
  ASSERT_TRUE(server.start_status().ok());
  TlsClientOptions tls = ClientTls();
  tls.ca_file = certs_->other_ca();
  EXPECT_FALSE(ConnectNow(&loop_, To(server.port(), tls)).ok());
  ASSERT_TRUE(WaitForFailures(server, 1));
  std::string line;
  for (const std::string& l : sink_.Lines()) {
    if (l.find("TLS handshake failed") != std::string::npos) line = l;
  }
  EXPECT_THAT(line, HasSubstr("level=warn"));
  EXPECT_THAT(line, HasSubstr("component=agent-listener"));
  EXPECT_THAT(line, HasSubstr("peer=127.0.0.1:"));
  EXPECT_THAT(line, HasSubstr("reason=unknown_ca"));
  EXPECT_THAT(line, HasSubstr("unknown CA"));
}

TEST_F(TlsStreamTest, UnreadableCertificateFailsStartWithPath) {
  TlsServerOptions tls = ServerTls();
  tls.cert_file = certs_->Path("missing.pem");
  TestListener server(&loop_, &logger_, Listen(tls));
  EXPECT_EQ(server.start_status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(server.start_status().message()), HasSubstr("missing.pem"));
  EXPECT_THAT(std::string(server.start_status().message()), HasSubstr("No such file"));
  TlsServerOptions mismatched = ServerTls();
  mismatched.key_file = certs_->client_key();
  TestListener second(&loop_, &logger_, Listen(mismatched));
  EXPECT_EQ(second.start_status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(second.start_status().message()), HasSubstr("does not match"));
  TlsServerOptions no_ca = ServerTls(ClientAuth::kRequired);
  no_ca.client_ca_file.clear();
  TestListener third(&loop_, &logger_, Listen(no_ca));
  EXPECT_THAT(std::string(third.start_status().message()), HasSubstr("client_ca_file"));
}

TEST_F(TlsStreamTest, ConnectWithUnreadableCaFileIsInvalidArgument) {
  TlsClientOptions tls = ClientTls();
  tls.ca_file = certs_->Path("nope.pem");
  auto client = ConnectNow(&loop_, To(1, tls));
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(client.status().message()), HasSubstr("nope.pem"));
}

}  // namespace
}  // namespace silt::net
