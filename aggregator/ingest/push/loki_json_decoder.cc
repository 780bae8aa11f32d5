#include "aggregator/ingest/push/loki_json_decoder.h"

#include <simdjson.h>

#include <algorithm>
#include <utility>

#include "aggregator/ingest/push/json_body.h"
#include "aggregator/ingest/push/truncated_json.h"
#include "shared/time/timestamp.h"

namespace silt::ingest {
namespace {

namespace ondemand = simdjson::ondemand;

// Turns byte offsets into "line L, column C" (1-based), moving forward only, so positions of
// streams in input order cost one pass over the input in total.
class PositionTracker {
 public:
  explicit PositionTracker(std::string_view text) : text_(text) {}

  std::string At(size_t offset) {
    offset = std::min(offset, text_.size());
    if (offset < offset_) Reset();
    for (; offset_ < offset; ++offset_) {
      if (text_[offset_] == '\n') {
        ++line_;
        line_start_ = offset_ + 1;
      }
    }
    return "line " + std::to_string(line_) + ", column " + std::to_string(offset - line_start_ + 1);
  }

 private:
  void Reset() { offset_ = line_start_ = 0, line_ = 1; }

  std::string_view text_;
  size_t offset_ = 0;
  size_t line_ = 1;
  size_t line_start_ = 0;
};

bool IsTypeError(simdjson::error_code error) { return error == simdjson::INCORRECT_TYPE; }

class JsonPushReader {
 public:
  JsonPushReader(const JsonBody& body, DecodedPush* out, const ClosedJson& closed)
      : body_(body), text_(body.input), positions_(text_), out_(out), closed_(closed) {}

  // True when Read found the document cut short before reading anything (nothing recorded):
  // the caller closes the brackets and reads again.
  bool cut_short() const { return cut_short_; }

  // Reads the whole document; false when reading stopped early (the problem is recorded).
  bool Read(ondemand::document& doc);

 private:
  // Each returns false after a syntax error (recorded), which ends reading.
  bool ReadStream(ondemand::value item, size_t index);
  bool ReadLabels(ondemand::value value, DecodedStream* stream, std::string* problem);
  bool ReadValues(ondemand::value value, DecodedStream* stream, std::string* problem);
  bool ReadEntry(ondemand::value value, size_t index, DecodedStream* stream);
  bool ReadMetadata(ondemand::value value, DecodedEntry* entry, std::string* problem);
  bool Syntax(simdjson::error_code error, const std::string& where);
  size_t Offset(ondemand::value& value) {
    return static_cast<size_t>(value.raw_json_token().data() - text_.data());
  }

  const JsonBody& body_;
  std::string_view text_;
  PositionTracker positions_;
  DecodedPush* out_;
  ClosedJson closed_;
  bool cut_short_ = false;
  ondemand::document* doc_ = nullptr;
};

bool JsonPushReader::Syntax(simdjson::error_code error, const std::string& where) {
  const char* at = nullptr;
  std::string position;
  if (doc_->current_location().get(at) == simdjson::SUCCESS) {
    position = " near " + positions_.At(static_cast<size_t>(at - text_.data()));
  }
  out_->rejections.AddProblem(where + position + ": " + simdjson::error_message(error) +
                              "; reading stopped there, the streams before it were kept");
  return false;
}

bool JsonPushReader::Read(ondemand::document& doc) {
  doc_ = &doc;
  ondemand::object root;
  if (auto error = doc.get_object().get(root)) {
    if (error == simdjson::INCOMPLETE_ARRAY_OR_OBJECT && !closed_.closed &&
        closed_.trailing_at == std::string::npos) {
      cut_short_ = true;
      return false;
    }
    out_->rejections.AddProblem(std::string("expected {\"streams\":[...]}: ") +
                                simdjson::error_message(error));
    return false;
  }
  ondemand::array streams;
  bool found = false;
  for (auto field_result : root) {
    ondemand::field field;
    std::string_view key;
    if (auto error = std::move(field_result).get(field)) return Syntax(error, "the body");
    if (auto error = field.unescaped_key().get(key)) return Syntax(error, "the body");
    if (key != "streams") continue;
    if (auto error = field.value().get_array().get(streams)) {
      if (!IsTypeError(error)) return Syntax(error, "streams");
      out_->rejections.AddProblem(
          "\"streams\" must be an array of {\"stream\":{...},"
          "\"values\":[...]} objects");
      return false;
    }
    found = true;
    size_t index = 0;
    for (auto item : streams) {
      ondemand::value value;
      if (auto error = item.get(value))
        return Syntax(error, "streams[" + std::to_string(index) + "]");
      if (!ReadStream(value, index++)) return false;
    }
  }
  if (!found) {
    out_->rejections.AddProblem("expected {\"streams\":[...]}: no \"streams\" key");
    return false;
  }
  return body_.CheckEnd(
      closed_, doc, [this](size_t offset) { return positions_.At(offset); }, "streams",
      &out_->rejections);
}

bool JsonPushReader::ReadStream(ondemand::value item, size_t index) {
  DecodedStream stream;
  const size_t offset = Offset(item);
  stream.where = "streams[" + std::to_string(index) + "] at " + positions_.At(offset);
  ondemand::object object;
  if (auto error = item.get_object().get(object)) {
    if (!IsTypeError(error)) return Syntax(error, stream.where);
    out_->rejections.AddProblem(stream.where +
                                ": must be an object {\"stream\":{...},"
                                "\"values\":[...]}; the stream was skipped");
    return true;
  }
  std::string problem;
  bool has_labels = false;
  bool has_values = false;
  for (auto field_result : object) {
    ondemand::field field;
    std::string_view key;
    if (auto error = std::move(field_result).get(field)) return Syntax(error, stream.where);
    if (auto error = field.unescaped_key().get(key)) return Syntax(error, stream.where);
    if (key == "stream") {
      has_labels = true;
      if (!ReadLabels(field.value(), &stream, &problem)) return false;
    } else if (key == "values") {
      has_values = true;
      if (!ReadValues(field.value(), &stream, &problem)) return false;
    }
  }
  if (offset == closed_.cut_element) {
    out_->rejections.AddProblem(stream.where +
                                ": the body ends inside this stream; the stream was skipped");
    return true;
  }
  if (!has_labels && problem.empty()) {
    problem = "stream: missing; every stream needs \"stream\":{labels}";
  }
  if (!has_values && problem.empty()) {
    problem = "values: missing; every stream needs \"values\":[[\"<ns timestamp>\", \"<line>\"]]";
  }
  if (!problem.empty()) {
    size_t bytes = 0;
    for (const DecodedEntry& entry : stream.entries) bytes += entry.line.size();
    std::string_view reason = has_labels ? kReasonInvalidLabels : kReasonMissingLabels;
    out_->rejections.Add(reason, stream.entries.size(), bytes,
                         stream.where + ": " + problem + "; the stream was skipped");
    stream.refused = true;
    stream.had_problem = true;
  }
  out_->streams.push_back(std::move(stream));
  return true;
}

bool JsonPushReader::ReadLabels(ondemand::value value, DecodedStream* stream,
                                std::string* problem) {
  ondemand::object object;
  if (auto error = value.get_object().get(object)) {
    if (!IsTypeError(error)) return Syntax(error, stream->where);
    if (problem->empty()) {
      *problem =
          "stream: must be an object of label names to string values, e.g. "
          "{\"job\":\"api\"}";
    }
    return true;
  }
  labels::LabelSetBuilder builder;
  for (auto field_result : object) {
    ondemand::field field;
    std::string_view key;
    std::string_view label_value;
    if (auto error = std::move(field_result).get(field)) return Syntax(error, stream->where);
    if (auto error = field.unescaped_key().get(key)) return Syntax(error, stream->where);
    std::string name(key);  // the value below may reuse the parser's buffer position
    if (auto error = field.value().get_string().get(label_value)) {
      if (!IsTypeError(error)) return Syntax(error, stream->where);
      if (problem->empty()) *problem = "stream." + name + ": label values must be strings";
      continue;
    }
    builder.Set(name, label_value);
  }
  stream->labels = builder.Build();
  return true;
}

bool JsonPushReader::ReadValues(ondemand::value value, DecodedStream* stream,
                                std::string* problem) {
  ondemand::array values;
  if (auto error = value.get_array().get(values)) {
    if (!IsTypeError(error)) return Syntax(error, stream->where);
    if (problem->empty()) *problem = "values: must be an array of [timestamp, line] pairs";
    return true;
  }
  size_t index = 0;
  for (auto item : values) {
    ondemand::value entry;
    if (auto error = item.get(entry)) return Syntax(error, stream->where);
    if (!ReadEntry(entry, index++, stream)) return false;
  }
  return true;
}

// Reads the timestamp string; false with `problem` set when it is not one.
bool ReadTimestamp(ondemand::value value, int64_t* out, std::string* problem) {
  std::string_view ts;
  if (value.get_string().get(ts) != simdjson::SUCCESS) {
    *problem = "[0]: the timestamp must be a string of nanoseconds, e.g. \"1700000000000000000\"";
    return false;
  }
  Result<int64_t> parsed = time::ParseUnix(ts, time::UnixUnit::kNanos);
  if (!parsed.ok() || ts.find_first_not_of("0123456789") != std::string_view::npos) {
    *problem = "[0]: timestamp '" + std::string(ts.substr(0, 64)) +
               "' is not a non-negative integer of nanoseconds since the epoch";
    return false;
  }
  *out = *parsed;
  return true;
}

bool JsonPushReader::ReadEntry(ondemand::value value, size_t index, DecodedStream* stream) {
  ++out_->total_entries;
  const std::string path = "values[" + std::to_string(index) + "]";
  std::string problem;
  ondemand::array array;
  DecodedEntry entry;
  size_t count = 0;
  if (auto error = value.get_array().get(array)) {
    if (!IsTypeError(error)) return Syntax(error, stream->where + ": " + path);
    problem = ": must be [\"<ns timestamp>\", \"<line>\"] or [ts, line, {metadata}]";
  } else {
    for (auto item : array) {
      ondemand::value element;
      if (auto error = item.get(element)) return Syntax(error, stream->where + ": " + path);
      if (!problem.empty()) {
        ++count;
        continue;
      }
      if (count == 0) {
        ReadTimestamp(element, &entry.timestamp, &problem);
      } else if (count == 1) {
        if (auto error = element.get_string().get(entry.line)) {
          problem = IsTypeError(error) ? "[1]: the log line must be a string"
                                       : std::string(
                                             "[1]: the log line is not a valid JSON "
                                             "string: ") +
                                             simdjson::error_message(error);
        }
      } else if (count == 2) {
        if (!ReadMetadata(element, &entry, &problem)) return false;
      }
      ++count;
    }
    if (problem.empty() && (count < 2 || count > 3)) {
      problem = ": must be [\"<ns timestamp>\", \"<line>\"] or [ts, line, {metadata}], not " +
                std::to_string(count) + " elements";
    }
  }
  if (!problem.empty()) {
    stream->had_problem = true;
    out_->rejections.Add(
        kReasonInvalidEntry, 1, entry.line.size(),
        out_->rejections.WantsMessage() ? stream->where + ": " + path + problem : std::string());
    return true;
  }
  stream->entries.push_back(entry);
  return true;
}

bool JsonPushReader::ReadMetadata(ondemand::value value, DecodedEntry* entry,
                                  std::string* problem) {
  ondemand::object object;
  if (auto error = value.get_object().get(object)) {
    if (!IsTypeError(error)) return Syntax(error, "structured metadata");
    *problem = "[2]: structured metadata must be an object of string values";
    return true;
  }
  entry->metadata_begin = static_cast<uint32_t>(out_->metadata.size());
  for (auto field_result : object) {
    ondemand::field field;
    std::string_view key;
    std::string_view meta_value;
    if (auto error = std::move(field_result).get(field))
      return Syntax(error, "structured metadata");
    if (auto error = field.unescaped_key().get(key)) return Syntax(error, "structured metadata");
    if (auto error = field.value().get_string().get(meta_value)) {
      if (!IsTypeError(error)) return Syntax(error, "structured metadata");
      if (problem->empty()) {
        *problem = "[2]." + std::string(key) + ": metadata values must be strings";
      }
      continue;
    }
    out_->metadata.push_back({key, meta_value});
  }
  entry->metadata_count = static_cast<uint32_t>(out_->metadata.size() - entry->metadata_begin);
  return true;
}

}  // namespace

DecodedPush DecodeLokiPushJson(std::string body) {
  DecodedPush out;
  auto json = std::make_shared<JsonBody>();
  json->input = std::move(body);
  ClosedJson closed;
  while (true) {
    ondemand::document doc;
    if (auto error = json->Iterate(&doc)) {
      out.rejections.AddProblem(std::string("the body is not valid JSON: ") +
                                simdjson::error_message(error));
      break;
    }
    JsonPushReader reader(*json, &out, closed);
    reader.Read(doc);
    if (reader.cut_short()) {
      // Depth 3: {root} [streams] {stream}.
      closed = CloseTruncatedJson(&json->input, 3);
      if (closed.closed || closed.trailing_at != std::string::npos) continue;
      out.rejections.AddProblem(
          "the body is not valid JSON: it ends in the middle of an object "
          "or array");
    }
    break;
  }
  return FinishDecode(std::move(out), std::move(json));
}

}  // namespace silt::ingest
