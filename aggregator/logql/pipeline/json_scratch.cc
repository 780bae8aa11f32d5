// simdjson scratch state (json_scratch.h).
#include "aggregator/logql/pipeline/json_scratch.h"

namespace silt::logql::pipeline {

simdjson::error_code JsonScratch::Iterate(std::string_view line,
                                          simdjson::ondemand::document* doc) {
  buffer_.reserve(line.size() + simdjson::SIMDJSON_PADDING);
  buffer_.assign(line);
  simdjson::padded_string_view input(buffer_.data(), buffer_.size(), buffer_.capacity());
  return parser_.iterate(input).get(*doc);
}

size_t JsonScratch::Offset(const char* location) const {
  if (location < buffer_.data() || location > buffer_.data() + buffer_.size()) return 0;
  return static_cast<size_t>(location - buffer_.data());
}

bool AtEnd(simdjson::ondemand::document* doc) {
  const char* location = nullptr;
  return doc->current_location().get(location) != simdjson::SUCCESS;
}

std::string JsonErrorDetails(std::string_view what, size_t offset, simdjson::error_code error) {
  std::string details(what);
  details += " at byte ";
  details += std::to_string(offset);
  details += ": ";
  details += simdjson::error_message(error);
  return details;
}

simdjson::error_code JsonScalarText(simdjson::ondemand::value value, simdjson::ondemand::json_type type,
                    std::string_view* out) {
  using simdjson::ondemand::json_type;
  switch (type) {
    case json_type::string:
      return value.get_string().get(*out);
    case json_type::number:
    case json_type::boolean: {
      *out = value.raw_json_token();
      while (!out->empty() && (out->back() == ' ' || out->back() == '\t' || out->back() == '\n' ||
                               out->back() == '\r')) {
        out->remove_suffix(1);
      }
      return simdjson::SUCCESS;
    }
    case json_type::null:
      *out = {};
      return simdjson::SUCCESS;
    case json_type::object:
    case json_type::array:
      break;
  }
  return simdjson::INCORRECT_TYPE;
}

}  // namespace silt::logql::pipeline
