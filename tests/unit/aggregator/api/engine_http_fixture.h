// EngineHttpFixture: a gtest fixture for the handlers that stand between HTTP and the storage
// engine (LokiApi, TailHandler, PushHandler): a real StorageEngine in a temp dir (POSIX files, no
// background flush) and a real HttpServer on 127.0.0.1 port 0 on its own loop thread
// (TestServer). A test opens the engine with its clock, starts the server with its routes, and
// stops in its own order: StopServer, then its handler's workers, then CloseEngine.
// Thread-safety: the fixture is used from the test thread; handlers run on the server's loop
// thread.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "aggregator/engine/storage_engine.h"
#include "shared/fs/posix_file_system.h"
#include "shared/http/router.h"
#include "shared/http/server.h"
#include "shared/labels/label_set.h"
#include "shared/time/clock.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/shared/http/test_server.h"

namespace silt::testing {

class EngineHttpFixture : public ::testing::Test {
 protected:
  // Opens engine_ in dir_/data with `clock` (must outlive the engine); `head_max_bytes` and
  // `max_record_bytes` 0 keep the engine's defaults. Fails the test (ASSERT) when the engine does not open.
  void OpenEngine(const time::Clock* clock, size_t head_max_bytes = 0,
                  uint32_t max_record_bytes = 0);
  // Starts server_ with `router` and `options` (port 0 on 127.0.0.1 unless they say otherwise).
  // Fails the test (ASSERT) when it does not listen.
  void StartServer(http::Router router, http::ServerOptions options = {});
  // Shuts server_ down gracefully, failing the test (EXPECT) when a handle was left open; nothing
  // when it was not started. Call once per StartServer. server_ stays (stopped) until the fixture
  // ends or the test resets it, so workers that still hold a responder can finish first.
  void StopServer();
  // Closes engine_ (EXPECT ok) and destroys it, releasing the data directory's LOCK. Nothing when
  // it is not open.
  void CloseEngine();

  // Writes `entries` ((timestamp ns, line) pairs) to the stream `labels` of `tenant` with
  // StorageEngine::PushSync; its answer.
  Result<engine::PushOutcome> PushEntries(
      const std::string& tenant, labels::LabelSet labels,
      const std::vector<std::pair<int64_t, std::string>>& entries);

  // "http://127.0.0.1:<port>" of server_.
  std::string BaseUrl() const;

  TempDir dir_;
  fs::PosixFileSystem fs_;
  std::unique_ptr<engine::StorageEngine> engine_;
  std::unique_ptr<http::testing::TestServer> server_;
};

}  // namespace silt::testing
