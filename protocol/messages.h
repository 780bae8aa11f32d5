// The control messages (every frame type except Batch, which has BatchBuilder) as plain structs,
// with one function to encode each into a frame and one to copy a decoded table into a struct.
// Field meanings are documented in protocol/silt.fbs. Control frames are small and rare, so these
// favour convenience (each call builds its own FlatBufferBuilder) over allocation-free speed.
//
// Thread-safety: free functions on caller-owned data; safe to call concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/frame_format.h"
#include "protocol/silt_generated.h"
#include "shared/status/status.h"

namespace silt::protocol {

struct HelloMessage {
  std::string agent_id;
  std::string host;
  std::string agent_version;
  std::string token;
  uint32_t protocol_version = kFrameVersion;
  uint32_t max_wire_bytes = 0;          // 0 = protocol default
  uint32_t max_uncompressed_bytes = 0;  // 0 = protocol default
  bool accepts_lz4 = true;
  int64_t started_at_ns = 0;
};

struct WelcomeMessage {
  uint64_t session_id = 0;
  std::string server_version;
  std::string tenant;
  uint32_t protocol_version = kFrameVersion;
  uint32_t max_wire_bytes = 0;          // 0 = protocol default
  uint32_t max_uncompressed_bytes = 0;  // 0 = protocol default
  uint32_t max_inflight_batches = 0;    // 0 = 1
  uint32_t max_line_bytes = 0;
  uint32_t heartbeat_interval_ms = 0;
  uint32_t idle_timeout_ms = 0;
  bool ordered_sources = false;  // several batches of one source may be in flight
};

struct NackMessage {
  uint64_t batch_id = 0;  // 0 = about the connection, not a batch
  fb::NackCode code = fb::NackCode::internal;
  uint32_t retry_after_ms = 0;
  std::string reason;
};

struct HeartbeatMessage {
  uint64_t sequence = 0;
  int64_t sent_at_ns = 0;
  bool reply = false;
};

struct GoodbyeMessage {
  std::string reason;
  uint32_t reconnect_after_ms = 0;
};

// Each Encode* appends one plain (not lz4) frame to *out. Returns OK, or ResourceExhausted when
// the strings make the payload exceed the default frame limits; *out is unchanged on error.
Status EncodeHello(const HelloMessage& message, std::vector<uint8_t>* out);
Status EncodeWelcome(const WelcomeMessage& message, std::vector<uint8_t>* out);
Status EncodeAck(uint64_t batch_id, std::vector<uint8_t>* out);
Status EncodeNack(const NackMessage& message, std::vector<uint8_t>* out);
Status EncodeHeartbeat(const HeartbeatMessage& message, std::vector<uint8_t>* out);
Status EncodeGoodbye(const GoodbyeMessage& message, std::vector<uint8_t>* out);

// Each Read* copies a verified table (from Frame::AsHello() etc.) into a struct; absent fields
// read as their schema defaults and absent strings as "". Unknown NackCode values (from a newer
// peer) read as fb::NackCode::internal.
HelloMessage ReadHello(const fb::Hello& table);
WelcomeMessage ReadWelcome(const fb::Welcome& table);
NackMessage ReadNack(const fb::Nack& table);
HeartbeatMessage ReadHeartbeat(const fb::Heartbeat& table);
GoodbyeMessage ReadGoodbye(const fb::Goodbye& table);

// The limits a peer announced (0 = protocol default; values over kMaxConfigurableBytes are
// clamped), ready for FrameEncoderOptions::peer_limits.
FrameLimits AnnouncedLimits(const HelloMessage& hello);
FrameLimits AnnouncedLimits(const WelcomeMessage& welcome);

// The NackCode's schema name ("rate_limited"), or "unknown" for a value this build does not know.
std::string_view NackCodeName(fb::NackCode code);

}  // namespace silt::protocol
