// ConnectionDeadline: which of an HTTP connection's timeouts applies and when it runs out, as
// plain code over the connection's state and loop-clock readings, so the rules live in one
// place and are tested without a loop: write_timeout while answer bytes wait for the client;
// header_timeout from a request's first byte (slowloris) and before the first request;
// read_timeout while a body arrives; keep_alive_timeout between requests; and, after a WebSocket
// upgrade, the session's own ping/idle time instead of the HTTP ones.
// Thread-compatible value code.
#pragma once

#include <cstdint>

#include "shared/http/request_parser.h"
#include "shared/http/server_options.h"

namespace silt::http {

enum class TimeoutKind {
  kNone,
  kWrite,      // the client took no queued byte for write_timeout: close
  kIdle,       // idle between requests: close
  kHeaders,    // headers incomplete after header_timeout: 408
  kBody,       // no body byte for read_timeout: 408
  kWebSocket,  // the session's timer is due (ping, or idle close)
};

// A connection's state and clock readings (loop milliseconds).
struct ConnectionTimes {
  bool open = true;        // false while the connection ends (only write_timeout applies)
  bool websocket = false;  // upgraded: websocket_due_ms replaces the HTTP timeouts
  bool waiting = false;    // a request is being answered: no HTTP read timeouts
  bool writes_pending = false;
  bool input_buffered = false;  // pipelined bytes wait: the connection is not idle
  RequestParser::Phase phase = RequestParser::Phase::kIdle;
  uint64_t requests_served = 0;
  uint64_t last_write_ms = 0;  // the client last took bytes (or the queue began)
  uint64_t idle_since_ms = 0;
  uint64_t request_started_ms = 0;
  uint64_t last_read_ms = 0;
  uint64_t websocket_due_ms = 0;
};

struct Deadline {
  uint64_t at_ms = UINT64_MAX;  // UINT64_MAX: no timeout applies
  TimeoutKind kind = TimeoutKind::kNone;
};

// The earliest deadline that applies (write_timeout wins a tie).
Deadline NextDeadline(const ServerOptions& options, const ConnectionTimes& times);

}  // namespace silt::http
