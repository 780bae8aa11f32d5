// Field: one `key=value` pair of a structured log line. FieldValue holds a view of a string, a
// number, a bool or a Status without copying or formatting it, so building fields for a line that
// is then dropped (level disabled) costs next to nothing. A Field only lives for the logging call
// it is passed to: strings and Statuses it refers to must outlive that call (temporaries in the
// call's expression do). Value types; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include "shared/status/status.h"

namespace silt::log {

class FieldValue {
 public:
  FieldValue(std::string_view value) : kind_(Kind::kString), string_(value) {}   // NOLINT
  FieldValue(const std::string& value) : FieldValue(std::string_view(value)) {}  // NOLINT
  // `value` must not be null.
  FieldValue(const char* value) : FieldValue(std::string_view(value)) {}  // NOLINT
  // Any integer type, int8_t/uint8_t included, except bool and the character types char,
  // wchar_t, char8_t, char16_t, char32_t (a character would print as a number: pass a
  // string_view of it instead).
  template <typename T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, char> &&
           !std::is_same_v<T, char8_t> && !std::is_same_v<T, char16_t> &&
           !std::is_same_v<T, char32_t> && !std::is_same_v<T, wchar_t>)
      FieldValue(T value) {  // NOLINT
    if constexpr (std::is_signed_v<T>) {
      kind_ = Kind::kInt;
      int_ = value;
    } else {
      kind_ = Kind::kUint;
      uint_ = value;
    }
  }
  FieldValue(bool value) : kind_(Kind::kBool), bool_(value) {}        // NOLINT
  FieldValue(double value) : kind_(Kind::kDouble), double_(value) {}  // NOLINT
  // Printed as status.ToString(): "OK" or "<Code>: <message>".
  FieldValue(const Status& value) : kind_(Kind::kStatus), status_(&value) {}  // NOLINT

  // Appends the value in logfmt form: integers in decimal, doubles in the shortest form that
  // reads back exactly ("0.1", "1e+21", "inf", "nan"), bools as true/false, strings and
  // statuses quoted and escaped only when needed (logfmt.h).
  void AppendTo(std::string* out) const;

 private:
  enum class Kind : uint8_t { kString, kInt, kUint, kDouble, kBool, kStatus };
  Kind kind_;
  union {
    int64_t int_;
    uint64_t uint_;
    double double_;
    bool bool_;
    const Status* status_;
  };
  std::string_view string_;
};

struct Field {
  std::string_view key;
  FieldValue value;
};

}  // namespace silt::log
