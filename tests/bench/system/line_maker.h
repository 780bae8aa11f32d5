// LineMaker: fixed-size, unique log lines for the end-to-end benchmark. Each line is a caller's
// prefix (a sequence number, a write time) followed by realistic text from silt-loggen (nginx
// access log, fixed seed), cut or padded with spaces to exactly `line_bytes` bytes, then '\n'.
// The prefix makes every line unique; the loggen text makes lz4 see what it sees in production.
// Not thread-safe; one LineMaker per writer.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "shared/status/result.h"
#include "tests/bench/loggen/generator.h"

namespace silt::bench {

class LineMaker {
 public:
  // InvalidArgument when `line_bytes` is below 32 or above 65536 (no room for a prefix and text,
  // or beyond what silt-loggen makes).
  static Result<std::unique_ptr<LineMaker>> Create(uint32_t line_bytes, uint64_t seed);

  // Appends one line of exactly line_bytes() bytes plus '\n' to `out`. Precondition:
  // `prefix` is shorter than line_bytes().
  void Append(std::string_view prefix, std::string* out);

  uint32_t line_bytes() const { return line_bytes_; }

 private:
  LineMaker(uint32_t line_bytes, std::unique_ptr<loggen::Generator> generator);

  uint32_t line_bytes_;
  std::unique_ptr<loggen::Generator> generator_;
};

}  // namespace silt::bench
