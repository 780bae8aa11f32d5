// Civil (calendar) time in UTC on the proleptic Gregorian calendar, converted to and from Silt's
// timestamps (int64 nanoseconds since the Unix epoch) with integer arithmetic only: no timegm(),
// no TZ, no locale. Used by the RFC 3339 parser and formatter (timestamp.h) and by code that names
// things after dates (time partitions "YYYYMMDDHH"). Leap seconds do not exist here (second 60 is
// not representable), as in Unix time. Stateless functions; thread-safe.
#pragma once

#include <cstdint>

#include "shared/status/result.h"

namespace silt::time {

// A UTC calendar date and time of day. Fields are not validated by the type itself.
struct CivilTime {
  int64_t year = 1970;
  int month = 1;       // 1..12
  int day = 1;         // 1..DaysInMonth(year, month)
  int hour = 0;        // 0..23
  int minute = 0;      // 0..59
  int second = 0;      // 0..59
  int nanosecond = 0;  // 0..999999999

  friend bool operator==(const CivilTime&, const CivilTime&) = default;
};

// Gregorian leap year: divisible by 4, except centuries not divisible by 400 (1900 no, 2000 yes).
bool IsLeapYear(int64_t year);
// Days in `month` (1..12) of `year`: 28..31.
int DaysInMonth(int64_t year, int month);

// Days from 1970-01-01 to the given date (negative before it). Preconditions: month 1..12, day
// 1..DaysInMonth, |year| < 10^15 so the result cannot overflow.
int64_t DaysFromCivil(int64_t year, int month, int day);
// The inverse of DaysFromCivil: the date `days` after 1970-01-01. Writes year, month and day.
void CivilFromDays(int64_t days, int64_t* year, int* month, int* day);

// The UTC calendar time of `unix_nanos`. Total for every int64 (1677-09-21..2262-04-11).
CivilTime ToCivilTime(int64_t unix_nanos);
// Nanoseconds since the epoch for `civil`. Returns InvalidArgument naming the field when a field
// is out of its range, or when the time is outside the int64 range
// 1677-09-21T00:12:43.145224192Z..2262-04-11T23:47:16.854775807Z.
Result<int64_t> FromCivilTime(const CivilTime& civil);

}  // namespace silt::time
