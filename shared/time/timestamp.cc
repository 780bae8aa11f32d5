#include "shared/time/timestamp.h"

#include <algorithm>
#include <limits>
#include <optional>

#include "shared/time/civil_time.h"
#include "shared/units/decimal.h"

namespace silt::time {
namespace {

using units::QuoteForError;

constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr int64_t kSecondsPerDay = 86'400;
constexpr uint64_t kMaxMagnitude = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
constexpr std::string_view kRange =
    "1677-09-21T00:12:43.145224192Z..2262-04-11T23:47:16.854775807Z";
constexpr std::string_view kRfc3339Shape =
    " (expected YYYY-MM-DDThh:mm:ss[.fraction] then Z or +hh:mm, e.g. 2026-11-22T01:52:03Z)";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string Describe(std::string_view rest) {
  if (rest.empty()) return "end of input";
  return QuoteForError(rest.substr(0, 1));
}

// A one-pass parser of RFC 3339 that remembers the column of each error.
class Rfc3339Parser {
 public:
  explicit Rfc3339Parser(std::string_view text) : text_(text) {}

  Result<int64_t> Parse() {
    if (text_.empty()) return Invalid("empty value" + std::string(kRfc3339Shape));
    int year, month, day, hour, minute, second;
    SILT_RETURN_IF_ERROR(Date(&year, &month, &day));
    SILT_RETURN_IF_ERROR(Separator("Tt", "'T' between date and time"));
    SILT_RETURN_IF_ERROR(TimeOfDay(&hour, &minute, &second));
    SILT_ASSIGN_OR_RETURN(int64_t nanos, Fraction());
    SILT_ASSIGN_OR_RETURN(int64_t offset_seconds, Zone());
    if (pos_ != text_.size()) {
      return AtColumn(pos_,
                      "unexpected " + QuoteForError(text_.substr(pos_)) + " after the time zone");
    }
    const int64_t seconds = DaysFromCivil(year, month, day) * kSecondsPerDay + hour * 3600 +
                            minute * 60 + second - offset_seconds;
    const __int128 total = static_cast<__int128>(seconds) * kNanosPerSecond + nanos;
    if (total < std::numeric_limits<int64_t>::min() ||
        total > std::numeric_limits<int64_t>::max()) {
      return Invalid("outside the representable range " + std::string(kRange) +
                     " (int64 nanoseconds since 1970)");
    }
    return static_cast<int64_t>(total);
  }

 private:
  static std::string Pad(int value, size_t width) {
    std::string s = std::to_string(value);
    return std::string(width > s.size() ? width - s.size() : 0, '0') + s;
  }

  Status Invalid(std::string problem) const {
    return Status::InvalidArgument("invalid RFC 3339 timestamp " + QuoteForError(text_) + ": " +
                                   problem);
  }
  Status AtColumn(size_t pos, std::string problem) const {
    return Invalid("column " + std::to_string(pos + 1) + ": " + problem);
  }

  // Reads exactly `width` digits into *value and checks them against [min, max].
  Status Field(size_t width, std::string_view name, int min, int max, std::string_view note,
               int* value) {
    const size_t start = pos_;
    int v = 0;
    for (size_t i = 0; i < width; ++i, ++pos_) {
      if (pos_ >= text_.size() || !IsDigit(text_[pos_])) {
        return AtColumn(pos_, "expected " + std::to_string(width) + "-digit " + std::string(name) +
                                  ", found " +
                                  Describe(text_.substr(std::min(pos_, text_.size()))) +
                                  std::string(kRfc3339Shape));
      }
      v = v * 10 + (text_[pos_] - '0');
    }
    if (v < min || v > max) {
      return AtColumn(start, std::string(name) + " " + Pad(v, width) + " is out of range " +
                                 Pad(min, width) + ".." + Pad(max, width) + std::string(note));
    }
    *value = v;
    return Status::Ok();
  }

  // Consumes one of the characters in `accepted`.
  Status Separator(std::string_view accepted, std::string_view what) {
    if (pos_ < text_.size() && accepted.find(text_[pos_]) != std::string_view::npos) {
      ++pos_;
      return Status::Ok();
    }
    return AtColumn(pos_, "expected " + std::string(what) + ", found " +
                              Describe(text_.substr(pos_)) + std::string(kRfc3339Shape));
  }

  // YYYY-MM-DD, with the day checked against its month.
  Status Date(int* year, int* month, int* day) {
    SILT_RETURN_IF_ERROR(Field(4, "year", 0, 9999, "", year));
    SILT_RETURN_IF_ERROR(Separator("-", "'-' after the year"));
    SILT_RETURN_IF_ERROR(Field(2, "month", 1, 12, "", month));
    SILT_RETURN_IF_ERROR(Separator("-", "'-' after the month"));
    const size_t day_pos = pos_;
    SILT_RETURN_IF_ERROR(Field(2, "day", 1, 31, "", day));
    const int days_in_month = DaysInMonth(*year, *month);
    if (*day > days_in_month) {
      return AtColumn(day_pos, "day " + std::to_string(*day) + " does not exist in " +
                                   Pad(*year, 4) + "-" + Pad(*month, 2) + " (01.." +
                                   std::to_string(days_in_month) + ")");
    }
    return Status::Ok();
  }

  // hh:mm:ss.
  Status TimeOfDay(int* hour, int* minute, int* second) {
    SILT_RETURN_IF_ERROR(Field(2, "hour", 0, 23, "", hour));
    SILT_RETURN_IF_ERROR(Separator(":", "':' after the hour"));
    SILT_RETURN_IF_ERROR(Field(2, "minute", 0, 59, "", minute));
    SILT_RETURN_IF_ERROR(Separator(":", "':' after the minute"));
    return Field(2, "second", 0, 59, " (leap seconds are not representable)", second);
  }

  // An optional '.' and digits; returns the nanoseconds (extra digits truncated).
  Result<int64_t> Fraction() {
    if (pos_ >= text_.size() || text_[pos_] != '.') return int64_t{0};
    const size_t start = ++pos_;
    while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    if (pos_ == start) {
      return AtColumn(pos_, "expected digits after '.', found " + Describe(text_.substr(pos_)));
    }
    std::optional<uint64_t> nanos =
        units::ScaleDecimal("", text_.substr(start, pos_ - start), kNanosPerSecond,
                            units::Rounding::kTruncate, kNanosPerSecond);
    return static_cast<int64_t>(*nanos);
  }

  // 'Z', 'z' or ±hh:mm; returns the offset east of UTC in seconds.
  Result<int64_t> Zone() {
    if (pos_ < text_.size() && (text_[pos_] == 'Z' || text_[pos_] == 'z')) {
      ++pos_;
      return int64_t{0};
    }
    if (pos_ >= text_.size() || (text_[pos_] != '+' && text_[pos_] != '-')) {
      return AtColumn(
          pos_, "expected time zone 'Z' or +hh:mm / -hh:mm, found " + Describe(text_.substr(pos_)));
    }
    const int sign = text_[pos_++] == '-' ? -1 : 1;
    int hours, minutes;
    SILT_RETURN_IF_ERROR(Field(2, "offset hour", 0, 23, "", &hours));
    SILT_RETURN_IF_ERROR(Separator(":", "':' in the time zone offset"));
    SILT_RETURN_IF_ERROR(Field(2, "offset minute", 0, 59, "", &minutes));
    return int64_t{sign} * (hours * 3600 + minutes * 60);
  }

  std::string_view text_;
  size_t pos_ = 0;
};

void AppendDigits(std::string* out, int64_t value, int width) {
  char buffer[20];
  for (int i = width - 1; i >= 0; --i) {
    buffer[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out->append(buffer, static_cast<size_t>(width));
}

std::string FormatRfc3339(int64_t unix_nanos, bool trim_fraction) {
  const CivilTime c = ToCivilTime(unix_nanos);
  std::string out;
  out.reserve(30);
  AppendDigits(&out, c.year, 4);
  out += '-';
  AppendDigits(&out, c.month, 2);
  out += '-';
  AppendDigits(&out, c.day, 2);
  out += 'T';
  AppendDigits(&out, c.hour, 2);
  out += ':';
  AppendDigits(&out, c.minute, 2);
  out += ':';
  AppendDigits(&out, c.second, 2);
  if (!trim_fraction || c.nanosecond != 0) {
    out += '.';
    AppendDigits(&out, c.nanosecond, 9);
    if (trim_fraction) {
      while (out.back() == '0') out.pop_back();
    }
  }
  out += 'Z';
  return out;
}

// A number "[sign]digits[.digits]" split into its parts; nullopt unless the whole text is one.
struct SignedDecimal {
  bool negative = false;
  units::DecimalToken token;
};

std::optional<SignedDecimal> ScanSignedDecimal(std::string_view text) {
  SignedDecimal number;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    number.negative = text[0] == '-';
    text.remove_prefix(1);
  }
  number.token = units::ScanDecimal(text);
  if (!number.token.has_digits() || number.token.length != text.size()) return std::nullopt;
  return number;
}

// sign * integer.fraction * multiplier, truncated or rounded, if it fits int64.
std::optional<int64_t> ToNanos(const SignedDecimal& number, uint64_t multiplier,
                               units::Rounding rounding) {
  std::optional<uint64_t> magnitude =
      units::ScaleDecimal(number.token.integer, number.token.fraction, multiplier, rounding,
                          number.negative ? kMaxMagnitude + 1 : kMaxMagnitude);
  if (!magnitude) return std::nullopt;
  return number.negative ? static_cast<int64_t>(0 - *magnitude) : static_cast<int64_t>(*magnitude);
}

Status OutOfRange(std::string_view kind, std::string_view text) {
  return Status::InvalidArgument("invalid " + std::string(kind) + " " + QuoteForError(text) +
                                 ": out of range; times must lie within " + std::string(kRange));
}

}  // namespace

Result<int64_t> ParseRfc3339(std::string_view text) { return Rfc3339Parser(text).Parse(); }

std::string FormatRfc3339Nano(int64_t unix_nanos) { return FormatRfc3339(unix_nanos, true); }

std::string FormatRfc3339Fixed(int64_t unix_nanos) { return FormatRfc3339(unix_nanos, false); }

Result<int64_t> ParseUnix(std::string_view text, UnixUnit unit) {
  static constexpr struct {
    std::string_view name;
    uint64_t nanos;
  } kUnits[] = {{"seconds", 1'000'000'000},
                {"milliseconds", 1'000'000},
                {"microseconds", 1'000},
                {"nanoseconds", 1}};
  const auto& u = kUnits[static_cast<int>(unit)];
  const std::string kind = "unix timestamp in " + std::string(u.name);
  std::optional<SignedDecimal> number = ScanSignedDecimal(text);
  if (!number) {
    return Status::InvalidArgument(
        "invalid " + kind + " " + QuoteForError(text) + ": expected an integer" +
        (unit == UnixUnit::kNanos ? "" : " with an optional fraction") + ", e.g. " +
        (unit == UnixUnit::kNanos ? "1700000000000000000" : "1700000000 or -1.5"));
  }
  if (unit == UnixUnit::kNanos && number->token.has_point) {
    return Status::InvalidArgument("invalid " + kind + " " + QuoteForError(text) +
                                   ": nanoseconds cannot have a fraction");
  }
  std::optional<int64_t> nanos = ToNanos(*number, u.nanos, units::Rounding::kTruncate);
  if (!nanos) return OutOfRange(kind, text);
  return *nanos;
}

Result<int64_t> ParseLokiTime(std::string_view text) {
  std::optional<SignedDecimal> number = ScanSignedDecimal(text);
  if (number && number->token.has_point) {
    std::optional<int64_t> millis = ToNanos(*number, 1000, units::Rounding::kHalfUp);
    int64_t nanos;
    if (!millis || __builtin_mul_overflow(*millis, int64_t{1'000'000}, &nanos)) {
      return OutOfRange("time", text);
    }
    return nanos;
  }
  if (number) {
    const bool seconds = text.size() <= 10;
    std::optional<int64_t> nanos =
        ToNanos(*number, seconds ? kNanosPerSecond : 1, units::Rounding::kTruncate);
    if (!nanos) return OutOfRange("time", text);
    return *nanos;
  }
  Result<int64_t> rfc3339 = ParseRfc3339(text);
  const bool looks_like_date = text.size() > 4 && text[4] == '-' && IsDigit(text[0]) &&
                               IsDigit(text[1]) && IsDigit(text[2]) && IsDigit(text[3]);
  if (rfc3339.ok() || looks_like_date) return rfc3339;
  return Status::InvalidArgument(
      "invalid time " + QuoteForError(text) +
      ": expected RFC 3339 (2026-11-22T01:52:03Z), unix seconds (1700000000 or 1700000000.5) "
      "or unix nanoseconds (1700000000000000000)");
}

}  // namespace silt::time
