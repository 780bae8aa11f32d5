// Fuzz target for the protobuf push decoder (aggregator/ingest/push/loki_proto_decoder.h). Byte 0
// bit 0 set means "compress": bytes 1.. are a serialised PushRequest that the target
// snappy-compresses first, so mutations reach the protobuf parser and the label parser instead
// of stopping at snappy; otherwise bytes 1.. are the body as received. A body is refused whole
// (InvalidArgument or ResourceExhausted) or decoded with every entry either kept or counted as
// refused; the validator must account for every decoded entry and hand the engine only views
// into the decoded request (ASan checks the reads below).
#include <snappy.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "aggregator/ingest/push/loki_proto_decoder.h"
#include "aggregator/ingest/push/push_validator.h"

namespace {

constexpr int64_t kNow = 1'765'000'000'000'000'000;

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1 || size > 256 * 1024) return 0;
  std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((data[0] & 1) != 0) {
    std::string compressed;
    snappy::Compress(body.data(), body.size(), &compressed);
    body = std::move(compressed);
  }
  silt::Result<silt::ingest::DecodedPush> push =
      silt::ingest::DecodeLokiPushProto(body, size_t{1} << 20);
  if (!push.ok()) {
    Check(push.status().code() == silt::StatusCode::kInvalidArgument ||
          push.status().code() == silt::StatusCode::kResourceExhausted);
    Check(!push.status().message().empty());
    return 0;
  }
  size_t decoded = 0;
  for (const silt::ingest::DecodedStream& stream : push->streams) decoded += stream.entries.size();
  Check(decoded + push->rejections.entries() == push->total_entries);
  const size_t before = push->rejections.entries();
  silt::engine::PushRequest request;
  silt::ingest::PushLimits limits;
  limits.reject_old_samples_max_age_ns = 0;
  silt::ingest::ValidatePush(limits, kNow, &*push, &request);
  Check(request.EntryCount() + push->rejections.entries() - before == decoded);
  size_t sum = 0;
  for (const silt::engine::PushStream& stream : request.streams) {
    for (const silt::engine::PushEntry& entry : stream.entries) {
      for (char c : entry.line) sum += static_cast<unsigned char>(c);
      for (const silt::labels::LabelView& pair : entry.metadata) sum += pair.value.size();
    }
  }
  Check(sum != SIZE_MAX);
  return 0;
}
