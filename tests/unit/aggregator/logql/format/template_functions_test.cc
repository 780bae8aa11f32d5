// Tests for the function registry and Sprig/cast argument conversions (template_functions.h).
#include "aggregator/logql/format/template_functions.h"

#include <gtest/gtest.h>

#include "aggregator/logql/template.h"

namespace silt::logql::format {
namespace {

// Every function the parser accepts (template.cc's list).
const char* const kParserFunctions[] = {
    "and", "or", "not", "len", "index", "slice", "print", "printf", "println", "eq", "ne",
    "lt", "le", "gt", "ge", "html", "js", "urlquery", "call", "__line__", "__timestamp__",
    "ToLower", "ToUpper", "Replace", "Trim", "TrimLeft", "TrimRight", "TrimPrefix",
    "TrimSuffix", "TrimSpace", "lower", "upper", "title", "trunc", "substr", "contains",
    "hasPrefix", "hasSuffix", "indent", "nindent", "replace", "repeat", "trim", "trimAll",
    "trimSuffix", "trimPrefix", "int", "float64", "add", "sub", "mul", "div", "mod", "addf",
    "subf", "mulf", "divf", "max", "min", "maxf", "minf", "ceil", "floor", "round", "fromJson",
    "date", "toDate", "toDateInZone", "now", "unixEpoch", "unixEpochMillis", "unixEpochNanos",
    "unixToTime", "alignLeft", "alignRight", "regexReplaceAll", "regexReplaceAllLiteral",
    "count", "urlencode", "urldecode", "b64enc", "b64dec", "bytes", "duration",
    "duration_seconds", "default", "sha256", "toJson", "squote", "quote", "cat", "join",
    "split", "empty", "coalesce", "ternary",
};

TEST(TemplateFunctionsTest, EveryParserFunctionIsImplemented) {
  for (std::string_view name : kParserFunctions) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(IsTemplateFunction(name));
    if (name == "and" || name == "or") continue;  // evaluated lazily by the evaluator
    EXPECT_NE(FindTemplateFunction(name), nullptr);
  }
  EXPECT_EQ(FindTemplateFunction("nope"), nullptr);
}

TEST(TemplateFunctionsTest, CastToInt64FollowsSpf13Cast) {
  EXPECT_EQ(CastToInt64(TemplateValue::String("12")), 12);
  EXPECT_EQ(CastToInt64(TemplateValue::String("12.00")), 12);
  EXPECT_EQ(CastToInt64(TemplateValue::String("12.5")), 0);
  EXPECT_EQ(CastToInt64(TemplateValue::String("0x_1F")), 31);
  EXPECT_EQ(CastToInt64(TemplateValue::String("1_000")), 0);
  EXPECT_EQ(CastToInt64(TemplateValue::String("-9223372036854775808")), INT64_MIN);
  EXPECT_EQ(CastToInt64(TemplateValue::String("9223372036854775808")), 0);
  EXPECT_EQ(CastToInt64(TemplateValue::Float(-2.9)), -2);
  EXPECT_EQ(CastToInt64(TemplateValue()), 0);
  EXPECT_EQ(CastToInt64(TemplateValue::Map({}, true)), 0);
}

TEST(TemplateFunctionsTest, CastToFloat64AndStrVal) {
  EXPECT_EQ(CastToFloat64(TemplateValue::String("2.5e1")), 25);
  EXPECT_EQ(CastToFloat64(TemplateValue::String(" 1")), 0);
  EXPECT_EQ(CastToFloat64(TemplateValue::String("1x")), 0);
  EXPECT_EQ(CastToFloat64(TemplateValue::Bool(true)), 1);
  EXPECT_EQ(StrVal(TemplateValue::Float(0.5)), "0.5");
  EXPECT_EQ(StrVal(TemplateValue()), "<nil>");
}

TEST(TemplateFunctionsTest, TypedParametersAcceptOnlyTheirType) {
  std::vector<TemplateValue> args = {TemplateValue::Constant("3.0", 3), TemplateValue::Float(3),
                                     TemplateValue::Constant("4", 4), TemplateValue::Int(4)};
  FunctionCall call{"f", args};
  EXPECT_EQ(ArgInt(call, 0).value_or(-1), 3);
  EXPECT_FALSE(ArgInt(call, 1).ok());
  EXPECT_EQ(ArgFloat(call, 2).value_or(-1), 4);
  EXPECT_FALSE(ArgFloat(call, 3).ok());
  EXPECT_EQ(ArgString(call, 3).status().message(), "argument 4 has type int, want string");
  EXPECT_EQ(CheckArgs(call, 1, 2).message(), "wrong number of args for f: want 1..2 got 4");
  EXPECT_EQ(CheckArgs(call, 5, SIZE_MAX).message(), "wrong number of args for f: want at least 5 got 4");
}

}  // namespace
}  // namespace silt::logql::format
