// /loki/api/v1/tail end to end inside one process: a real StorageEngine in a temp dir, the
// TailHandler on a real HttpServer (port 0), and a raw-socket RFC 6455 client.
#include "aggregator/tail/tail_handler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "shared/http/percent_encoding.h"
#include "shared/time/clock.h"
#include "tests/support/websocket_client.h"
#include "tests/unit/aggregator/api/engine_http_fixture.h"
#include "tests/unit/shared/http/test_server.h"

namespace silt::tail {
namespace {

using ::silt::http::testing::WaitFor;
using ::silt::testing::WebSocketClient;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// ["<ts>","<line>"] pairs of a tail message, as "ts line" strings, in message order.
std::vector<std::string> Values(const std::string& message) {
  static const std::regex kValue(R"re(\["(\d+)","((?:[^"\\]|\\.)*)"\])re");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(message.begin(), message.end(), kValue);
       it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[1].str() + " " + (*it)[2].str());
  }
  return out;
}

// Only the lines.
std::vector<std::string> Lines(const std::string& message) {
  std::vector<std::string> out;
  for (const std::string& value : Values(message)) out.push_back(value.substr(value.find(' ') + 1));
  return out;
}

class TailHandlerTest : public silt::testing::EngineHttpFixture {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(OpenEngine(&clock_)); }

  void Start(TailOptions options = {}) {
    options.clock = &clock_;
    options.flush_interval_ns = 10 * time::kMillisecond;
    handler_ = std::make_unique<TailHandler>(engine_.get(), options);
    http::Router router;
    ASSERT_TRUE(AddTailRoutes(&router, handler_.get()).ok());
    ASSERT_NO_FATAL_FAILURE(StartServer(std::move(router)));
  }

  void TearDown() override {
    StopServer();
    if (handler_ != nullptr) handler_->Shutdown();
    CloseEngine();
  }

  static std::string Target(const std::string& query, const std::string& extra = "") {
    return "/loki/api/v1/tail?query=" + http::PercentEncode(query) + extra;
  }

  // Pushes `lines` to {job=<job>} of tenant "fake" (or `tenant`), stamped now + i ns.
  void Push(const std::string& job, const std::vector<std::string>& lines,
            const std::string& tenant = "fake", int64_t base = 0) {
    if (base == 0) base = clock_.WallNanos();
    std::vector<std::pair<int64_t, std::string>> entries;
    for (size_t i = 0; i < lines.size(); ++i) {
      entries.emplace_back(base + static_cast<int64_t>(i), lines[i]);
    }
    PushAt(job, entries, tenant);
  }

  void PushAt(const std::string& job, const std::vector<std::pair<int64_t, std::string>>& lines,
              const std::string& tenant = "fake") {
    auto outcome = PushEntries(tenant, labels::LabelSet::Of({{"job", job}}), lines);
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    ASSERT_EQ(outcome->accepted, lines.size());
  }

  // Connects and waits until the tail is live (subscribed and backfilled).
  std::unique_ptr<WebSocketClient> Connect(const std::string& target, size_t live_before = 0,
                                           int receive_buffer = 0) {
    auto client = std::make_unique<WebSocketClient>(server_->port(), receive_buffer);
    std::string head;
    EXPECT_EQ(client->Handshake(target, {}, &head), 101) << head;
    EXPECT_TRUE(WaitFor([&] { return handler_->active_tails() == live_before + 1; }));
    return client;
  }

  // Reads messages until `n` lines arrived (or the deadline); returns every message's lines.
  std::vector<std::string> ReadLines(WebSocketClient& client, size_t n) {
    std::vector<std::string> lines;
    while (lines.size() < n) {
      std::optional<std::string> message = client.ReadText();
      if (!message.has_value()) break;
      for (std::string& line : Lines(*message)) lines.push_back(std::move(line));
    }
    return lines;
  }

  time::SystemClock clock_;
  std::unique_ptr<TailHandler> handler_;
};

TEST_F(TailHandlerTest, EntriesPushedAfterConnectingArriveFilteredByTheQuery) {
  Start();
  auto client = Connect(Target("{job=\"api\"} |= \"error\""));
  Push("api", {"GET / 200", "error: disk full", "error: again"});
  Push("db", {"error: not my stream"});
  EXPECT_THAT(ReadLines(*client, 2), ElementsAre("error: disk full", "error: again"));
}

TEST_F(TailHandlerTest, PipelineParsesFiltersAndFormatsLiveEntries) {
  Start();
  auto client =
      Connect(Target("{job=\"api\"} | logfmt | status >= 500 | line_format \"{{.path}}\""));
  Push("api", {"path=/a status=200", "path=/b status=503", "path=/c status=500"});
  std::optional<std::string> message = client->ReadText();
  ASSERT_TRUE(message.has_value());
  EXPECT_THAT(Lines(*message), ElementsAre("/b", "/c"));
  // The parsed labels are part of the output stream, as in a query's result.
  EXPECT_THAT(*message, HasSubstr("\"status\":\"503\""));
}

TEST_F(TailHandlerTest, BackfillSendsEarlierEntriesFirst) {
  Start();
  Push("api", {"old one", "old two"});
  auto client = Connect(Target("{job=\"api\"}"));
  std::optional<std::string> first = client->ReadText();
  ASSERT_TRUE(first.has_value());
  EXPECT_THAT(Lines(*first), ElementsAre("old one", "old two"));
  Push("api", {"new"});
  EXPECT_THAT(ReadLines(*client, 1), ElementsAre("new"));
}

TEST_F(TailHandlerTest, LimitCapsTheBackfillToTheNewestEntries) {
  Start();
  Push("api", {"a", "b", "c", "d"});
  auto client = Connect(Target("{job=\"api\"}", "&limit=2"));
  std::optional<std::string> first = client->ReadText();
  ASSERT_TRUE(first.has_value());
  EXPECT_THAT(Lines(*first), ElementsAre("c", "d"));
}

TEST_F(TailHandlerTest, StartLeavesOutOlderEntries) {
  Start();
  const int64_t now = clock_.WallNanos();
  Push("api", {"before"}, "fake", now - 10 * time::kMinute);
  Push("api", {"after"}, "fake", now - time::kMinute);
  auto client =
      Connect(Target("{job=\"api\"}", "&start=" + std::to_string(now - 5 * time::kMinute)));
  std::optional<std::string> first = client->ReadText();
  ASSERT_TRUE(first.has_value());
  EXPECT_THAT(Lines(*first), ElementsAre("after"));
}

TEST_F(TailHandlerTest, DelayForSortsEntriesPushedOutOfOrder) {
  Start();
  auto client = Connect(Target("{job=\"api\"}", "&delay_for=1"));
  const int64_t now = clock_.WallNanos();
  // One push, so the three arrive together and are held together.
  PushAt("api", {{now + 3, "third"}, {now + 1, "first"}, {now + 2, "second"}});
  std::optional<std::string> message = client->ReadText();
  ASSERT_TRUE(message.has_value());
  EXPECT_THAT(Lines(*message), ElementsAre("first", "second", "third"));
}

TEST_F(TailHandlerTest, WithoutDelayForEntriesKeepPushOrder) {
  Start();
  auto client = Connect(Target("{job=\"api\"}"));
  const int64_t now = clock_.WallNanos();
  PushAt("api", {{now + 3, "third"}, {now + 1, "first"}});
  EXPECT_THAT(ReadLines(*client, 2), ElementsAre("third", "first"));
}

TEST_F(TailHandlerTest, OtherTenantsEntriesAreNotTailed) {
  Start();
  auto client = Connect(Target("{job=\"api\"}"));
  Push("api", {"tenant b"}, "b");
  Push("api", {"tenant fake"});
  EXPECT_THAT(ReadLines(*client, 1), ElementsAre("tenant fake"));
}

TEST_F(TailHandlerTest, TenantComesFromXScopeOrgId) {
  Start();
  auto client = std::make_unique<WebSocketClient>(server_->port());
  ASSERT_EQ(client->Handshake(Target("{job=\"api\"}"), {"X-Scope-OrgID: team-a"}), 101);
  ASSERT_TRUE(WaitFor([&] { return handler_->active_tails() == 1; }));
  Push("api", {"not team-a"});
  Push("api", {"team-a line"}, "team-a");
  EXPECT_THAT(ReadLines(*client, 1), ElementsAre("team-a line"));
}

TEST_F(TailHandlerTest, SlowClientGetsDroppedEntriesReported) {
  TailOptions options;
  options.max_send_buffer_bytes = 16 * 1024;
  Start(options);
  auto client = Connect(Target("{job=\"api\"}"), 0, /*receive_buffer=*/4096);
  // The client reads nothing while big entries are pushed, until the handler has dropped some.
  const std::string big(8 * 1024, 'x');
  ASSERT_TRUE(WaitFor([&] {
    Push("api", {big, big, big, big});
    return handler_->dropped_entries() > 0;
  }));
  Push("api", {"marker"});
  // Reading now drains the buffer; a later message lists what was dropped.
  bool reported = false;
  while (!reported) {
    std::optional<std::string> message = client->ReadText();
    ASSERT_TRUE(message.has_value()) << "no message reported the dropped entries";
    if (message->find("\"dropped_entries\":[") != std::string::npos) {
      EXPECT_THAT(*message, HasSubstr("{\"labels\":{\"job\":\"api\"},\"timestamp\":\""));
      reported = true;
    }
  }
}

TEST_F(TailHandlerTest, ShutdownClosesTheSocketWith1001) {
  Start();
  auto client = Connect(Target("{job=\"api\"}"));
  handler_->Shutdown();
  std::optional<http::WebSocketMessage> close = client->Read();
  ASSERT_TRUE(close.has_value());
  EXPECT_EQ(close->opcode, http::WebSocketOpcode::kClose);
  EXPECT_EQ(close->close_code, http::kCloseGoingAway);
  EXPECT_TRUE(client->WaitForEof());
  EXPECT_EQ(handler_->active_tails(), 0u);
  EXPECT_EQ(engine_->live_feed().subscriber_count(), 0u);
}

TEST_F(TailHandlerTest, ServerShutdownClosesTheSocketWith1001) {
  Start();
  auto client = Connect(Target("{job=\"api\"}"));
  server_->BeginShutdown();
  std::optional<http::WebSocketMessage> close = client->Read();
  ASSERT_TRUE(close.has_value());
  EXPECT_EQ(close->close_code, http::kCloseGoingAway);
  EXPECT_TRUE(client->WaitForEof());
  client->Close();  // the server lingers until the client's FIN
  EXPECT_TRUE(server_->Shutdown());
  server_.reset();
  EXPECT_TRUE(WaitFor([&] { return handler_->active_tails() == 0; }));
}

TEST_F(TailHandlerTest, ClientLeavingEndsTheTail) {
  Start();
  auto client = Connect(Target("{job=\"api\"}"));
  ASSERT_TRUE(client->SendClose(http::kCloseNormal, "bye"));
  EXPECT_TRUE(client->WaitForEof());
  EXPECT_TRUE(WaitFor([&] { return handler_->active_tails() == 0; }));
  EXPECT_EQ(engine_->live_feed().subscriber_count(), 0u);
}

TEST_F(TailHandlerTest, BadQueryIsRefusedWith400BeforeTheUpgrade) {
  Start();
  WebSocketClient client(server_->port());
  std::string body;
  EXPECT_EQ(client.Handshake(Target("{job=\"api\""), {}, nullptr, &body), 400);
  EXPECT_THAT(body, HasSubstr("parse error"));
  EXPECT_EQ(handler_->active_tails(), 0u);
}

TEST_F(TailHandlerTest, MetricQueryIsRefusedWithLokisError) {
  Start();
  WebSocketClient client(server_->port());
  std::string body;
  EXPECT_EQ(client.Handshake(Target("count_over_time({job=\"api\"}[1m])"), {}, nullptr, &body),
            400);
  EXPECT_THAT(body, HasSubstr("only log selector is supported"));
}

TEST_F(TailHandlerTest, DelayForOverFiveIsRefused) {
  Start();
  WebSocketClient client(server_->port());
  std::string body;
  EXPECT_EQ(client.Handshake(Target("{job=\"api\"}", "&delay_for=6"), {}, nullptr, &body), 400);
  EXPECT_THAT(body, HasSubstr("delay_for can't be greater than 5"));
}

TEST_F(TailHandlerTest, SelectorMatchingEverythingIsRefusedBeforeTheUpgrade) {
  Start();
  WebSocketClient client(server_->port());
  std::string body;
  EXPECT_EQ(client.Handshake(Target("{job=~\".*\"}"), {}, nullptr, &body), 400);
  EXPECT_FALSE(body.empty());
  EXPECT_TRUE(WaitFor([&] { return handler_->active_tails() == 0; }));
}

TEST_F(TailHandlerTest, PlainGetWithoutUpgradeGets400) {
  Start();
  http::testing::RawClient client(server_->port());
  ASSERT_TRUE(client.Send("GET " + Target("{job=\"api\"}") + " HTTP/1.1\r\nHost: t\r\n\r\n"));
  std::optional<http::testing::RawResponse> response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 400);
  EXPECT_THAT(response->body, HasSubstr("Upgrade: websocket"));
  EXPECT_TRUE(WaitFor([&] { return handler_->active_tails() == 0; }));
}

TEST_F(TailHandlerTest, TooManyTailsGet429) {
  TailOptions options;
  options.max_tails = 1;
  Start(options);
  auto first = Connect(Target("{job=\"api\"}"));
  WebSocketClient second(server_->port());
  std::string body;
  EXPECT_EQ(second.Handshake(Target("{job=\"api\"}"), {}, nullptr, &body), 429);
  EXPECT_THAT(body, HasSubstr("max concurrent tail requests"));
}

}  // namespace
}  // namespace silt::tail
