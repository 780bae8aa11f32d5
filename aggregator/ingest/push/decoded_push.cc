#include "aggregator/ingest/push/decoded_push.h"

#include <utility>

namespace silt::ingest {

DecodedPush FinishDecode(DecodedPush push, std::shared_ptr<void> storage) {
  size_t kept = push.rejections.entries();
  for (const DecodedStream& stream : push.streams) {
    if (!stream.refused) kept += stream.entries.size();
  }
  if (kept < push.total_entries) {
    push.rejections.Count(kReasonInvalidEntry, push.total_entries - kept, 0);
  }
  push.storage = std::move(storage);
  return push;
}

}  // namespace silt::ingest
