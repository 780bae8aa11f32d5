#include "tests/bench/loggen/timestamp_text.h"

#include <string_view>

#include "shared/time/civil_time.h"

namespace silt::loggen {
namespace {

constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr int64_t kNanosPerSecond = 1'000'000'000;

// Floor division, so times before 1970 land in the right second.
int64_t FloorSeconds(int64_t unix_nanos) {
  int64_t second = unix_nanos / kNanosPerSecond;
  if (unix_nanos % kNanosPerSecond < 0) --second;
  return second;
}

// Nanoseconds into the second, 0..999999999 (also before 1970).
int64_t NanosIntoSecond(int64_t unix_nanos) {
  const int64_t nanos = unix_nanos % kNanosPerSecond;
  return nanos < 0 ? nanos + kNanosPerSecond : nanos;
}

void AppendTimeOfDay(const time::CivilTime& civil, TextBuffer* out) {
  out->AppendPadded(static_cast<uint64_t>(civil.hour), 2);
  out->Append(':');
  out->AppendPadded(static_cast<uint64_t>(civil.minute), 2);
  out->Append(':');
  out->AppendPadded(static_cast<uint64_t>(civil.second), 2);
}

uint64_t Year(const time::CivilTime& civil) {
  return static_cast<uint64_t>(civil.year < 0 ? 0 : civil.year);
}

// "YYYY-MM-DD" + separator + "hh:mm:ss".
void AppendDateTime(const time::CivilTime& civil, char separator, TextBuffer* out) {
  out->AppendPadded(Year(civil), 4);
  out->Append('-');
  out->AppendPadded(static_cast<uint64_t>(civil.month), 2);
  out->Append('-');
  out->AppendPadded(static_cast<uint64_t>(civil.day), 2);
  out->Append(separator);
  AppendTimeOfDay(civil, out);
}

}  // namespace

int64_t TimestampText::AppendSecond(Style style, int64_t unix_nanos, TextBuffer* out) {
  const int64_t second = FloorSeconds(unix_nanos);
  Cached& cached = cache_[style];
  if (cached.second != second) {
    const time::CivilTime civil = time::ToCivilTime(unix_nanos);
    TextBuffer& text = cached.text;
    text.Clear();
    switch (style) {
      case kRfc3339:
        AppendDateTime(civil, 'T', &text);
        break;
      case kJava:
        AppendDateTime(civil, ' ', &text);
        break;
      case kClf:
        text.AppendPadded(static_cast<uint64_t>(civil.day), 2);
        text.Append('/');
        text.Append(kMonths[civil.month - 1]);
        text.Append('/');
        text.AppendPadded(Year(civil), 4);
        text.Append(':');
        AppendTimeOfDay(civil, &text);
        text.Append(" +0000");
        break;
      case kBsd:
        text.Append(kMonths[civil.month - 1]);
        text.Append(civil.day < 10 ? "  " : " ");
        text.AppendUint(static_cast<uint64_t>(civil.day));
        text.Append(' ');
        AppendTimeOfDay(civil, &text);
        break;
      case kStyleCount:
        break;
    }
    cached.second = second;
  }
  out->Append(cached.text.view());
  return NanosIntoSecond(unix_nanos);
}

void TimestampText::AppendRfc3339(int64_t unix_nanos, int fraction_digits, TextBuffer* out) {
  const int64_t nanos = AppendSecond(kRfc3339, unix_nanos, out);
  if (fraction_digits > 0) {
    int64_t divisor = 1;
    for (int i = fraction_digits; i < 9; ++i) divisor *= 10;
    out->Append('.');
    out->AppendPadded(static_cast<uint64_t>(nanos / divisor), fraction_digits);
  }
  out->Append('Z');
}

void TimestampText::AppendRfc3339Nano(int64_t unix_nanos, TextBuffer* out) {
  int64_t nanos = AppendSecond(kRfc3339, unix_nanos, out);
  if (nanos != 0) {
    int digits = 9;
    while (nanos % 10 == 0) {
      nanos /= 10;
      --digits;
    }
    out->Append('.');
    out->AppendPadded(static_cast<uint64_t>(nanos), digits);
  }
  out->Append('Z');
}

void TimestampText::AppendClf(int64_t unix_nanos, TextBuffer* out) {
  AppendSecond(kClf, unix_nanos, out);
}

void TimestampText::AppendBsd(int64_t unix_nanos, TextBuffer* out) {
  AppendSecond(kBsd, unix_nanos, out);
}

void TimestampText::AppendJavaLocal(int64_t unix_nanos, TextBuffer* out) {
  const int64_t nanos = AppendSecond(kJava, unix_nanos, out);
  out->Append('.');
  out->AppendPadded(static_cast<uint64_t>(nanos / 1'000'000), 3);
}

}  // namespace silt::loggen
