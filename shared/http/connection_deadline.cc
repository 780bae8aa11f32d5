#include "shared/http/connection_deadline.h"

namespace silt::http {
namespace {

uint64_t ToMillis(int64_t nanos) { return static_cast<uint64_t>((nanos + 999'999) / 1'000'000); }

void Consider(uint64_t at_ms, TimeoutKind kind, Deadline* deadline) {
  if (at_ms < deadline->at_ms) *deadline = Deadline{at_ms, kind};
}

}  // namespace

Deadline NextDeadline(const ServerOptions& options, const ConnectionTimes& t) {
  Deadline deadline;
  if (t.writes_pending) {
    Consider(t.last_write_ms + ToMillis(options.write_timeout), TimeoutKind::kWrite, &deadline);
  }
  if (!t.open) return deadline;
  if (t.websocket) {
    Consider(t.websocket_due_ms, TimeoutKind::kWebSocket, &deadline);
    return deadline;
  }
  if (t.waiting) return deadline;
  switch (t.phase) {
    case RequestParser::Phase::kIdle:
      if (!t.input_buffered) {
        const int64_t idle =
            t.requests_served == 0 ? options.header_timeout : options.keep_alive_timeout;
        Consider(t.idle_since_ms + ToMillis(idle), TimeoutKind::kIdle, &deadline);
      }
      break;
    case RequestParser::Phase::kHeaders:
      Consider(t.request_started_ms + ToMillis(options.header_timeout), TimeoutKind::kHeaders,
               &deadline);
      break;
    case RequestParser::Phase::kBody:
      Consider(t.last_read_ms + ToMillis(options.read_timeout), TimeoutKind::kBody, &deadline);
      break;
    case RequestParser::Phase::kComplete:
    case RequestParser::Phase::kFailed:
      break;
  }
  return deadline;
}

}  // namespace silt::http
