// TemplateValue: the dynamic value a line_format / label_format template computes with, modelled
// on the Go values Loki's templates see: nil, bool, int (Go int/int64), float64, string,
// time.Time (GoTime), maps (the label map `.`, fromJson objects, split results) and lists
// (fromJson arrays). Numbers written in the template are "untyped constants" as in Go: an integral
// literal may be passed where an int is expected. Values share map/list storage; immutable.
// Thread-safety: a value type; const methods are safe to call concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "shared/time/go_time.h"

namespace silt::logql::format {

class TemplateValue;
using TemplateMap = std::map<std::string, TemplateValue, std::less<>>;
using TemplateList = std::vector<TemplateValue>;

class TemplateValue {
 public:
  enum class Kind : unsigned char { kNil, kBool, kInt, kFloat, kString, kTime, kMap, kList };

  TemplateValue() = default;  // nil
  static TemplateValue Bool(bool v) { return TemplateValue(std::in_place_type<bool>, v); }
  static TemplateValue Int(int64_t v) { return TemplateValue(std::in_place_type<int64_t>, v); }
  static TemplateValue Float(double v) { return TemplateValue(std::in_place_type<double>, v); }
  static TemplateValue String(std::string v) {
    return TemplateValue(std::in_place_type<std::string>, std::move(v));
  }
  static TemplateValue Time(time::GoTime v) {
    return TemplateValue(std::in_place_type<time::GoTime>, std::move(v));
  }
  // `string_values` marks a Go map[string]string (labels, split): a missing key reads as "".
  // Otherwise it is a map[string]interface{} (fromJson) and a missing key reads as nil.
  static TemplateValue Map(TemplateMap v, bool string_values);
  static TemplateValue List(TemplateList v);
  // A number literal from the template text: an int when it has no '.', 'e' or 'E', else float64.
  static TemplateValue Constant(std::string_view text, double value);

  Kind kind() const { return static_cast<Kind>(data_.index()); }
  bool is_nil() const { return kind() == Kind::kNil; }
  bool is_constant() const { return constant_; }
  bool string_map() const { return string_map_; }
  // Preconditions: the matching kind().
  bool bool_value() const { return std::get<bool>(data_); }
  int64_t int_value() const { return std::get<int64_t>(data_); }
  double float_value() const { return std::get<double>(data_); }
  const std::string& string_value() const { return std::get<std::string>(data_); }
  const time::GoTime& time_value() const { return std::get<time::GoTime>(data_); }
  const TemplateMap& map_value() const {
    return *std::get<std::shared_ptr<const TemplateMap>>(data_);
  }
  const TemplateList& list_value() const {
    return *std::get<std::shared_ptr<const TemplateList>>(data_);
  }

 private:
  using Data =
      std::variant<std::monostate, bool, int64_t, double, std::string, time::GoTime,
                   std::shared_ptr<const TemplateMap>, std::shared_ptr<const TemplateList>>;
  template <typename T, typename... Args>
  explicit TemplateValue(std::in_place_type_t<T> type, Args&&... args)
      : data_(type, std::forward<Args>(args)...) {}

  Data data_;
  bool constant_ = false;
  bool string_map_ = false;
};

// Go's type name of the value, for error messages: "string", "int", "float64", "bool",
// "time.Time", "map[string]string", "map[string]interface {}", "[]interface {}", "nil".
std::string GoTypeName(const TemplateValue& value);

// Go's truth (text/template `if`, `and`, `or`, `not`): false for nil, false, 0, "" and empty maps
// and lists; true otherwise (a time is always true). Sprig's `empty` is its negation.
bool IsTrue(const TemplateValue& value);

// Appends the value as Go's fmt %v prints it: strings as is, numbers as Go does (float64 in the
// shortest form, %e outside 1e-4..1e6: "1e+06"), "true"/"false", times as time.Time.String(), maps
// as "map[k:v k:v]" in key order, lists as "[a b]", nil as "<nil>".
void AppendGoValue(const TemplateValue& value, std::string* out);
std::string GoValueText(const TemplateValue& value);

}  // namespace silt::logql::format
