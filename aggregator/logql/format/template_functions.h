// The registry of template functions: every name IsTemplateFunction() accepts maps to an
// implementation taking evaluated arguments. Families live in template_functions_<family>.cc
// (builtins, strings, math, dates, regex, encoding); each adds its entries to the table.
// `and` and `or` are evaluated lazily by the evaluator and are not in the table.
// Also the argument conversions the families share, following Sprig/spf13-cast (ToInt64,
// ToFloat64, strval) and Go's typed parameters (a string parameter takes only a string).
// Thread-safety: the table is built once and read-only afterwards.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "aggregator/logql/format/template_eval.h"
#include "aggregator/logql/format/template_value.h"
#include "shared/status/result.h"

namespace re2 {
class RE2;
}

namespace silt::logql::format {

// One call: the function's name, its evaluated arguments (the piped value last), the entry, and
// what was prepared from literal arguments when the template was compiled: the regex of
// regexReplaceAll*/count, the zone of toDateInZone (null when the argument is computed).
struct FunctionCall {
  std::string_view name;
  std::span<const TemplateValue> args;
  const TemplateInput* input = nullptr;
  const re2::RE2* regex = nullptr;
  const time::GoZone* zone = nullptr;
};

// Returns the result, or InvalidArgument saying what is wrong with the arguments (the evaluator
// prefixes the template position and "error calling <name>").
using TemplateFunction = Result<TemplateValue> (*)(const FunctionCall& call);
using FunctionTable = std::unordered_map<std::string_view, TemplateFunction>;

void AddBuiltinFunctions(FunctionTable* table);
void AddStringFunctions(FunctionTable* table);
void AddMathFunctions(FunctionTable* table);
void AddDateFunctions(FunctionTable* table);
void AddRegexFunctions(FunctionTable* table);
void AddEncodingFunctions(FunctionTable* table);

// The implementation of `name`, or null.
TemplateFunction FindTemplateFunction(std::string_view name);

// Arity check: InvalidArgument "wrong number of args for NAME: want N got M" (Go's wording).
Status CheckArgs(const FunctionCall& call, size_t min, size_t max);
// A Go `string` parameter: only a string value is accepted.
Result<std::string> ArgString(const FunctionCall& call, size_t i);
// A Go `int` parameter: an int value, or an integral number literal.
Result<int64_t> ArgInt(const FunctionCall& call, size_t i);
// A Go `float64` parameter: a float64 value, or a number literal.
Result<double> ArgFloat(const FunctionCall& call, size_t i);
// A time.Time parameter.
Result<time::GoTime> ArgTime(const FunctionCall& call, size_t i);

// spf13/cast ToInt64 as Sprig uses it: ints as is, floats truncated, bools 1/0, strings parsed
// with Go's base prefixes ("0x1f", "0o17", "0b1", "017") after dropping a ".0" fraction, anything
// else (or a bad string) 0.
int64_t CastToInt64(const TemplateValue& value);
// spf13/cast ToFloat64: numbers, bools 1/0, strings parsed as Go floats, anything else 0.
double CastToFloat64(const TemplateValue& value);
// Sprig's strval: a string as is, anything else as fmt %v prints it.
std::string StrVal(const TemplateValue& value);

}  // namespace silt::logql::format
