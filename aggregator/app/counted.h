// Counted: "1 chunk file", "2 chunk files": a count and its noun, for the summary lines the
// operator subcommands (rebuild-index, verify) print. Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace silt::aggregator {

// `n` and `singular` when n is 1, else `n` and `plural` ("0 problems", "1 problem").
inline std::string Counted(uint64_t n, std::string_view singular, std::string_view plural) {
  return std::to_string(n) + " " + std::string(n == 1 ? singular : plural);
}

// The same for a noun that takes an "s": Counted(2, "block") is "2 blocks".
inline std::string Counted(uint64_t n, std::string_view singular) {
  return Counted(n, singular, std::string(singular) + "s");
}

}  // namespace silt::aggregator
