#include "agent/app/output_spec.h"

namespace silt::agent {

Result<OutputSpec> ParseOutputSpec(std::string_view text) {
  OutputSpec spec;
  if (text == "null") {
    spec.kind = OutputSpec::Kind::kNull;
    return spec;
  }
  if (text == "aggregator") {
    spec.kind = OutputSpec::Kind::kAggregator;
    return spec;
  }
  constexpr std::string_view kJsonl = "jsonl:";
  if (text.starts_with(kJsonl) && text.size() > kJsonl.size()) {
    spec.kind = OutputSpec::Kind::kJsonl;
    spec.path = std::string(text.substr(kJsonl.size()));
    return spec;
  }
  return Status::InvalidArgument("--output \"" + std::string(text) +
                                 "\" is not an output; use aggregator, jsonl:PATH, jsonl:- (stdout) or null");
}

}  // namespace silt::agent
