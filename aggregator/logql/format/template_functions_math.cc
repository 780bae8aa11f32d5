// Math functions as Sprig defines them: integer arithmetic on cast.ToInt64 of each argument
// (add sub mul div mod max min int), float arithmetic on cast.ToFloat64 (addf subf mulf divf,
// which Sprig computes in decimal, maxf minf ceil floor round float64), and Loki's `bytes`
// (a humanized byte size to a number).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>

#include "aggregator/logql/format/template_functions.h"
#include "shared/units/byte_size.h"

namespace silt::logql::format {
namespace {

Result<TemplateValue> Add(const FunctionCall& call) {
  uint64_t sum = 0;  // Go's int64 addition wraps
  for (const TemplateValue& v : call.args) sum += static_cast<uint64_t>(CastToInt64(v));
  return TemplateValue::Int(static_cast<int64_t>(sum));
}

Result<TemplateValue> Sub(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 2, 2));
  return TemplateValue::Int(static_cast<int64_t>(static_cast<uint64_t>(CastToInt64(call.args[0])) -
                                                 static_cast<uint64_t>(CastToInt64(call.args[1]))));
}

Result<TemplateValue> Mul(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, SIZE_MAX));
  uint64_t product = static_cast<uint64_t>(CastToInt64(call.args[0]));
  for (size_t i = 1; i < call.args.size(); ++i) product *= static_cast<uint64_t>(CastToInt64(call.args[i]));
  return TemplateValue::Int(static_cast<int64_t>(product));
}

template <bool kMod>
Result<TemplateValue> DivMod(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 2, 2));
  int64_t a = CastToInt64(call.args[0]), b = CastToInt64(call.args[1]);
  if (b == 0) return Status::InvalidArgument("integer divide by zero");
  if (b == -1) return TemplateValue::Int(kMod ? 0 : static_cast<int64_t>(0 - static_cast<uint64_t>(a)));
  return TemplateValue::Int(kMod ? a % b : a / b);
}

template <bool kMax>
Result<TemplateValue> MaxMin(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, SIZE_MAX));
  int64_t best = CastToInt64(call.args[0]);
  for (const TemplateValue& v : call.args.subspan(1)) {
    int64_t n = CastToInt64(v);
    if (kMax ? n > best : n < best) best = n;
  }
  return TemplateValue::Int(best);
}

template <bool kMax>
Result<TemplateValue> MaxMinF(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, SIZE_MAX));
  double best = CastToFloat64(call.args[0]);
  for (const TemplateValue& v : call.args.subspan(1)) {
    best = kMax ? std::fmax(best, CastToFloat64(v)) : std::fmin(best, CastToFloat64(v));
    if (std::isnan(CastToFloat64(v))) best = CastToFloat64(v);  // Go's math.Max propagates NaN
  }
  return TemplateValue::Float(best);
}

// A decimal: coefficient * 10^exponent, from the shortest text of a double (decimal.NewFromFloat).
struct Decimal {
  __int128 coefficient = 0;
  int exponent = 0;
};

std::optional<Decimal> ToDecimal(double v) {
  if (!std::isfinite(v)) return std::nullopt;
  char buf[40];
  for (int p = 0; p < 17; ++p) {
    std::snprintf(buf, sizeof buf, "%.*e", p, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  Decimal d;
  bool negative = buf[0] == '-';
  int fraction_digits = 0;
  bool in_fraction = false;
  char* p = buf + negative;
  for (; *p != 'e'; ++p) {
    if (*p == '.') {
      in_fraction = true;
      continue;
    }
    d.coefficient = d.coefficient * 10 + (*p - '0');
    fraction_digits += in_fraction;
  }
  d.exponent = std::atoi(p + 1) - fraction_digits;
  if (negative) d.coefficient = -d.coefficient;
  return d;
}

std::string DecimalText(const Decimal& d) {
  __int128 c = d.coefficient;
  bool negative = c < 0;
  if (negative) c = -c;
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(c % 10)));
    c /= 10;
  } while (c != 0);
  return (negative ? "-" : "") + digits + "e" + std::to_string(d.exponent);
}

double FromDecimal(const Decimal& d) { return std::strtod(DecimalText(d).c_str(), nullptr); }

constexpr __int128 kDecimalLimit = static_cast<__int128>(1) << 120;

// Exact decimal a+b (sign -1: a-b) when the aligned coefficients fit; nullopt otherwise.
std::optional<Decimal> DecimalAdd(Decimal a, Decimal b, int sign) {
  while (a.exponent > b.exponent) {
    if (a.coefficient > kDecimalLimit / 10 || a.coefficient < -kDecimalLimit / 10) return std::nullopt;
    a.coefficient *= 10;
    --a.exponent;
  }
  while (b.exponent > a.exponent) {
    if (b.coefficient > kDecimalLimit / 10 || b.coefficient < -kDecimalLimit / 10) return std::nullopt;
    b.coefficient *= 10;
    --b.exponent;
  }
  return Decimal{a.coefficient + sign * b.coefficient, a.exponent};
}

std::optional<Decimal> DecimalMul(Decimal a, Decimal b) {
  auto magnitude = [](__int128 v) { return v < 0 ? -v : v; };
  if (a.coefficient != 0 && magnitude(b.coefficient) > kDecimalLimit / magnitude(a.coefficient)) {
    return std::nullopt;
  }
  return Decimal{a.coefficient * b.coefficient, a.exponent + b.exponent};
}

// addf/subf/mulf: decimal arithmetic as Sprig (shopspring/decimal), falling back to float64 when
// the exact value outgrows 120 bits.
template <char kOp>
Result<TemplateValue> FloatArith(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, kOp == '+' ? 0 : 1, SIZE_MAX));
  double acc = kOp == '+' ? 0 : CastToFloat64(call.args[0]);
  size_t first = kOp == '+' ? 0 : 1;
  std::optional<Decimal> exact = ToDecimal(acc);
  for (size_t i = first; i < call.args.size(); ++i) {
    double v = CastToFloat64(call.args[i]);
    std::optional<Decimal> d = ToDecimal(v);
    if (exact && d) exact = kOp == '*' ? DecimalMul(*exact, *d) : DecimalAdd(*exact, *d, kOp == '-' ? -1 : 1);
    else exact.reset();
    acc = kOp == '+' ? acc + v : kOp == '-' ? acc - v : acc * v;
  }
  return TemplateValue::Float(exact ? FromDecimal(*exact) : acc);
}

// divf: shopspring/decimal divides the shortest decimals of its operands and rounds the
// quotient to 16 decimal places; long double keeps the 17th digit right for float64 inputs.
Result<TemplateValue> Divf(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, SIZE_MAX));
  char acc[512];
  std::snprintf(acc, sizeof acc, "%.17g", CastToFloat64(call.args[0]));
  for (const TemplateValue& v : call.args.subspan(1)) {
    double d = CastToFloat64(v);
    if (d == 0) return Status::InvalidArgument("decimal division by 0");
    std::optional<Decimal> divisor = ToDecimal(d);
    long double exact_divisor = divisor ? std::strtold(DecimalText(*divisor).c_str(), nullptr) : d;
    long double quotient = std::strtold(acc, nullptr) / exact_divisor;
    std::snprintf(acc, sizeof acc, "%.16Lf", quotient);
  }
  return TemplateValue::Float(std::strtod(acc, nullptr));
}

template <double (*kFn)(double)>
Result<TemplateValue> Unary(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, 1));
  return TemplateValue::Float(kFn(CastToFloat64(call.args[0])));
}
double Ceil(double v) { return std::ceil(v); }
double Floor(double v) { return std::floor(v); }

// Sprig's round(value, places [, roundOn=.5]): half-up on the digit after `places`.
Result<TemplateValue> Round(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 2, 3));
  SILT_ASSIGN_OR_RETURN(int64_t places, ArgInt(call, 1));
  double round_on = 0.5;
  if (call.args.size() == 3) {
    SILT_ASSIGN_OR_RETURN(round_on, ArgFloat(call, 2));
  }
  double pow = std::pow(10.0, static_cast<double>(places));
  double digit = pow * CastToFloat64(call.args[0]);
  double integral = 0;
  double fraction = std::modf(digit, &integral);
  return TemplateValue::Float((fraction >= round_on ? std::ceil(digit) : std::floor(digit)) / pow);
}

Result<TemplateValue> Int(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, 1));
  return TemplateValue::Int(CastToInt64(call.args[0]));
}

Result<TemplateValue> Float64(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, 1));
  return TemplateValue::Float(CastToFloat64(call.args[0]));
}

Result<TemplateValue> Bytes(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, 1));
  SILT_ASSIGN_OR_RETURN(std::string text, ArgString(call, 0));
  SILT_ASSIGN_OR_RETURN(int64_t bytes, units::ParseByteSize(text));
  return TemplateValue::Float(static_cast<double>(bytes));
}

}  // namespace

void AddMathFunctions(FunctionTable* table) {
  table->insert({
      {"add", Add}, {"sub", Sub}, {"mul", Mul}, {"div", DivMod<false>}, {"mod", DivMod<true>},
      {"max", MaxMin<true>}, {"min", MaxMin<false>}, {"addf", FloatArith<'+'>},
      {"subf", FloatArith<'-'>}, {"mulf", FloatArith<'*'>}, {"divf", Divf},
      {"maxf", MaxMinF<true>}, {"minf", MaxMinF<false>}, {"ceil", Unary<Ceil>},
      {"floor", Unary<Floor>}, {"round", Round}, {"int", Int}, {"float64", Float64},
      {"bytes", Bytes},
  });
}

}  // namespace silt::logql::format
