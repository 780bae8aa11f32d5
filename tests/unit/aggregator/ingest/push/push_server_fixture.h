// PushServerFixture: an EngineHttpFixture (a real StorageEngine in a temp dir behind a real
// HttpServer on port 0) with the push routes, decoding on worker threads, and helpers to read back
// what was stored. Shared by the handler tests (curl) and the malformed-request catalog (raw
// sockets).
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "aggregator/engine/storage_engine.h"
#include "aggregator/ingest/push/push_handler.h"
#include "shared/http/router.h"
#include "shared/labels/matcher.h"
#include "shared/metrics/registry.h"
#include "shared/time/fake_clock.h"
#include "tests/unit/aggregator/api/engine_http_fixture.h"
#include "tests/unit/shared/http/test_server.h"

namespace silt::ingest::testing {

// The wall time the fixture's clock shows: 2025-12-06T05:46:40Z.
inline constexpr int64_t kNow = 1'765'000'000'000'000'000;

class PushServerFixture : public ::silt::testing::EngineHttpFixture {
 protected:
  void SetUp() override { Start(); }
  void TearDown() override { Stop(); }

  // `head_max_bytes` and `max_record_bytes` 0 keep the engine's defaults.
  void Start(http::ServerOptions server_options = {}, size_t head_max_bytes = 0,
             uint32_t max_record_bytes = 0) {
    ASSERT_NO_FATAL_FAILURE(OpenEngine(&clock_, head_max_bytes, max_record_bytes));
    PushHandlerOptions push;
    push.engine = engine_.get();
    push.clock = &clock_;
    push.metrics = &registry_;
    push.max_decompressed_bytes = size_t{4} << 20;
    push.executor = [this](std::function<void()> job) {
      if (refuse_jobs_) return false;
      workers_.Run(std::move(job));
      return true;
    };
    auto handler = PushHandler::Create(std::move(push));
    ASSERT_TRUE(handler.ok()) << handler.status();
    handler_ = std::move(*handler);
    http::Router router;
    ASSERT_TRUE(AddPushRoutes(&router, handler_.get()).ok());
    ASSERT_NO_FATAL_FAILURE(StartServer(std::move(router), std::move(server_options)));
    base_ = BaseUrl();
  }

  void Stop() {
    StopServer();
    workers_.JoinAll();
    server_.reset();
    CloseEngine();
  }

  // Every stored line of tenant `tenant` whose label `name` is `value`, oldest first, as
  // "<ts - kNow>|<line>".
  std::vector<std::string> Stored(const std::string& name, const std::string& value,
                                  const std::string& tenant = "fake") {
    std::vector<labels::Matcher> matchers = {
        *labels::Matcher::Create(labels::MatchType::kEqual, name, value)};
    auto selected = engine_->Select(tenant, matchers, INT64_MIN, INT64_MAX);
    EXPECT_TRUE(selected.ok()) << selected.status();
    std::vector<std::string> out;
    if (!selected.ok()) return out;
    for (const engine::StreamSelection& stream : *selected) {
      for (auto it = stream.NewIterator(INT64_MIN, INT64_MAX, store::Direction::kForward);
           it.Valid(); it.Next()) {
        out.push_back(std::to_string(it.timestamp() - kNow) + "|" + std::string(it.line()));
      }
    }
    return out;
  }

  // The value of one metric line ("name{labels} value") in the exposition, or -1.
  double Metric(const std::string& series) {
    const std::string text = registry_.Expose();
    const size_t at = text.find(series + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + series.size() + 1));
  }

  time::FakeClock clock_{kNow};
  metrics::Registry registry_;
  http::testing::Workers workers_;
  // When set, the executor refuses work as the aggregator's pool does once it is stopping.
  std::atomic<bool> refuse_jobs_{false};
  std::unique_ptr<PushHandler> handler_;
  std::string base_;
};

}  // namespace silt::ingest::testing
