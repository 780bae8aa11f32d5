// Template function registry and argument conversions (template_functions.h).
#include "aggregator/logql/format/template_functions.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace silt::logql::format {
namespace {

const FunctionTable& Table() {
  static const FunctionTable* const kTable = [] {
    auto* table = new FunctionTable();
    AddBuiltinFunctions(table);
    AddStringFunctions(table);
    AddMathFunctions(table);
    AddDateFunctions(table);
    AddRegexFunctions(table);
    AddEncodingFunctions(table);
    return table;
  }();
  return *kTable;
}

Status WrongType(const FunctionCall& call, size_t i, std::string_view want) {
  return Status::InvalidArgument("argument " + std::to_string(i + 1) + " has type " +
                                 GoTypeName(call.args[i]) + ", want " + std::string(want));
}

// Go's strconv.ParseInt(s, 0, 64): optional sign, base prefix 0x/0o/0b/0, '_' between digits
// only with a prefix.
bool ParseGoInt(std::string_view s, int64_t* out) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  int base = 10;
  bool prefixed = false;
  if (s.size() > 1 && s[0] == '0') {
    char p = static_cast<char>(s[1] | 0x20);
    base = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 8;
    s.remove_prefix(p == 'x' || p == 'o' || p == 'b' ? 2 : 1);
    prefixed = true;
  }
  if (s.empty()) return false;
  unsigned __int128 v = 0;
  for (char c : s) {
    if (c == '_' && prefixed) continue;
    int d = c >= '0' && c <= '9'                     ? c - '0'
            : (c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? (c | 0x20) - 'a' + 10
                                                     : 99;
    if (d >= base) return false;
    v = v * static_cast<unsigned>(base) + static_cast<unsigned>(d);
    if (v > (unsigned __int128)INT64_MAX + 1) return false;
  }
  if (!negative && v > INT64_MAX) return false;
  *out = negative ? static_cast<int64_t>(0 - static_cast<uint64_t>(v)) : static_cast<int64_t>(v);
  return true;
}

}  // namespace

TemplateFunction FindTemplateFunction(std::string_view name) {
  auto it = Table().find(name);
  return it == Table().end() ? nullptr : it->second;
}

Status CheckArgs(const FunctionCall& call, size_t min, size_t max) {
  size_t n = call.args.size();
  if (n >= min && n <= max) return Status::Ok();
  std::string want = std::to_string(min);
  if (max != min) want = max == SIZE_MAX ? "at least " + want : want + ".." + std::to_string(max);
  return Status::InvalidArgument("wrong number of args for " + std::string(call.name) + ": want " +
                                 want + " got " + std::to_string(n));
}

Result<std::string> ArgString(const FunctionCall& call, size_t i) {
  const TemplateValue& v = call.args[i];
  if (v.kind() != TemplateValue::Kind::kString) return WrongType(call, i, "string");
  return v.string_value();
}

Result<int64_t> ArgInt(const FunctionCall& call, size_t i) {
  const TemplateValue& v = call.args[i];
  if (v.kind() == TemplateValue::Kind::kInt) return v.int_value();
  if (v.kind() == TemplateValue::Kind::kFloat && v.is_constant() &&
      v.float_value() == std::trunc(v.float_value()) && std::fabs(v.float_value()) < 9.2e18) {
    return static_cast<int64_t>(v.float_value());
  }
  return WrongType(call, i, "int");
}

Result<double> ArgFloat(const FunctionCall& call, size_t i) {
  const TemplateValue& v = call.args[i];
  if (v.kind() == TemplateValue::Kind::kFloat) return v.float_value();
  if (v.kind() == TemplateValue::Kind::kInt && v.is_constant()) {
    return static_cast<double>(v.int_value());
  }
  return WrongType(call, i, "float64");
}

Result<time::GoTime> ArgTime(const FunctionCall& call, size_t i) {
  const TemplateValue& v = call.args[i];
  if (v.kind() != TemplateValue::Kind::kTime) return WrongType(call, i, "time.Time");
  return v.time_value();
}

int64_t CastToInt64(const TemplateValue& value) {
  switch (value.kind()) {
    case TemplateValue::Kind::kInt:
      return value.int_value();
    case TemplateValue::Kind::kFloat: {
      double f = value.float_value();
      if (std::isnan(f) || f >= 9223372036854775808.0 || f < -9223372036854775808.0) {
        return INT64_MIN;  // what Go's int64(f) gives on amd64
      }
      return static_cast<int64_t>(f);
    }
    case TemplateValue::Kind::kBool:
      return value.bool_value() ? 1 : 0;
    case TemplateValue::Kind::kString: {
      std::string_view s = value.string_value();
      size_t dot = s.find('.');
      if (dot != std::string_view::npos && dot + 1 < s.size() &&
          s.find_first_not_of('0', dot + 1) == std::string_view::npos) {
        s = s.substr(0, dot);
      }
      int64_t n = 0;
      return ParseGoInt(s, &n) ? n : 0;
    }
    default:
      return 0;
  }
}

double CastToFloat64(const TemplateValue& value) {
  switch (value.kind()) {
    case TemplateValue::Kind::kInt:
      return static_cast<double>(value.int_value());
    case TemplateValue::Kind::kFloat:
      return value.float_value();
    case TemplateValue::Kind::kBool:
      return value.bool_value() ? 1 : 0;
    case TemplateValue::Kind::kString: {
      const std::string& s = value.string_value();
      if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return 0;
      char* end = nullptr;
      errno = 0;
      double f = std::strtod(s.c_str(), &end);
      if (end != s.c_str() + s.size() || errno == ERANGE) return 0;
      return f;
    }
    default:
      return 0;
  }
}

std::string StrVal(const TemplateValue& value) {
  if (value.kind() == TemplateValue::Kind::kString) return value.string_value();
  return GoValueText(value);
}

}  // namespace silt::logql::format
