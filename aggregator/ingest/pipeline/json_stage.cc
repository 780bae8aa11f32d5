// The `json` stage (json_stage.h).
#include "aggregator/ingest/pipeline/json_stage.h"

#include <map>
#include <utility>

#include "aggregator/ingest/pipeline/json_scratch.h"

namespace silt::ingest {
namespace {

using simdjson::ondemand::json_type;

void AppendPointerToken(std::string_view token, std::string* pointer) {
  pointer->push_back('/');
  for (char c : token) {
    if (c == '~') {
      pointer->append("~0");
    } else if (c == '/') {
      pointer->append("~1");
    } else {
      pointer->push_back(c);
    }
  }
}

Status PathError(std::string_view path, size_t index, std::string_view what) {
  return Status::InvalidArgument("invalid path \"" + std::string(path) + "\" at column " +
                                 std::to_string(index + 1) + ": " + std::string(what) +
                                 "; write names joined by dots, [N] for array items and "
                                 "[\"name\"] for names with dots or brackets, e.g. a.b[0]");
}

// Adds the text of `value` under `name` to `out`: strings unescaped, numbers and booleans as
// written, objects and arrays as JSON text; null adds nothing. Returns simdjson's error.
simdjson::error_code AddValue(std::string_view name, simdjson::ondemand::value value,
                              FieldList* out) {
  json_type type;
  if (auto error = value.type().get(type)) return error;
  std::string_view text;
  simdjson::error_code error = simdjson::SUCCESS;
  switch (type) {
    case json_type::string:
      error = value.get_string().get(text);
      break;
    case json_type::number:
    case json_type::boolean:
      text = value.raw_json_token();
      while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' ||
                               text.back() == '\r')) {
        text.remove_suffix(1);
      }
      break;
    case json_type::object: {
      simdjson::ondemand::object object;
      error = value.get_object().get(object);
      if (!error) error = object.raw_json().get(text);
      break;
    }
    case json_type::array: {
      simdjson::ondemand::array array;
      error = value.get_array().get(array);
      if (!error) error = array.raw_json().get(text);
      break;
    }
    case json_type::null:
      return simdjson::SUCCESS;
  }
  if (error) return error;
  out->Set(name, text);
  return simdjson::SUCCESS;
}

}  // namespace

Result<std::string> JsonPathToPointer(std::string_view path) {
  std::string pointer;
  size_t i = 0;
  bool expect_name = true;
  while (i < path.size()) {
    if (path[i] == '[') {
      size_t close = path.find(']', i);
      if (close == std::string_view::npos) return PathError(path, i, "unclosed '['");
      std::string_view inner = path.substr(i + 1, close - i - 1);
      if (inner.size() >= 2 && inner.front() == '"' && inner.back() == '"') {
        AppendPointerToken(inner.substr(1, inner.size() - 2), &pointer);
      } else if (!inner.empty() &&
                 inner.find_first_not_of("0123456789") == std::string_view::npos) {
        AppendPointerToken(inner, &pointer);
      } else {
        return PathError(path, i + 1, "expected an index or a quoted name inside []");
      }
      i = close + 1;
      expect_name = false;
      continue;
    }
    if (!expect_name) {
      if (path[i] != '.') return PathError(path, i, "expected '.' or '['");
      ++i;
    }
    size_t end = path.find_first_of(".[", i);
    if (end == std::string_view::npos) end = path.size();
    if (end == i) return PathError(path, i, "empty name");
    AppendPointerToken(path.substr(i, end - i), &pointer);
    i = end;
    expect_name = false;
  }
  if (pointer.empty() || expect_name) return PathError(path, i, "empty path");
  return pointer;
}

void ReadJsonStage(config::ObjectReader& r, JsonStageConfig* out) {
  std::map<std::string, std::string> fields;
  if (!r.Optional("fields", &fields)) return;
  for (auto& [name, path] : fields) {
    Result<std::string> pointer = JsonPathToPointer(path);
    if (!pointer.ok()) {
      r.AddError("fields", "field \"" + name + "\": " + std::string(pointer.status().message()));
      continue;
    }
    out->fields.push_back({name, path, std::move(*pointer)});
  }
}

JsonStage::JsonStage(JsonStageConfig config, const StageContext& context)
    : config_(std::move(config)), not_json_(&context.Failure("json", kReasonNotJson)) {}

namespace {

// Adds every top-level member to scratch.pending; false when the object is malformed.
bool ExtractAll(simdjson::ondemand::document& doc, StageScratch& scratch) {
  simdjson::ondemand::object object;
  if (doc.get_object().get(object)) return false;
  for (auto member : object) {
    std::string_view key;
    simdjson::ondemand::value value;
    if (member.unescaped_key().get(key)) return false;
    // The key view lives in the parser's string buffer, which the value may overwrite: copy it.
    scratch.text.assign(key);
    if (member.value().get(value)) return false;
    if (AddValue(scratch.text, value, &scratch.pending)) return false;
  }
  return true;
}

// Adds each path of `config` found to scratch.pending; false when the document is malformed.
bool ExtractPaths(const JsonStageConfig& config, simdjson::ondemand::document& doc,
                  StageScratch& scratch) {
  json_type type;
  if (doc.type().get(type) || type != json_type::object) return false;
  for (const JsonStageConfig::Field& field : config.fields) {
    simdjson::ondemand::value value;
    simdjson::error_code error = doc.at_pointer(field.pointer).get(value);
    if (error == simdjson::NO_SUCH_FIELD || error == simdjson::INDEX_OUT_OF_BOUNDS ||
        error == simdjson::INCORRECT_TYPE ||
        // Our pointers are well formed: simdjson says this when a path goes through a scalar.
        error == simdjson::INVALID_JSON_POINTER) {
      continue;  // the path is not in this line
    }
    if (error) return false;
    if (AddValue(field.name, value, &scratch.pending)) return false;
  }
  return true;
}

}  // namespace

StageOutcome JsonStage::Apply(PipelineEntry& entry) const {
  StageScratch& scratch = entry.scratch;
  std::string_view line = entry.line();
  if (scratch.json == nullptr) scratch.json = std::make_unique<JsonScratch>();
  std::string& buffer = scratch.json->buffer;
  buffer.reserve(line.size() + simdjson::SIMDJSON_PADDING);
  buffer.assign(line);
  simdjson::padded_string_view input(buffer.data(), buffer.size(), buffer.capacity());
  scratch.pending.Clear();
  simdjson::ondemand::document doc;
  bool ok =
      !scratch.json->parser.iterate(input).get(doc) &&
      (config_.fields.empty() ? ExtractAll(doc, scratch) : ExtractPaths(config_, doc, scratch));
  if (!ok) {
    not_json_->Inc();
    return StageOutcome::kContinue;
  }
  for (const Field& field : scratch.pending) entry.fields.Set(field.name, field.value);
  return StageOutcome::kContinue;
}

}  // namespace silt::ingest
