// BatchRequest: one verified Batch frame (protocol/silt.fbs) turned into the engine's
// PushRequest for a session's tenant and agent, after the checks the engine leaves to its
// callers: a non-zero batch id, sources with non-zero ids and ordered offsets (each id once),
// entries that point at a listed source and end inside its range, stream labels sorted, unique
// and valid (shared/labels/validation.h), structured metadata names valid. Lines longer than
// max_line_bytes are truncated (counted in lines_truncated).
//
// The request holds views into the frame's payload: it is valid only while that Frame is (until
// the decoder's next Next()/Feed()), which is enough for StorageEngine::Push, as Push copies what
// it keeps. Thread-safety: a value used by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "aggregator/engine/push_request.h"
#include "protocol/silt_generated.h"
#include "shared/labels/label_set.h"
#include "shared/labels/validation.h"
#include "shared/status/status.h"

namespace silt::server {

struct BatchLimits {
  uint32_t max_line_bytes = 0;  // 0 = no limit
  labels::ValidationLimits label_limits;
};

class BatchRequest {
 public:
  BatchRequest() = default;
  BatchRequest(const BatchRequest&) = delete;
  BatchRequest& operator=(const BatchRequest&) = delete;

  // Fills this request from `batch` (the verified root table of a Batch frame). OK, or
  // InvalidArgument naming the batch, the stream or entry, and the rule it breaks; the request
  // is then unusable.
  Status Build(const protocol::fb::Batch& batch, const std::string& tenant,
               const std::string& agent_id, const BatchLimits& limits);

  uint64_t batch_id() const { return batch_id_; }
  // The request to push; moved out by the caller (the views stay valid as described above).
  engine::PushRequest& request() { return request_; }
  size_t entries() const { return entries_; }
  size_t lines_truncated() const { return lines_truncated_; }

 private:
  Status BuildSources(const protocol::fb::Batch& batch);
  Status BuildStream(const protocol::fb::Stream& stream, size_t index, const BatchLimits& limits);
  Status BuildEntry(const protocol::fb::Entry& entry, const labels::LabelSet& labels,
                    const BatchLimits& limits, engine::PushEntry* out);

  uint64_t batch_id_ = 0;
  engine::PushRequest request_;
  // Structured metadata of every entry, reserved up front so the entries' spans stay valid.
  std::vector<labels::LabelView> metadata_;
  std::vector<labels::LabelView> label_scratch_;
  size_t entries_ = 0;
  size_t lines_truncated_ = 0;
};

}  // namespace silt::server
