// The line_format stage (line_format.h).
#include "aggregator/logql/pipeline/line_format.h"

#include "aggregator/logql/pipeline/template_input.h"

namespace silt::logql::pipeline {
namespace {

class LineFormat final : public Stage {
 public:
  explicit LineFormat(std::unique_ptr<CompiledTemplate> tmpl) : tmpl_(std::move(tmpl)) {}

  bool Process(EntryContext* entry) const override {
    std::string* out = entry->NewLineBuffer();
    Status status = tmpl_->Render(MakeTemplateInput(*entry, *entry->labels), out);
    if (!status.ok()) {
      entry->labels->SetError(kTemplateFormatErr, status.message());
      return true;
    }
    entry->SetLine(out);
    return true;
  }

 private:
  std::unique_ptr<CompiledTemplate> tmpl_;
};

}  // namespace

Result<std::unique_ptr<Stage>> CompileLineFormat(const LineFormatStage& stage) {
  Result<std::unique_ptr<CompiledTemplate>> tmpl = CompiledTemplate::Compile(stage.tmpl);
  if (!tmpl.ok()) return tmpl.status();
  return std::unique_ptr<Stage>(std::make_unique<LineFormat>(std::move(tmpl).value()));
}

}  // namespace silt::logql::pipeline
