#include "protocol/messages.h"

#include <algorithm>

#include "protocol/frame_encoder.h"

namespace silt::protocol {
namespace {

constexpr size_t kControlBuilderBytes = 256;

Status Append(FrameType type, const flatbuffers::FlatBufferBuilder& builder,
              std::vector<uint8_t>* out) {
  FrameEncoderOptions options;
  options.lz4 = false;
  return FrameEncoder(options).Encode(
      type, std::span<const uint8_t>(builder.GetBufferPointer(), builder.GetSize()), out);
}

std::string Copy(const flatbuffers::String* s) { return s ? s->str() : std::string(); }

uint32_t OrDefault(uint32_t announced, uint32_t fallback) {
  if (announced == 0) return fallback;
  return std::min(announced, kMaxConfigurableBytes);
}

FrameLimits Limits(uint32_t max_wire_bytes, uint32_t max_uncompressed_bytes) {
  FrameLimits limits;
  limits.max_wire_bytes = OrDefault(max_wire_bytes, kDefaultMaxWireBytes);
  limits.max_uncompressed_bytes = OrDefault(max_uncompressed_bytes, kDefaultMaxUncompressedBytes);
  return limits;
}

}  // namespace

Status EncodeHello(const HelloMessage& m, std::vector<uint8_t>* out) {
  flatbuffers::FlatBufferBuilder b(kControlBuilderBytes + m.token.size());
  auto agent_id = b.CreateString(m.agent_id);
  auto host = b.CreateString(m.host);
  auto agent_version = b.CreateString(m.agent_version);
  auto token = b.CreateString(m.token);
  b.Finish(fb::CreateHello(b, agent_id, host, agent_version, token, m.protocol_version,
                           m.max_wire_bytes, m.max_uncompressed_bytes, m.accepts_lz4,
                           m.started_at_ns));
  return Append(FrameType::kHello, b, out);
}

Status EncodeWelcome(const WelcomeMessage& m, std::vector<uint8_t>* out) {
  flatbuffers::FlatBufferBuilder b(kControlBuilderBytes);
  auto server_version = b.CreateString(m.server_version);
  auto tenant = b.CreateString(m.tenant);
  b.Finish(fb::CreateWelcome(b, m.session_id, server_version, tenant, m.protocol_version,
                             m.max_wire_bytes, m.max_uncompressed_bytes, m.max_inflight_batches,
                             m.max_line_bytes, m.heartbeat_interval_ms, m.idle_timeout_ms,
                             m.ordered_sources));
  return Append(FrameType::kWelcome, b, out);
}

Status EncodeAck(uint64_t batch_id, std::vector<uint8_t>* out) {
  flatbuffers::FlatBufferBuilder b(64);
  b.Finish(fb::CreateAck(b, batch_id));
  return Append(FrameType::kAck, b, out);
}

Status EncodeNack(const NackMessage& m, std::vector<uint8_t>* out) {
  flatbuffers::FlatBufferBuilder b(kControlBuilderBytes + m.reason.size());
  auto reason = b.CreateString(m.reason);
  b.Finish(fb::CreateNack(b, m.batch_id, m.code, m.retry_after_ms, reason));
  return Append(FrameType::kNack, b, out);
}

Status EncodeHeartbeat(const HeartbeatMessage& m, std::vector<uint8_t>* out) {
  flatbuffers::FlatBufferBuilder b(64);
  b.Finish(fb::CreateHeartbeat(b, m.sequence, m.sent_at_ns, m.reply));
  return Append(FrameType::kHeartbeat, b, out);
}

Status EncodeGoodbye(const GoodbyeMessage& m, std::vector<uint8_t>* out) {
  flatbuffers::FlatBufferBuilder b(kControlBuilderBytes + m.reason.size());
  auto reason = b.CreateString(m.reason);
  b.Finish(fb::CreateGoodbye(b, reason, m.reconnect_after_ms));
  return Append(FrameType::kGoodbye, b, out);
}

HelloMessage ReadHello(const fb::Hello& t) {
  HelloMessage m;
  m.agent_id = Copy(t.agent_id());
  m.host = Copy(t.host());
  m.agent_version = Copy(t.agent_version());
  m.token = Copy(t.token());
  m.protocol_version = t.protocol_version();
  m.max_wire_bytes = t.max_wire_bytes();
  m.max_uncompressed_bytes = t.max_uncompressed_bytes();
  m.accepts_lz4 = t.accepts_lz4();
  m.started_at_ns = t.started_at_ns();
  return m;
}

WelcomeMessage ReadWelcome(const fb::Welcome& t) {
  WelcomeMessage m;
  m.session_id = t.session_id();
  m.server_version = Copy(t.server_version());
  m.tenant = Copy(t.tenant());
  m.protocol_version = t.protocol_version();
  m.max_wire_bytes = t.max_wire_bytes();
  m.max_uncompressed_bytes = t.max_uncompressed_bytes();
  m.max_inflight_batches = t.max_inflight_batches();
  m.max_line_bytes = t.max_line_bytes();
  m.heartbeat_interval_ms = t.heartbeat_interval_ms();
  m.idle_timeout_ms = t.idle_timeout_ms();
  m.ordered_sources = t.ordered_sources();
  return m;
}

NackMessage ReadNack(const fb::Nack& t) {
  NackMessage m;
  m.batch_id = t.batch_id();
  m.code = t.code() <= fb::NackCode::MAX ? t.code() : fb::NackCode::internal;
  m.retry_after_ms = t.retry_after_ms();
  m.reason = Copy(t.reason());
  return m;
}

HeartbeatMessage ReadHeartbeat(const fb::Heartbeat& t) {
  return HeartbeatMessage{t.sequence(), t.sent_at_ns(), t.reply()};
}

GoodbyeMessage ReadGoodbye(const fb::Goodbye& t) {
  return GoodbyeMessage{Copy(t.reason()), t.reconnect_after_ms()};
}

FrameLimits AnnouncedLimits(const HelloMessage& hello) {
  return Limits(hello.max_wire_bytes, hello.max_uncompressed_bytes);
}

FrameLimits AnnouncedLimits(const WelcomeMessage& welcome) {
  return Limits(welcome.max_wire_bytes, welcome.max_uncompressed_bytes);
}

std::string_view NackCodeName(fb::NackCode code) {
  if (code > fb::NackCode::MAX) return "unknown";
  return fb::EnumNameNackCode(code);
}

}  // namespace silt::protocol
