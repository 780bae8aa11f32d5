#include "aggregator/server/nack_policy.h"

#include <string>

namespace silt::server {
namespace {

bool Mentions(const Status& status, std::string_view text) {
  return status.message().find(text) != std::string_view::npos;
}

}  // namespace

protocol::NackMessage NackForPushError(uint64_t batch_id, const Status& status) {
  protocol::NackMessage nack;
  nack.batch_id = batch_id;
  nack.reason = std::string(status.message());
  using protocol::fb::NackCode;
  switch (status.code()) {
    case StatusCode::kResourceExhausted:
      if (Mentions(status, "disk full") || Mentions(status, "No space left")) {
        nack.code = NackCode::disk_full;
        nack.retry_after_ms = kRetryDiskFullMs;
      } else {
        nack.code = NackCode::wal_full;
        nack.retry_after_ms = kRetryWalFullMs;
      }
      break;
    case StatusCode::kUnavailable:
      nack.code = NackCode::internal;
      nack.retry_after_ms = kRetryInFlightMs;
      break;
    case StatusCode::kIOError:
      nack.code = Mentions(status, "No space left") ? NackCode::disk_full : NackCode::internal;
      nack.retry_after_ms = kRetryWalStoppedMs;
      break;
    case StatusCode::kInvalidArgument:
      nack.code = Mentions(status, "larger than") ? NackCode::too_large : NackCode::malformed;
      nack.retry_after_ms = 0;
      break;
    default:
      nack.code = NackCode::internal;
      nack.retry_after_ms = kRetryInternalMs;
      break;
  }
  return nack;
}

}  // namespace silt::server
