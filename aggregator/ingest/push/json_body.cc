#include "aggregator/ingest/push/json_body.h"

#include "shared/labels/utf8.h"

namespace silt::ingest {

simdjson::error_code JsonBody::Iterate(simdjson::ondemand::document* doc) {
  while (true) {
    input.reserve(input.size() + simdjson::SIMDJSON_PADDING);
    const simdjson::error_code error =
        parser.iterate(simdjson::padded_string_view(input.data(), input.size(), input.capacity()))
            .get(*doc);
    if (error != simdjson::UTF8_ERROR || repaired) return error;
    input = labels::ReplaceInvalidUtf8(input);
    repaired = true;
  }
}

bool JsonBody::CheckEnd(const ClosedJson& closed, simdjson::ondemand::document& doc,
                        const std::function<std::string(size_t)>& position, std::string_view kept,
                        Rejections* rejections) const {
  size_t trailing_at = closed.trailing_at;
  const char* unread = nullptr;
  if (trailing_at == std::string::npos && !closed.closed &&
      doc.current_location().get(unread) == simdjson::SUCCESS) {
    trailing_at = static_cast<size_t>(unread - input.data());
  }
  if (trailing_at != std::string::npos) {
    rejections->AddProblem("trailing content after the JSON body at " + position(trailing_at) +
                           "; the " + std::string(kept) + " before it were kept");
    return false;
  }
  if (closed.closed) {
    rejections->AddProblem("the body ends early, at " + position(closed.original_size) +
                           " (truncated, or a Content-Length that lies); the complete " +
                           std::string(kept) + " before that were kept");
    return false;
  }
  return true;
}

}  // namespace silt::ingest
