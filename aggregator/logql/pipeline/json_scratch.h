// JsonScratch: the simdjson On-Demand parser and padded input buffer of one StreamPipeline,
// shared by the `json` and `unpack` stages. simdjson needs SIMDJSON_PADDING readable bytes after
// the input; the line is copied into a buffer whose capacity is reused from entry to entry.
//
// Thread-safety: not thread-safe; owned by one StageScratch.
#pragma once

#include <simdjson.h>

#include <string>
#include <utility>
#include <string_view>

namespace silt::logql::pipeline {

class JsonScratch {
 public:
  // Starts parsing `line`; views into the result stay valid until the next Iterate.
  simdjson::error_code Iterate(std::string_view line, simdjson::ondemand::document* doc);
  // The byte offset (0-based) of `location` inside the last input, or 0 when out of range.
  size_t Offset(const char* location) const;

 private:
  simdjson::ondemand::parser parser_;
  std::string buffer_;
};

// `__error_details__` when the line is not a JSON object.
inline constexpr std::string_view kNotAnObject = "invalid JSON: the line is not a JSON object";

// True when the document has no token left (simdjson 3.0 has no document::at_end()).
bool AtEnd(simdjson::ondemand::document* doc);

// The `__error_details__` text for a JSON failure: "<what> at byte <offset>: <simdjson message>".
std::string JsonErrorDetails(std::string_view what, size_t offset, simdjson::error_code error);

// The text of a scalar value as a label: strings unescaped, numbers and booleans as written,
// null as "". INCORRECT_TYPE for objects and arrays; simdjson's error for a bad string.
simdjson::error_code JsonScalarText(simdjson::ondemand::value value, simdjson::ondemand::json_type type,
                    std::string_view* out);

}  // namespace silt::logql::pipeline
