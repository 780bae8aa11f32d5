#include "aggregator/app/loki_push_json.h"

#include <simdjson.h>

#include <algorithm>

#include "shared/time/timestamp.h"

namespace silt::aggregator {
namespace {

namespace dom = simdjson::dom;
namespace ondemand = simdjson::ondemand;

// "line L, column C" of byte `offset` of `input` (1-based).
std::string Position(std::string_view input, size_t offset) {
  offset = std::min(offset, input.size());
  const std::string_view before = input.substr(0, offset);
  const size_t line = static_cast<size_t>(std::count(before.begin(), before.end(), '\n')) + 1;
  const size_t newline = before.rfind('\n');
  const size_t column = newline == std::string_view::npos ? offset + 1 : offset - newline;
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

Status Bad(const std::string& path, const std::string& problem) {
  return Status::InvalidArgument(path + ": " + problem);
}

Result<labels::LabelSet> ReadLabels(dom::element stream, const labels::ValidationLimits& limits) {
  dom::object object;
  if (stream.get_object().get(object) != simdjson::SUCCESS) {
    return Bad("stream", "must be an object of label names to string values, e.g. "
                         "{\"job\":\"api\"}");
  }
  labels::LabelSetBuilder builder;
  for (dom::key_value_pair field : object) {
    std::string_view value;
    if (field.value.get_string().get(value) != simdjson::SUCCESS) {
      return Bad("stream." + std::string(field.key), "label values must be strings");
    }
    builder.Set(field.key, value);
  }
  labels::LabelSet set = builder.Build();
  SILT_RETURN_IF_ERROR(labels::ValidateLabelSet(set, limits));
  return set;
}

Status ReadMetadata(dom::element element, const std::string& path, PushJsonEntry* entry) {
  dom::object object;
  if (element.get_object().get(object) != simdjson::SUCCESS) {
    return Bad(path, "structured metadata must be an object of string values");
  }
  for (dom::key_value_pair field : object) {
    std::string_view value;
    if (field.value.get_string().get(value) != simdjson::SUCCESS) {
      return Bad(path + "." + std::string(field.key), "metadata values must be strings");
    }
    SILT_RETURN_IF_ERROR(labels::ValidateLabelName(field.key, /*allow_reserved=*/false));
    entry->metadata.push_back({std::string(field.key), std::string(value)});
  }
  return Status::Ok();
}

Result<PushJsonEntry> ReadEntry(dom::element value, const std::string& path) {
  dom::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS || array.size() < 2 ||
      array.size() > 3) {
    return Bad(path, "must be [\"<ns timestamp>\", \"<line>\"] or [ts, line, {metadata}]");
  }
  std::string_view ts;
  if (array.at(0).get_string().get(ts) != simdjson::SUCCESS) {
    return Bad(path + "[0]", "the timestamp must be a string of nanoseconds, e.g. "
                             "\"1700000000000000000\"");
  }
  PushJsonEntry entry;
  Result<int64_t> parsed = time::ParseUnix(ts, time::UnixUnit::kNanos);
  if (!parsed.ok() || ts.find_first_not_of("0123456789") != std::string_view::npos) {
    return Bad(path + "[0]", "timestamp '" + std::string(ts) +
                                 "' is not a non-negative integer of nanoseconds since the epoch");
  }
  entry.timestamp = *parsed;
  std::string_view line;
  if (array.at(1).get_string().get(line) != simdjson::SUCCESS) {
    return Bad(path + "[1]", "the log line must be a string");
  }
  entry.line = std::string(line);
  if (array.size() == 3) {
    SILT_RETURN_IF_ERROR(ReadMetadata(array.at(2).value(), path + "[2]", &entry));
  }
  return entry;
}

Result<PushJsonStream> ReadStream(dom::element element, const labels::ValidationLimits& limits) {
  PushJsonStream stream;
  dom::element labels_element;
  if (element["stream"].get(labels_element) != simdjson::SUCCESS) {
    return Bad("stream", "missing; every stream needs \"stream\":{labels}");
  }
  SILT_ASSIGN_OR_RETURN(stream.labels, ReadLabels(labels_element, limits));
  dom::array values;
  if (element["values"].get_array().get(values) != simdjson::SUCCESS) {
    return Bad("values", "missing or not an array of [timestamp, line] pairs");
  }
  size_t index = 0;
  for (dom::element value : values) {
    SILT_ASSIGN_OR_RETURN(PushJsonEntry entry,
                          ReadEntry(value, "values[" + std::to_string(index++) + "]"));
    stream.entries.push_back(std::move(entry));
  }
  return stream;
}

// Reads one element of "streams" (its raw text) into `body`.
void ReadElement(std::string_view input, std::string_view raw, size_t index,
                 const labels::ValidationLimits& limits, dom::parser* parser,
                 PushJsonBody* body) {
  const std::string where = "streams[" + std::to_string(index) + "] at " +
                            Position(input, static_cast<size_t>(raw.data() - input.data()));
  dom::element element;
  if (auto error = parser->parse(raw.data(), raw.size(), true).get(element)) {
    body->problems.push_back(where + ": " + simdjson::error_message(error));
    return;
  }
  Result<PushJsonStream> stream = ReadStream(element, limits);
  if (!stream.ok()) {
    body->problems.push_back(where + ": " + std::string(stream.status().message()) +
                             "; the stream was skipped");
    return;
  }
  body->streams.push_back(std::move(*stream));
}

}  // namespace

PushJsonBody ParseLokiPushJson(std::string_view input, const labels::ValidationLimits& limits) {
  PushJsonBody body;
  simdjson::padded_string padded(input);
  const std::string_view text(padded.data(), padded.size());
  ondemand::parser parser;
  ondemand::document doc;
  if (auto error = parser.iterate(padded).get(doc)) {
    body.problems.push_back(std::string("the input is not valid JSON: ") +
                            simdjson::error_message(error));
    return body;
  }
  ondemand::array streams;
  if (auto error = doc["streams"].get_array().get(streams)) {
    const char* at = nullptr;
    std::string where = doc.current_location().get(at) == simdjson::SUCCESS
                            ? Position(text, static_cast<size_t>(at - padded.data())) + ": "
                            : "";
    body.problems.push_back(where + "expected {\"streams\":[...]} (" +
                            simdjson::error_message(error) + ")");
    return body;
  }
  dom::parser element_parser;
  size_t index = 0;
  for (auto item : streams) {
    ondemand::object object;
    std::string_view raw;
    if (item.get_object().get(object) != simdjson::SUCCESS ||
        object.raw_json().get(raw) != simdjson::SUCCESS) {
      const char* at = nullptr;
      std::string where = doc.current_location().get(at) == simdjson::SUCCESS
                              ? " near " + Position(text, static_cast<size_t>(at - padded.data()))
                              : "";
      body.problems.push_back("streams[" + std::to_string(index) + "]" + where +
                              ": not a JSON object or a syntax error; reading stopped there");
      return body;
    }
    ReadElement(text, raw, index++, limits, &element_parser, &body);
  }
  return body;
}

}  // namespace silt::aggregator
