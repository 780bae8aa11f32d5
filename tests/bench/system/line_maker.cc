#include "tests/bench/system/line_maker.h"

#include <algorithm>
#include <cassert>
#include <utility>

namespace silt::bench {

Result<std::unique_ptr<LineMaker>> LineMaker::Create(uint32_t line_bytes, uint64_t seed) {
  if (line_bytes < 32 || line_bytes > 65536) {
    return Status::InvalidArgument("--line-bytes " + std::to_string(line_bytes) +
                                   ": must be within 32..65536 (a unique prefix plus text)");
  }
  loggen::GeneratorOptions options;
  options.format = loggen::Format::kNginx;
  options.seed = seed;
  options.line_size = line_bytes;
  SILT_ASSIGN_OR_RETURN(auto generator, loggen::Generator::Create(options));
  return std::unique_ptr<LineMaker>(new LineMaker(line_bytes, std::move(generator)));
}

LineMaker::LineMaker(uint32_t line_bytes, std::unique_ptr<loggen::Generator> generator)
    : line_bytes_(line_bytes), generator_(std::move(generator)) {}

void LineMaker::Append(std::string_view prefix, std::string* out) {
  assert(prefix.size() < line_bytes_);
  const size_t start = out->size();
  out->append(prefix);
  out->push_back(' ');
  const size_t room = line_bytes_ - std::min<size_t>(line_bytes_, prefix.size() + 1);
  const std::string_view text = generator_->Next().line;
  out->append(text.substr(0, std::min(room, text.size())));
  out->resize(start + line_bytes_, ' ');
  out->push_back('\n');
}

}  // namespace silt::bench
