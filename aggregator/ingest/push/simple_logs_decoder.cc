#include "aggregator/ingest/push/simple_logs_decoder.h"

#include <simdjson.h>

#include <unordered_map>
#include <utility>

#include "aggregator/ingest/push/json_body.h"
#include "aggregator/ingest/push/truncated_json.h"
#include "shared/time/timestamp.h"

namespace silt::ingest {
namespace {

namespace ondemand = simdjson::ondemand;

bool IsTypeError(simdjson::error_code error) { return error == simdjson::INCORRECT_TYPE; }

class SimpleLogsReader {
 public:
  SimpleLogsReader(int64_t now, std::string_view text, size_t cut_element, DecodedPush* out)
      : now_(now), text_(text), cut_element_(cut_element), out_(out) {}

  // Reads one entry object; false after a syntax error (recorded).
  bool ReadEntry(ondemand::value value, const std::string& where);

 private:
  bool Syntax(simdjson::error_code error, const std::string& where) {
    out_->rejections.AddProblem(where + ": " + simdjson::error_message(error) +
                                "; reading stopped there, the entries before it were kept");
    return false;
  }
  // Reads "labels"; false after a syntax error. `problem` gets a shape problem.
  bool ReadLabels(ondemand::value value, const std::string& where, labels::LabelSet* out,
                  std::string* problem);
  bool ReadTimestamp(ondemand::value value, const std::string& where, int64_t* out,
                     std::string* problem);
  void Add(labels::LabelSet labels, DecodedEntry entry);

  int64_t now_;
  std::string_view text_;
  size_t cut_element_;  // offset of the entry the end of a truncated body cut, or npos
  DecodedPush* out_;
  std::unordered_map<std::string, size_t> stream_index_;
};

bool SimpleLogsReader::ReadEntry(ondemand::value value, const std::string& where) {
  ++out_->total_entries;
  if (static_cast<size_t>(value.raw_json_token().data() - text_.data()) == cut_element_) {
    out_->rejections.AddProblem(where + ": the body ends inside this entry; it was skipped");
    return false;
  }
  ondemand::object object;
  if (auto error = value.get_object().get(object)) {
    if (!IsTypeError(error)) return Syntax(error, where);
    out_->rejections.Add(kReasonInvalidEntry, 1, 0,
                         where +
                             ": must be an object {\"timestamp\":..., \"message\":\"...\", "
                             "\"labels\":{...}}");
    return true;
  }
  DecodedEntry entry;
  entry.timestamp = now_;
  labels::LabelSet labels;
  bool has_message = false;
  bool has_labels = false;
  std::string problem;
  for (auto field_result : object) {
    ondemand::field field;
    std::string_view key;
    if (auto error = std::move(field_result).get(field)) return Syntax(error, where);
    if (auto error = field.unescaped_key().get(key)) return Syntax(error, where);
    if (key == "message") {
      if (auto error = field.value().get_string().get(entry.line)) {
        if (!IsTypeError(error)) return Syntax(error, where);
        if (problem.empty()) problem = "message: must be a string";
      }
      has_message = true;
    } else if (key == "labels") {
      has_labels = true;
      if (!ReadLabels(field.value(), where, &labels, &problem)) return false;
    } else if (key == "timestamp") {
      if (!ReadTimestamp(field.value(), where, &entry.timestamp, &problem)) return false;
    }
  }
  std::string_view reason = kReasonInvalidEntry;
  if (problem.empty() && !has_message) problem = "message: missing; every entry needs one";
  if (problem.empty() && (!has_labels || labels.empty())) {
    problem = "error at least one label pair is required per stream (\"labels\":{\"job\":...})";
    reason = kReasonMissingLabels;
  }
  if (!problem.empty()) {
    out_->rejections.Add(reason, 1, entry.line.size(), where + ": " + problem);
    return true;
  }
  Add(std::move(labels), entry);
  return true;
}

bool SimpleLogsReader::ReadLabels(ondemand::value value, const std::string& where,
                                  labels::LabelSet* out, std::string* problem) {
  ondemand::object object;
  if (auto error = value.get_object().get(object)) {
    if (!IsTypeError(error)) return Syntax(error, where);
    if (problem->empty()) *problem = "labels: must be an object of string values";
    return true;
  }
  labels::LabelSetBuilder builder;
  for (auto field_result : object) {
    ondemand::field field;
    std::string_view key;
    std::string_view label_value;
    if (auto error = std::move(field_result).get(field)) return Syntax(error, where);
    if (auto error = field.unescaped_key().get(key)) return Syntax(error, where);
    std::string name(key);
    if (auto error = field.value().get_string().get(label_value)) {
      if (!IsTypeError(error)) return Syntax(error, where);
      if (problem->empty()) *problem = "labels." + name + ": label values must be strings";
      continue;
    }
    builder.Set(name, label_value);
  }
  *out = builder.Build();
  return true;
}

bool SimpleLogsReader::ReadTimestamp(ondemand::value value, const std::string& where, int64_t* out,
                                     std::string* problem) {
  ondemand::json_type type;
  if (auto error = value.type().get(type)) return Syntax(error, where);
  std::string_view text;
  if (type == ondemand::json_type::null) {
    bool is_null = false;
    if (auto error = value.is_null().get(is_null)) return Syntax(error, where);
    return true;
  }
  if (type == ondemand::json_type::string) {
    if (auto error = value.get_string().get(text)) return Syntax(error, where);
  } else if (type == ondemand::json_type::number) {
    text = value.raw_json_token();
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\t' ||
                             text.back() == '\r')) {
      text.remove_suffix(1);
    }
  } else {
    if (problem->empty()) *problem = "timestamp: must be a number or a string";
    return true;
  }
  Result<int64_t> parsed = ParseSimpleTimestamp(text);
  if (!parsed.ok()) {
    if (problem->empty()) *problem = "timestamp: " + std::string(parsed.status().message());
    return true;
  }
  *out = *parsed;
  return true;
}

void SimpleLogsReader::Add(labels::LabelSet labels, DecodedEntry entry) {
  auto [it, inserted] = stream_index_.try_emplace(labels.ToString(), out_->streams.size());
  if (inserted) {
    DecodedStream& stream = out_->streams.emplace_back();
    stream.labels = std::move(labels);
    stream.where = "stream " + it->first;
  }
  out_->streams[it->second].entries.push_back(entry);
}

// Reads the document's entry or array of entries into `out`; false when reading stopped early
// (the problem is recorded).
bool ReadBody(ondemand::document& doc, ondemand::json_type type, int64_t now, std::string_view text,
              size_t cut_element, DecodedPush* out) {
  SimpleLogsReader reader(now, text, cut_element, out);
  if (type == ondemand::json_type::object) {
    ondemand::value value;
    if (auto e = doc.get_value().get(value)) {
      out->rejections.AddProblem(std::string("the body: ") + simdjson::error_message(e));
      return false;
    }
    return reader.ReadEntry(value, "entry");
  }
  if (type != ondemand::json_type::array) {
    out->rejections.AddProblem(
        "the body must be an entry object {\"timestamp\":..., \"message\":\"...\", "
        "\"labels\":{...}} or an array of them");
    return false;
  }
  ondemand::array array;
  if (auto e = doc.get_array().get(array)) {
    out->rejections.AddProblem(std::string("the body: ") + simdjson::error_message(e));
    return false;
  }
  size_t index = 0;
  for (auto item : array) {
    const std::string where = "entry[" + std::to_string(index++) + "]";
    ondemand::value value;
    if (auto e = item.get(value)) {
      out->rejections.AddProblem(where + ": " + simdjson::error_message(e) +
                                 "; reading stopped there, the entries before it were kept");
      return false;
    }
    if (!reader.ReadEntry(value, where)) return false;
  }
  return true;
}

}  // namespace

Result<int64_t> ParseSimpleTimestamp(std::string_view text) {
  std::string_view digits = text;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) digits.remove_prefix(1);
  const size_t dot = digits.find('.');
  const std::string_view integer = digits.substr(0, dot);
  const bool numeric =
      !integer.empty() && digits.find_first_not_of("0123456789.") == std::string_view::npos;
  if (!numeric) {
    Result<int64_t> rfc = time::ParseRfc3339(text);
    if (rfc.ok()) return rfc;
    return Status::InvalidArgument("'" + std::string(text.substr(0, 64)) +
                                   "' is neither RFC 3339 (2026-12-06T03:00:00Z) nor Unix time "
                                   "in s, ms, us or ns");
  }
  time::UnixUnit unit = time::UnixUnit::kNanos;
  if (integer.size() <= 10) {
    unit = time::UnixUnit::kSeconds;
  } else if (integer.size() <= 13) {
    unit = time::UnixUnit::kMillis;
  } else if (integer.size() <= 16) {
    unit = time::UnixUnit::kMicros;
  }
  if (dot != std::string_view::npos && unit != time::UnixUnit::kSeconds) {
    return Status::InvalidArgument("'" + std::string(text.substr(0, 64)) +
                                   "' has a fraction: only Unix seconds (<= 10 integer digits) "
                                   "may have one");
  }
  if (integer.size() > 19) {
    return Status::InvalidArgument("'" + std::string(text.substr(0, 64)) +
                                   "' has more than 19 digits: not a Unix time in s, ms, us or ns");
  }
  return time::ParseUnix(text, unit);
}

DecodedPush DecodeSimpleLogs(std::string body, int64_t now) {
  DecodedPush out;
  auto json = std::make_shared<JsonBody>();
  json->input = std::move(body);
  // Depth 2: [root] {entry}. Simple bodies are small; the scan is cheap next to the parse.
  const ClosedJson closed = CloseTruncatedJson(&json->input, 2);
  ondemand::document doc;
  ondemand::json_type type;
  auto error = json->Iterate(&doc);
  if (!error) error = doc.type().get(type);
  if (error) {
    out.rejections.AddProblem(std::string("the body is not valid JSON: ") +
                              simdjson::error_message(error));
  } else if (ReadBody(doc, type, now, json->input, closed.cut_element, &out)) {
    json->CheckEnd(
        closed, doc, [](size_t offset) { return "byte " + std::to_string(offset); }, "entries",
        &out.rejections);
  }
  return FinishDecode(std::move(out), std::move(json));
}

}  // namespace silt::ingest
