#include "tests/unit/aggregator/api/engine_http_fixture.h"

namespace silt::testing {

void EngineHttpFixture::OpenEngine(const time::Clock* clock, size_t head_max_bytes,
                                   uint32_t max_record_bytes) {
  engine::EngineOptions options;
  if (head_max_bytes != 0) options.head.max_bytes = head_max_bytes;
  if (max_record_bytes != 0) options.max_record_bytes = max_record_bytes;
  options.fs = &fs_;
  options.clock = clock;
  options.data_dir = dir_.Path("data");
  options.background_flush = false;
  auto engine = engine::StorageEngine::Open(options);
  ASSERT_TRUE(engine.ok()) << engine.status();
  engine_ = std::move(*engine);
}

void EngineHttpFixture::StartServer(http::Router router, http::ServerOptions options) {
  server_ = std::make_unique<http::testing::TestServer>(std::move(router), std::move(options));
  ASSERT_TRUE(server_->status().ok()) << server_->status();
}

void EngineHttpFixture::StopServer() {
  if (server_ != nullptr) {
    EXPECT_TRUE(server_->Shutdown()) << "a handle was left open";
  }
}

void EngineHttpFixture::CloseEngine() {
  if (engine_ != nullptr) {
    EXPECT_TRUE(engine_->Close().ok());
  }
  engine_.reset();
}

Result<engine::PushOutcome> EngineHttpFixture::PushEntries(
    const std::string& tenant, labels::LabelSet labels,
    const std::vector<std::pair<int64_t, std::string>>& entries) {
  engine::PushRequest request;
  request.tenant = tenant;
  engine::PushStream stream{std::move(labels), {}};
  for (const auto& [timestamp, line] : entries) stream.entries.push_back({timestamp, line, {}});
  request.streams.push_back(std::move(stream));
  return engine_->PushSync(std::move(request));
}

std::string EngineHttpFixture::BaseUrl() const {
  return "http://127.0.0.1:" + std::to_string(server_->port());
}

}  // namespace silt::testing
