// OutputSpec: where silt-agent sends entries, from the --output flag:
//   jsonl:PATH   append JSON lines to PATH (created if missing)
//   jsonl:-      JSON lines on stdout
//   null         drop every entry and confirm it at once (benchmarks)
//   aggregator   ship to the config's `aggregator` section (its defaults when absent); also what
//                silt-agent does without --output when agent.yaml has that section
// Thread-safety: a value type and a pure function.
#pragma once

#include <string>
#include <string_view>

#include "shared/status/result.h"

namespace silt::agent {

struct OutputSpec {
  enum class Kind { kJsonl, kNull, kAggregator };
  Kind kind = Kind::kJsonl;
  std::string path;  // for kJsonl: a file path, or "-" for stdout
};

// Parses an --output value. InvalidArgument quoting `text` and listing the accepted forms.
Result<OutputSpec> ParseOutputSpec(std::string_view text);

}  // namespace silt::agent
