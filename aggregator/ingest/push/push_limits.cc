#include "aggregator/ingest/push/push_limits.h"

#include <string>

namespace silt::ingest {

Status ValidatePushLimits(const PushLimits& limits) {
  auto bad = [](const char* field, const std::string& rule) {
    return Status::InvalidArgument("limits." + std::string(field) + ": " + rule);
  };
  if (limits.reject_old_samples_max_age_ns < 0) {
    return bad("reject_old_samples_max_age", "must not be negative (0 turns the check off)");
  }
  if (limits.creation_grace_period_ns < 0) {
    return bad("creation_grace_period", "must not be negative");
  }
  if (limits.labels.allow_reserved) {
    return bad("labels", "reserved (__) label names cannot be allowed for clients");
  }
  return Status::Ok();
}

}  // namespace silt::ingest
