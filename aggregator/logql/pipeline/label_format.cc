// The label_format stage (label_format.h).
#include "aggregator/logql/pipeline/label_format.h"

#include <string>
#include <utility>
#include <vector>

#include "aggregator/logql/pipeline/template_input.h"

namespace silt::logql::pipeline {
namespace {

struct Item {
  std::string dst;
  std::string src;                         // rename
  std::unique_ptr<CompiledTemplate> tmpl;  // template
};

class LabelFormat final : public Stage {
 public:
  explicit LabelFormat(std::vector<Item> items) : items_(std::move(items)) {}

  bool Process(EntryContext* entry) const override {
    // The labels templates see: a copy taken at the first template item.
    LabelsBuilder* snapshot = nullptr;
    for (const Item& item : items_) {
      if (!item.tmpl) {
        Rename(item, entry);
        continue;
      }
      if (snapshot == nullptr) {
        snapshot = &entry->scratch->snapshot;
        snapshot->CopyFrom(*entry->labels);
      }
      std::string* out = &entry->scratch->text;
      Status status = item.tmpl->Render(MakeTemplateInput(*entry, *snapshot), out);
      if (!status.ok()) {
        entry->labels->SetError(kTemplateFormatErr, status.message());
        continue;
      }
      entry->labels->Set(item.dst, *out);
    }
    return true;
  }

 private:
  static void Rename(const Item& item, EntryContext* entry) {
    std::optional<std::string_view> value = entry->labels->Get(item.src);
    if (!value) return;
    std::string* copy = &entry->scratch->value;  // Set may move the builder's strings
    copy->assign(*value);
    entry->labels->Del(item.src);
    entry->labels->Set(item.dst, *copy);
  }

  std::vector<Item> items_;
};

}  // namespace

Result<std::unique_ptr<Stage>> CompileLabelFormat(const LabelFormatStage& stage) {
  std::vector<Item> items;
  for (const LabelFormatItem& source : stage.items) {
    Item item;
    item.dst = source.dst;
    item.src = source.src;
    if (source.is_template && source.tmpl) {
      Result<std::unique_ptr<CompiledTemplate>> tmpl = CompiledTemplate::Compile(*source.tmpl);
      if (!tmpl.ok()) return tmpl.status().WithContext("label_format " + source.dst);
      item.tmpl = std::move(tmpl).value();
    }
    items.push_back(std::move(item));
  }
  return std::unique_ptr<Stage>(std::make_unique<LabelFormat>(std::move(items)));
}

}  // namespace silt::logql::pipeline
