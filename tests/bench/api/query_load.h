// QueryLoad: fills a running silt-aggregator with the query benchmark's data through Loki
// protobuf+snappy pushes: `rate` lines per second of simulated time over `duration_s` seconds
// ending 10 s ago, every entry with its own explicit timestamp (start + i / rate), pushed as fast
// as the server takes them. Lines are silt-loggen's JSON application logs (level, status,
// method, path, ...; a "timeout" now and then); labels {job="x", host="h0".."h9", level=<the
// line's level>}. Each of `threads` threads builds and pushes every threads-th body with its own
// generator (seed 1 + thread), so bodies of one stream arrive at most a few bodies out of order,
// far inside storage.out_of_order_window. A push answered 429 or 503 (head or WAL full while a
// flush catches up) is retried after 100 ms and counted. Thread-safety: Load blocks the caller;
// the threads it starts end before it returns.
#pragma once

#include <cstdint>

#include "shared/status/result.h"

namespace silt::bench {

struct LoadOptions {
  double duration_s = 3600;  // simulated time span
  double rate = 10'000;      // lines per simulated second
  uint32_t entries_per_body = 20'000;
  int threads = 2;
};

struct LoadResult {
  uint64_t entries = 0;
  uint64_t line_bytes = 0;
  uint64_t body_bytes = 0;  // snappy-compressed protobuf
  uint64_t retries = 0;     // pushes answered 429/503 and sent again
  int64_t start_ns = 0;     // first entry's timestamp
  int64_t end_ns = 0;       // last entry's timestamp
  double wall_s = 0;
};

// Pushes the data to the server's HTTP port. InvalidArgument for an empty load; IOError with
// the server's answer when a push is refused with anything but 204/429/503.
Result<LoadResult> LoadHour(int http_port, const LoadOptions& options);

}  // namespace silt::bench
