// The unpack parser stage (unpack_parser.h).
#include "aggregator/logql/pipeline/unpack_parser.h"

#include <string>
#include <utility>

#include "aggregator/logql/pipeline/json_scratch.h"

namespace silt::logql::pipeline {
namespace {

using simdjson::error_code;
using simdjson::SUCCESS;

// Sets a label for every string member; copies `_entry` into `new_line` and sets `has_entry`.
error_code Unpack(simdjson::ondemand::object object, EntryContext* entry, std::string* new_line,
                  bool* has_entry) {
  for (auto member : object) {
    simdjson::ondemand::field field;
    if (error_code e = std::move(member).get(field); e != SUCCESS) return e;
    std::string_view key;
    if (error_code e = field.unescaped_key().get(key); e != SUCCESS) return e;
    simdjson::ondemand::value value = field.value();
    simdjson::ondemand::json_type type;
    if (error_code e = value.type().get(type); e != SUCCESS) return e;
    if (type != simdjson::ondemand::json_type::string) continue;
    std::string_view text;
    if (error_code e = value.get_string().get(text); e != SUCCESS) return e;
    if (key == "_entry") {
      new_line->assign(text);
      *has_entry = true;
      continue;
    }
    SanitizeLabelName(key, true, &entry->scratch->name);
    if (!entry->scratch->name.empty()) entry->labels->SetExtracted(entry->scratch->name, text);
  }
  return SUCCESS;
}

class UnpackStage final : public Stage {
 public:
  bool Process(EntryContext* entry) const override {
    if (!entry->scratch->json) entry->scratch->json = std::make_unique<JsonScratch>();
    JsonScratch* json = entry->scratch->json.get();
    simdjson::ondemand::document doc;
    error_code e = json->Iterate(entry->line, &doc);
    simdjson::ondemand::object object;
    if (e == SUCCESS && doc.get_object().get(object) != SUCCESS) {
      entry->labels->SetError(kJsonParserErr, kNotAnObject);
      return true;
    }
    std::string* new_line = entry->NewLineBuffer();
    bool has_entry = false;
    if (e == SUCCESS) e = Unpack(object, entry, new_line, &has_entry);
    if (e == SUCCESS && !AtEnd(&doc)) e = simdjson::TRAILING_CONTENT;
    if (e != SUCCESS) {
      const char* location = nullptr;
      size_t offset = doc.current_location().get(location) == SUCCESS ? json->Offset(location)
                                                                       : entry->line.size();
      entry->labels->SetError(kJsonParserErr, JsonErrorDetails("invalid JSON object", offset, e));
      return true;
    }
    if (has_entry) entry->SetLine(new_line);
    return true;
  }
};

}  // namespace

std::unique_ptr<Stage> MakeUnpackParser() { return std::make_unique<UnpackStage>(); }

}  // namespace silt::logql::pipeline
