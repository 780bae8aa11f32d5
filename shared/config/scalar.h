// Typed readings of YAML scalar text following the YAML 1.2 core schema, which is stricter than
// yaml-cpp's own conversions (those accept YAML 1.1 forms such as "yes", "on" and "y" as booleans).
// Used by ObjectReader; quoting does not matter here, the caller passes the scalar's text.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <type_traits>

namespace silt::config {

// true|True|TRUE|false|False|FALSE; anything else is nullopt.
std::optional<bool> ParseBool(std::string_view text);

enum class IntegerParse { kOk, kNotAnInteger, kOutOfRange };

// Parses [-+]?[0-9]+, 0x[0-9a-fA-F]+ or 0o[0-7]+ into a sign and a magnitude. kOutOfRange when the
// magnitude does not fit in uint64; the caller range-checks against its target type.
IntegerParse ParseIntegerText(std::string_view text, bool* negative, uint64_t* magnitude);

// Parses `text` into an integer of type T. kOutOfRange when it is an integer T cannot hold
// (including a negative value for an unsigned T).
template <typename T>
IntegerParse ParseInteger(std::string_view text, T* out) {
  bool negative = false;
  uint64_t magnitude = 0;
  IntegerParse parse = ParseIntegerText(text, &negative, &magnitude);
  if (parse != IntegerParse::kOk) return parse;
  if (!negative) {
    if (magnitude > static_cast<uint64_t>(std::numeric_limits<T>::max())) {
      return IntegerParse::kOutOfRange;
    }
    *out = static_cast<T>(magnitude);
    return IntegerParse::kOk;
  }
  if (magnitude == 0) {
    *out = 0;
    return IntegerParse::kOk;
  }
  if constexpr (std::is_signed_v<T>) {
    // |min| == max + 1 for two's complement types.
    uint64_t limit = static_cast<uint64_t>(std::numeric_limits<T>::max()) + 1;
    if (magnitude > limit) return IntegerParse::kOutOfRange;
    *out = static_cast<T>(-static_cast<T>(magnitude - 1) - 1);
    return IntegerParse::kOk;
  } else {
    return IntegerParse::kOutOfRange;
  }
}

// Parses a YAML core-schema float or integer: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?,
// [-+]?(.inf|.Inf|.INF), .nan|.NaN|.NAN. nullopt for anything else and for values beyond the
// range of double.
std::optional<double> ParseDouble(std::string_view text);

}  // namespace silt::config
