// IpMatcher: the `ip("...")` argument (ip_pattern.h: an address, a CIDR block or an inclusive
// range) compiled to byte ranges, used by `|= ip()` / `!= ip()` line filters and `label = ip()`
// label filters. IPv4 and IPv6 are separate families: an IPv4 pattern never matches an IPv6
// address and the other way round.
// Immutable after Create; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "shared/status/result.h"

namespace silt::logql::pipeline {

class IpMatcher {
 public:
  // InvalidArgument naming the pattern when it is none of the three forms.
  static Result<IpMatcher> Create(std::string_view pattern);

  // Whether `text` is exactly one address (no spaces, no zone) inside the pattern.
  bool MatchesAddress(std::string_view text) const;
  // Whether any address found in `line` is inside the pattern: every maximal run of address
  // characters ([0-9A-Fa-f:.]) is tried whole, and the IPv4 runs ([0-9.]) inside it too.
  bool MatchesAnyInLine(std::string_view line) const;

 private:
  using Bytes = std::array<uint8_t, 16>;
  IpMatcher() = default;
  bool InRange(const Bytes& address, bool v6) const;

  bool v6_ = false;
  Bytes low_{};
  Bytes high_{};
};

}  // namespace silt::logql::pipeline
