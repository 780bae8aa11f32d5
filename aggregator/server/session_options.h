// SessionOptions: the limits one agent session enforces and announces in its Welcome
// (docs/aggregator-config.md, section agent_listener). Plain data, copied into the listener.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "protocol/frame_format.h"
#include "shared/labels/validation.h"

namespace silt::server {

inline constexpr int64_t kMillisecondNs = 1'000'000;

struct SessionOptions {
  // Frames the aggregator accepts (checked before anything is allocated for a frame).
  protocol::FrameLimits frame_limits;
  // Batches an agent may have sent and not yet seen answered; one more is Nacked (rate_limited).
  uint32_t max_inflight_batches = 8;
  // Longer lines are truncated to this many bytes (counted); 0 = no limit.
  uint32_t max_line_bytes = 256 * 1024;
  // Announced to the agent: send a Heartbeat after this long without sending anything.
  int64_t heartbeat_interval_ns = 30'000 * kMillisecondNs;
  // A session without any frame for this long gets Goodbye("idle timeout") and is closed;
  // 0 = never.
  int64_t idle_timeout_ns = 120'000 * kMillisecondNs;
  // Reading from the agent pauses while the wire bytes of its un-acked batches exceed this.
  size_t max_unacked_bytes = size_t{64} << 20;
  // Label rules applied to every stream of a batch.
  labels::ValidationLimits label_limits;
  // Sent in the Welcome.
  std::string server_version = "unknown";
};

}  // namespace silt::server
