// drop and keep stages (drop_keep.h).
#include "aggregator/logql/pipeline/drop_keep.h"

#include <utility>
#include <vector>

namespace silt::logql::pipeline {
namespace {

class Drop final : public Stage {
 public:
  explicit Drop(std::vector<LabelSelection> selections) : selections_(std::move(selections)) {}

  bool Process(EntryContext* entry) const override {
    for (const LabelSelection& s : selections_) {
      if (!s.matcher) {
        entry->labels->Del(s.name);
        continue;
      }
      std::optional<std::string_view> value = entry->labels->Get(s.name);
      if (value && s.matcher->Matches(*value)) entry->labels->Del(s.name);
    }
    return true;
  }

 private:
  std::vector<LabelSelection> selections_;
};

class Keep final : public Stage {
 public:
  explicit Keep(std::vector<LabelSelection> selections) : selections_(std::move(selections)) {}

  bool Process(EntryContext* entry) const override {
    LabelsBuilder* labels = entry->labels;
    for (size_t i = labels->size(); i-- > 0;) {
      std::string_view name = labels->name(i);
      if (name == kErrorLabel || name == kErrorDetailsLabel) continue;
      if (!Kept(name, labels->value(i))) labels->DelAt(i);
    }
    return true;
  }

 private:
  bool Kept(std::string_view name, std::string_view value) const {
    for (const LabelSelection& s : selections_) {
      if (s.name != name) continue;
      if (!s.matcher || s.matcher->Matches(value)) return true;
    }
    return false;
  }

  std::vector<LabelSelection> selections_;
};

}  // namespace

std::unique_ptr<Stage> MakeDropStage(const DropStage& stage) {
  return std::make_unique<Drop>(stage.labels);
}

std::unique_ptr<Stage> MakeKeepStage(const KeepStage& stage) {
  return std::make_unique<Keep>(stage.labels);
}

}  // namespace silt::logql::pipeline
