// The JSON parser stage (json_parser.h).
#include "aggregator/logql/pipeline/json_parser.h"

#include <string>
#include <utility>
#include <vector>

#include "aggregator/logql/pipeline/json_scratch.h"

namespace silt::logql::pipeline {
namespace {

using simdjson::error_code;
using simdjson::SUCCESS;
using simdjson::ondemand::json_type;

JsonScratch* Json(EntryContext* entry) {
  if (!entry->scratch->json) entry->scratch->json = std::make_unique<JsonScratch>();
  return entry->scratch->json.get();
}

// Flattens every scalar member of `object` into labels; `prefix` is the sanitized path so far.
error_code Flatten(simdjson::ondemand::object object, std::string* prefix, EntryContext* entry) {
  for (auto member : object) {
    simdjson::ondemand::field field;
    if (error_code e = std::move(member).get(field); e != SUCCESS) return e;
    std::string_view key;
    if (error_code e = field.unescaped_key().get(key); e != SUCCESS) return e;
    size_t saved = prefix->size();
    std::string* part = &entry->scratch->name;
    SanitizeLabelName(key, prefix->empty(), part);
    if (!prefix->empty()) prefix->push_back('_');
    prefix->append(*part);
    simdjson::ondemand::value value = field.value();
    json_type type;
    if (error_code e = value.type().get(type); e != SUCCESS) return e;
    if (type == json_type::object) {
      simdjson::ondemand::object child;
      if (error_code e = value.get_object().get(child); e != SUCCESS) return e;
      if (error_code e = Flatten(child, prefix, entry); e != SUCCESS) return e;
    } else if (type != json_type::array && type != json_type::null) {
      std::string_view text;
      if (error_code e = JsonScalarText(value, type, &text); e != SUCCESS) return e;
      if (!part->empty()) entry->labels->SetExtracted(*prefix, text);
    }
    prefix->resize(saved);
  }
  return SUCCESS;
}

class JsonFlattenStage final : public Stage {
 public:
  bool Process(EntryContext* entry) const override {
    JsonScratch* json = Json(entry);
    simdjson::ondemand::document doc;
    error_code e = json->Iterate(entry->line, &doc);
    simdjson::ondemand::object object;
    if (e == SUCCESS && doc.get_object().get(object) != SUCCESS) {
      entry->labels->SetError(kJsonParserErr, kNotAnObject);
      return true;
    }
    std::string* prefix = &entry->scratch->text;
    prefix->clear();
    if (e == SUCCESS) e = Flatten(object, prefix, entry);
    if (e == SUCCESS && !AtEnd(&doc)) e = simdjson::TRAILING_CONTENT;
    if (e != SUCCESS) {
      const char* location = nullptr;
      size_t offset = doc.current_location().get(location) == SUCCESS ? json->Offset(location)
                                                                       : entry->line.size();
      entry->labels->SetError(kJsonParserErr, JsonErrorDetails("invalid JSON object", offset, e));
    }
    return true;
  }
};

// Walks `path` from the document root; false when a part is missing or of the wrong type.
bool Navigate(simdjson::ondemand::document* doc, const std::vector<JsonPathPart>& path,
              simdjson::ondemand::value* out) {
  if (doc->get_value().get(*out) != SUCCESS) return false;
  for (const JsonPathPart& part : path) {
    if (!part.is_index) {
      simdjson::ondemand::object object;
      if (out->get_object().get(object) != SUCCESS) return false;
      if (object.find_field_unordered(part.key).get(*out) != SUCCESS) return false;
      continue;
    }
    simdjson::ondemand::array array;
    if (part.index < 0 || out->get_array().get(array) != SUCCESS) return false;
    if (array.at(static_cast<size_t>(part.index)).get(*out) != SUCCESS) return false;
  }
  return true;
}

class JsonPathStage final : public Stage {
 public:
  explicit JsonPathStage(std::vector<ExtractionParam> params) : params_(std::move(params)) {}

  bool Process(EntryContext* entry) const override {
    std::string_view line = entry->line;
    size_t start = line.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos || (line[start] != '{' && line[start] != '[')) {
      entry->labels->SetError(kJsonParserErr,
                              "invalid JSON: the line does not start with '{' or '['");
      return true;
    }
    JsonScratch* json = Json(entry);
    simdjson::ondemand::document doc;
    if (error_code e = json->Iterate(line, &doc); e != SUCCESS) {
      entry->labels->SetError(kJsonParserErr, JsonErrorDetails("invalid JSON", 0, e));
      return true;
    }
    for (const ExtractionParam& param : params_) {
      doc.rewind();
      simdjson::ondemand::value value;
      if (!Navigate(&doc, param.json_path, &value)) continue;
      json_type type;
      if (value.type().get(type) != SUCCESS) continue;
      std::string_view text;
      if (type == json_type::object || type == json_type::array) {
        if (simdjson::to_json_string(value).get(text) != SUCCESS) continue;
      } else if (JsonScalarText(value, type, &text) != SUCCESS) {
        continue;
      }
      entry->labels->SetExtracted(param.label, text);
    }
    return true;
  }

 private:
  std::vector<ExtractionParam> params_;
};

}  // namespace

std::unique_ptr<Stage> MakeJsonParser(const JsonParser& parser) {
  if (parser.params.empty()) return std::make_unique<JsonFlattenStage>();
  return std::make_unique<JsonPathStage>(parser.params);
}

}  // namespace silt::logql::pipeline
