// ANSI escape removal (decolorize.h).
#include "aggregator/logql/pipeline/decolorize.h"

#include <re2/re2.h>

namespace silt::logql::pipeline {
namespace {

// ESC (0x1B) or CSI (U+009B), optional intermediate bytes, then either an OSC-style string
// ended by BEL or a parameter list and a final byte.
constexpr const char* kAnsiPattern =
    "[\\x{1B}\\x{9B}][\\[\\]()#;?]*(?:(?:(?:[a-zA-Z\\d]*(?:;[a-zA-Z\\d]*)*)?\\x{07})"
    "|(?:(?:\\d{1,4}(?:;\\d{0,4})*)?[\\dA-PRZcf-ntqry=><~]))";

class DecolorizeStage final : public Stage {
 public:
  DecolorizeStage() : regex_(kAnsiPattern) {}

  bool Process(EntryContext* entry) const override {
    // Fast path: neither ESC nor the UTF-8 lead byte of U+009B (0xC2 0x9B) is present.
    if (entry->line.find('\x1b') == std::string_view::npos &&
        entry->line.find("\xc2\x9b") == std::string_view::npos) {
      return true;
    }
    std::string* out = entry->NewLineBuffer();
    out->assign(entry->line);
    RE2::GlobalReplace(out, regex_, "");
    entry->SetLine(out);
    return true;
  }

 private:
  RE2 regex_;
};

}  // namespace

std::unique_ptr<Stage> MakeDecolorizeStage() { return std::make_unique<DecolorizeStage>(); }

}  // namespace silt::logql::pipeline
