// Fuzz target for the JSON push decoders (aggregator/ingest/push/): byte 0 selects the format
// (even: Loki JSON push, odd: POST /api/v1/logs simple JSON), bytes 1.. are the body. Decoding
// must never crash; every entry seen must be either decoded or counted as refused; the validator
// must account for every decoded entry, and every view it hands the engine must point into
// memory the DecodedPush owns (ASan checks the reads below).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "aggregator/ingest/push/loki_json_decoder.h"
#include "aggregator/ingest/push/push_validator.h"
#include "aggregator/ingest/push/simple_logs_decoder.h"

namespace {

constexpr int64_t kNow = 1'765'000'000'000'000'000;

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1 || size > 256 * 1024) return 0;
  std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  silt::ingest::DecodedPush push = (data[0] & 1) == 0
                                       ? silt::ingest::DecodeLokiPushJson(std::move(body))
                                       : silt::ingest::DecodeSimpleLogs(std::move(body), kNow);
  size_t decoded = 0;
  for (const silt::ingest::DecodedStream& stream : push.streams) {
    if (!stream.refused) decoded += stream.entries.size();
  }
  Check(decoded + push.rejections.entries() == push.total_entries);
  Check(push.rejections.messages().size() <= silt::ingest::Rejections::kMaxMessages);
  const size_t before = push.rejections.entries();
  silt::engine::PushRequest request;
  silt::ingest::PushLimits limits;
  limits.reject_old_samples_max_age_ns = 0;
  silt::ingest::ValidatePush(limits, kNow, &push, &request);
  Check(request.EntryCount() + push.rejections.entries() - before == decoded);
  size_t sum = 0;
  for (const silt::engine::PushStream& stream : request.streams) {
    Check(!stream.labels.empty());
    for (const silt::engine::PushEntry& entry : stream.entries) {
      for (char c : entry.line) sum += static_cast<unsigned char>(c);
      for (const silt::labels::LabelView& pair : entry.metadata) sum += pair.name.size();
    }
  }
  Check(sum != SIZE_MAX);
  return 0;
}
