#include "shared/time/civil_time.h"

#include <cassert>
#include <limits>
#include <string>

namespace silt::time {
namespace {

constexpr int64_t kSecondsPerDay = 86'400;
constexpr int64_t kNanosPerSecond = 1'000'000'000;
// Days from 0000-03-01 (the start of the shifted calendar used below) to 1970-01-01.
constexpr int64_t kEpochShiftDays = 719'468;
constexpr int64_t kDaysPer400Years = 146'097;

// Floor division for b > 0.
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0 && a < 0) ? 1 : 0); }

Status FieldError(std::string_view field, int64_t value, std::string_view range) {
  return Status::InvalidArgument("civil time " + std::string(field) + " " + std::to_string(value) +
                                 " is out of range " + std::string(range));
}

}  // namespace

bool IsLeapYear(int64_t year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

int DaysInMonth(int64_t year, int month) {
  assert(month >= 1 && month <= 12);
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

// The calendar is shifted to start on March 1 so the leap day is the last day of a year; a
// 400-year era then has a fixed length and day-of-era has a closed form.
int64_t DaysFromCivil(int64_t year, int month, int day) {
  assert(month >= 1 && month <= 12 && day >= 1 && day <= 31);
  const int64_t shifted_year = month <= 2 ? year - 1 : year;
  const int64_t era = FloorDiv(shifted_year, 400);
  const int64_t year_of_era = shifted_year - era * 400;                 // [0, 399]
  const int64_t shifted_month = month > 2 ? month - 3 : month + 9;      // March = 0
  const int64_t day_of_year = (153 * shifted_month + 2) / 5 + day - 1;  // [0, 365]
  const int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;  // [0, 146096]
  return era * kDaysPer400Years + day_of_era - kEpochShiftDays;
}

void CivilFromDays(int64_t days, int64_t* year, int* month, int* day) {
  const int64_t shifted = days + kEpochShiftDays;
  const int64_t era = FloorDiv(shifted, kDaysPer400Years);
  const int64_t day_of_era = shifted - era * kDaysPer400Years;  // [0, 146096]
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t shifted_month = (5 * day_of_year + 2) / 153;  // March = 0
  *day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  *month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  *year = year_of_era + era * 400 + (*month <= 2 ? 1 : 0);
}

CivilTime ToCivilTime(int64_t unix_nanos) {
  int64_t seconds = unix_nanos / kNanosPerSecond;
  int64_t nanos = unix_nanos % kNanosPerSecond;
  if (nanos < 0) {
    nanos += kNanosPerSecond;
    --seconds;
  }
  const int64_t days = FloorDiv(seconds, kSecondsPerDay);
  const int64_t second_of_day = seconds - days * kSecondsPerDay;
  CivilTime civil;
  CivilFromDays(days, &civil.year, &civil.month, &civil.day);
  civil.hour = static_cast<int>(second_of_day / 3600);
  civil.minute = static_cast<int>(second_of_day / 60 % 60);
  civil.second = static_cast<int>(second_of_day % 60);
  civil.nanosecond = static_cast<int>(nanos);
  return civil;
}

Result<int64_t> FromCivilTime(const CivilTime& civil) {
  constexpr int64_t kMaxAbsYear = 1'000'000;  // far outside int64 nanoseconds; keeps math exact
  if (civil.year < -kMaxAbsYear || civil.year > kMaxAbsYear) {
    return FieldError("year", civil.year, "1677..2262 (int64 nanoseconds since 1970)");
  }
  if (civil.month < 1 || civil.month > 12) return FieldError("month", civil.month, "1..12");
  const int days_in_month = DaysInMonth(civil.year, civil.month);
  if (civil.day < 1 || civil.day > days_in_month) {
    return FieldError("day", civil.day, "1.." + std::to_string(days_in_month));
  }
  if (civil.hour < 0 || civil.hour > 23) return FieldError("hour", civil.hour, "0..23");
  if (civil.minute < 0 || civil.minute > 59) return FieldError("minute", civil.minute, "0..59");
  if (civil.second < 0 || civil.second > 59) {
    return FieldError("second", civil.second, "0..59 (leap seconds are not representable)");
  }
  if (civil.nanosecond < 0 || civil.nanosecond >= kNanosPerSecond) {
    return FieldError("nanosecond", civil.nanosecond, "0..999999999");
  }
  const int64_t seconds = DaysFromCivil(civil.year, civil.month, civil.day) * kSecondsPerDay +
                          civil.hour * 3600 + civil.minute * 60 + civil.second;
  // In 128 bits: the earliest representable time has seconds * 10^9 below INT64_MIN.
  const __int128 nanos = static_cast<__int128>(seconds) * kNanosPerSecond + civil.nanosecond;
  if (nanos < std::numeric_limits<int64_t>::min() || nanos > std::numeric_limits<int64_t>::max()) {
    return Status::InvalidArgument(
        "civil time is outside the representable range "
        "1677-09-21T00:12:43.145224192Z..2262-04-11T23:47:16.854775807Z");
  }
  return static_cast<int64_t>(nanos);
}

}  // namespace silt::time
