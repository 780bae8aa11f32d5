// ServerContext: what every Connection of one HttpServer shares: the loop, options, router,
// logger, metrics, clock and the completion queue for cross-thread answers.
// Owned by HttpServer; connections point to it until the server detaches them.
// Loop thread only.
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "shared/http/completion_queue.h"
#include "shared/http/request_parser.h"
#include "shared/http/response_encoder.h"
#include "shared/http/router.h"
#include "shared/http/server_metrics.h"
#include "shared/http/server_options.h"
#include "shared/log/logger.h"
#include "shared/time/clock.h"

namespace silt::http {

class Connection;

struct ServerContext {
  uv_loop_t* loop = nullptr;
  ServerOptions options;
  RequestLimits limits;
  Router router;
  log::Logger* logger = nullptr;
  std::string log_component;
  ServerMetrics* metrics = nullptr;  // nullptr: metrics off
  const time::Clock* clock = nullptr;
  std::shared_ptr<CompletionQueue> completions;
  bool shutting_down = false;
  // Runs from a connection's close callback, just before it is freed.
  std::function<void(Connection*)> on_closed;

  // The current Date header value, reformatted at most once per second.
  std::string_view Date() {
    const int64_t second = clock->WallNanos() / 1'000'000'000;
    if (second != date_second) {
      date_second = second;
      date = FormatHttpDate(second);
    }
    return date;
  }
  int64_t date_second = INT64_MIN;
  std::string date;
};

}  // namespace silt::http
