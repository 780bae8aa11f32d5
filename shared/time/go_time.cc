// Go reference-layout time formatting and parsing (go_time.h).
#include "shared/time/go_time.h"

#include <array>
#include <cstdio>

#include "shared/time/civil_time.h"

namespace silt::time {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
constexpr std::array<std::string_view, 12> kLongMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kLongDays = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                       "Thursday", "Friday", "Saturday"};

enum class Std {
  kNone,
  kLongMonth,
  kMonth,
  kNumMonth,
  kZeroMonth,
  kLongWeekDay,
  kWeekDay,
  kDay,
  kUnderDay,
  kZeroDay,
  kUnderYearDay,
  kZeroYearDay,
  kHour,
  kHour12,
  kZeroHour12,
  kMinute,
  kZeroMinute,
  kSecond,
  kZeroSecond,
  kLongYear,
  kYear,
  kPM,
  kpm,
  kTZ,
  kISO8601TZ,
  kISO8601SecondsTZ,
  kISO8601ShortTZ,
  kISO8601ColonTZ,
  kISO8601ColonSecondsTZ,
  kNumTZ,
  kNumSecondsTz,
  kNumShortTZ,
  kNumColonTZ,
  kNumColonSecondsTZ,
  kFrac0,
  kFrac9,
};

// One layout element: literal text before it, the element, and its source length.
struct Chunk {
  std::string_view prefix;
  Std std = Std::kNone;
  size_t length = 0;
  int frac_digits = 0;
  char frac_separator = '.';
};

bool HasAt(std::string_view s, size_t i, std::string_view what) {
  return s.substr(i).starts_with(what);
}
bool DigitAt(std::string_view s, size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; }

// The element starting at layout[i], or kNone (Go's nextStdChunk, one position at a time).
Std StdAt(std::string_view l, size_t i, size_t* length) {
  struct Form {
    std::string_view text;
    Std std;
  };
  static constexpr std::array<Form, 38> kForms = {{
      {"January", Std::kLongMonth},
      {"Jan", Std::kMonth},
      {"Monday", Std::kLongWeekDay},
      {"Mon", Std::kWeekDay},
      {"MST", Std::kTZ},
      {"002", Std::kZeroYearDay},
      {"01", Std::kZeroMonth},
      {"02", Std::kZeroDay},
      {"03", Std::kZeroHour12},
      {"04", Std::kZeroMinute},
      {"05", Std::kZeroSecond},
      {"06", Std::kYear},
      {"15", Std::kHour},
      {"1", Std::kNumMonth},
      {"2006", Std::kLongYear},
      {"2", Std::kDay},
      {"__2", Std::kUnderYearDay},
      {"_2", Std::kUnderDay},
      {"3", Std::kHour12},
      {"4", Std::kMinute},
      {"5", Std::kSecond},
      {"PM", Std::kPM},
      {"pm", Std::kpm},
      {"-07:00:00", Std::kNumColonSecondsTZ},
      {"-070000", Std::kNumSecondsTz},
      {"-07:00", Std::kNumColonTZ},
      {"-0700", Std::kNumTZ},
      {"-07", Std::kNumShortTZ},
      {"Z07:00:00", Std::kISO8601ColonSecondsTZ},
      {"Z070000", Std::kISO8601SecondsTZ},
      {"Z07:00", Std::kISO8601ColonTZ},
      {"Z0700", Std::kISO8601TZ},
      {"Z07", Std::kISO8601ShortTZ},
  }};
  for (const Form& form : kForms) {
    if (!HasAt(l, i, form.text)) continue;
    if (form.std == Std::kMonth && HasAt(l, i, "January")) continue;
    if (form.std == Std::kUnderDay && HasAt(l, i, "_2006")) continue;  // "_" then 2006
    *length = form.text.size();
    return form.std;
  }
  return Std::kNone;
}

std::vector<Chunk> SplitLayout(std::string_view l) {
  std::vector<Chunk> chunks;
  size_t start = 0;
  for (size_t i = 0; i < l.size(); ++i) {
    Chunk chunk;
    if ((l[i] == '.' || l[i] == ',') && i + 1 < l.size() && (l[i + 1] == '0' || l[i + 1] == '9')) {
      size_t j = i + 1;
      while (j < l.size() && l[j] == l[i + 1]) ++j;
      if (!DigitAt(l, j)) {
        chunk.std = l[i + 1] == '0' ? Std::kFrac0 : Std::kFrac9;
        chunk.length = j - i;
        chunk.frac_digits = static_cast<int>(j - i - 1);
        chunk.frac_separator = l[i];
      }
    } else {
      chunk.std = StdAt(l, i, &chunk.length);
    }
    if (chunk.std == Std::kNone) continue;
    chunk.prefix = l.substr(start, i - start);
    chunks.push_back(chunk);
    i += chunk.length - 1;
    start = i + 1;
  }
  chunks.push_back(Chunk{l.substr(start), Std::kNone, 0, 0, '.'});
  return chunks;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

struct Fields {
  int64_t year;
  int month, day, hour, minute, second, weekday, yday;
};

Fields Civil(const GoTime& t) {
  int64_t local = t.seconds + t.offset;
  int64_t days = FloorDiv(local, kSecondsPerDay);
  int64_t secs = local - days * kSecondsPerDay;
  Fields f{};
  time::CivilFromDays(days, &f.year, &f.month, &f.day);
  f.hour = static_cast<int>(secs / 3600);
  f.minute = static_cast<int>(secs / 60 % 60);
  f.second = static_cast<int>(secs % 60);
  f.weekday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday (4)
  f.yday = static_cast<int>(days - time::DaysFromCivil(f.year, 1, 1)) + 1;
  return f;
}

void AppendInt(int64_t v, int width, char pad, std::string* out) {
  if (v < 0) {
    out->push_back('-');
    v = -v;
  }
  std::string digits = std::to_string(v);
  for (int i = static_cast<int>(digits.size()); i < width; ++i) out->push_back(pad);
  out->append(digits);
}

void AppendZone(const GoTime& t, Std std, std::string* out) {
  bool iso = std >= Std::kISO8601TZ && std <= Std::kISO8601ColonSecondsTZ;
  if (iso && t.offset == 0) {
    out->push_back('Z');
    return;
  }
  int32_t zone = t.offset;
  out->push_back(zone < 0 ? '-' : '+');
  if (zone < 0) zone = -zone;
  AppendInt(zone / 3600, 2, '0', out);
  if (std == Std::kISO8601ShortTZ || std == Std::kNumShortTZ) return;
  bool colon = std == Std::kISO8601ColonTZ || std == Std::kNumColonTZ ||
               std == Std::kISO8601ColonSecondsTZ || std == Std::kNumColonSecondsTZ;
  if (colon) out->push_back(':');
  AppendInt(zone / 60 % 60, 2, '0', out);
  if (std == Std::kISO8601SecondsTZ || std == Std::kNumSecondsTz ||
      std == Std::kISO8601ColonSecondsTZ || std == Std::kNumColonSecondsTZ) {
    if (colon) out->push_back(':');
    AppendInt(zone % 60, 2, '0', out);
  }
}

void AppendFraction(const Chunk& c, int32_t nanos, std::string* out) {
  char digits[10];
  std::snprintf(digits, sizeof digits, "%09d", nanos);
  std::string_view frac(digits, static_cast<size_t>(std::min(c.frac_digits, 9)));
  if (c.std == Std::kFrac9) {
    while (!frac.empty() && frac.back() == '0') frac.remove_suffix(1);
    if (frac.empty()) return;
  }
  out->push_back(c.frac_separator);
  out->append(frac);
}

void AppendElement(const Chunk& c, const GoTime& t, const Fields& f, std::string* out) {
  int hour12 = f.hour % 12 == 0 ? 12 : f.hour % 12;
  switch (c.std) {
    case Std::kYear:
      AppendInt(f.year % 100, 2, '0', out);
      break;
    case Std::kLongYear:
      AppendInt(f.year, 4, '0', out);
      break;
    case Std::kMonth:
      out->append(kLongMonths[f.month - 1].substr(0, 3));
      break;
    case Std::kLongMonth:
      out->append(kLongMonths[f.month - 1]);
      break;
    case Std::kNumMonth:
      AppendInt(f.month, 0, '0', out);
      break;
    case Std::kZeroMonth:
      AppendInt(f.month, 2, '0', out);
      break;
    case Std::kWeekDay:
      out->append(kLongDays[f.weekday].substr(0, 3));
      break;
    case Std::kLongWeekDay:
      out->append(kLongDays[f.weekday]);
      break;
    case Std::kDay:
      AppendInt(f.day, 0, '0', out);
      break;
    case Std::kUnderDay:
      AppendInt(f.day, 2, ' ', out);
      break;
    case Std::kZeroDay:
      AppendInt(f.day, 2, '0', out);
      break;
    case Std::kUnderYearDay:
      AppendInt(f.yday, 3, ' ', out);
      break;
    case Std::kZeroYearDay:
      AppendInt(f.yday, 3, '0', out);
      break;
    case Std::kHour:
      AppendInt(f.hour, 2, '0', out);
      break;
    case Std::kHour12:
      AppendInt(hour12, 0, '0', out);
      break;
    case Std::kZeroHour12:
      AppendInt(hour12, 2, '0', out);
      break;
    case Std::kMinute:
      AppendInt(f.minute, 0, '0', out);
      break;
    case Std::kZeroMinute:
      AppendInt(f.minute, 2, '0', out);
      break;
    case Std::kSecond:
      AppendInt(f.second, 0, '0', out);
      break;
    case Std::kZeroSecond:
      AppendInt(f.second, 2, '0', out);
      break;
    case Std::kPM:
      out->append(f.hour >= 12 ? "PM" : "AM");
      break;
    case Std::kpm:
      out->append(f.hour >= 12 ? "pm" : "am");
      break;
    case Std::kTZ:
      if (!t.zone.empty()) {
        out->append(t.zone);
      } else {
        AppendZone(t, Std::kNumTZ, out);
      }
      break;
    case Std::kFrac0:
    case Std::kFrac9:
      AppendFraction(c, t.nanos, out);
      break;
    case Std::kNone:
      break;
    default:
      AppendZone(t, c.std, out);
      break;
  }
}

}  // namespace

GoTime GoTimeFromUnixNanos(int64_t unix_nanos) {
  GoTime t;
  t.seconds = FloorDiv(unix_nanos, 1'000'000'000);
  t.nanos = static_cast<int32_t>(unix_nanos - t.seconds * 1'000'000'000);
  return t;
}

void YearAndMonthOf(const GoTime& t, int64_t* year, int* month) {
  const Fields f = Civil(t);
  *year = f.year;
  *month = f.month;
}

std::string FormatGoTime(const GoTime& t, std::string_view layout) {
  Fields f = Civil(t);
  std::string out;
  for (const Chunk& c : SplitLayout(layout)) {
    out.append(c.prefix);
    AppendElement(c, t, f, &out);
  }
  return out;
}

std::string GoTimeString(const GoTime& t) {
  return FormatGoTime(t, "2006-01-02 15:04:05.999999999 -0700 MST");
}

namespace {

// Parsing state: the fields read so far (Go's defaults: year 0, January 1, midnight).
struct ParsedFields {
  int64_t year = 0;
  int month = 1, day = 1, hour = 0, minute = 0, second = 0, yday = -1;
  int32_t nanos = 0;
  bool pm = false, am = false, have_offset = false, utc = false;
  bool fraction_follows = false;  // the layout's next element is .000 or .999
  int32_t offset = 0;
  std::string zone_name;
};

}  // namespace

namespace {

// Go's getnum: one or two digits (exactly two when `fixed`).
bool TakeNumber(std::string_view* v, int max_digits, bool fixed, int* out) {
  if (!DigitAt(*v, 0)) return false;
  int n = 0, i = 0;
  for (; i < max_digits && DigitAt(*v, i); ++i) n = n * 10 + ((*v)[i] - '0');
  if (fixed && i != max_digits) return false;
  *out = n;
  v->remove_prefix(static_cast<size_t>(i));
  return true;
}

bool TakeName(std::string_view* v, bool long_form, const auto& names, int* index) {
  for (size_t k = 0; k < names.size(); ++k) {
    std::string_view name = long_form ? names[k] : names[k].substr(0, 3);
    if (v->size() < name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < name.size() && same; ++i) {
      same = (((*v)[i] | 0x20) == (name[i] | 0x20));
    }
    if (!same) continue;
    *index = static_cast<int>(k);
    v->remove_prefix(name.size());
    return true;
  }
  return false;
}

// The fraction after '.'/',' in `v` (the separator already checked), up to `digits` digits or all.
bool TakeFraction(std::string_view* v, int digits, int32_t* nanos) {
  v->remove_prefix(1);
  int32_t n = 0;
  int i = 0;
  for (; DigitAt(*v, static_cast<size_t>(i)) && (digits == 0 || i < digits); ++i) {
    if (i < 9) n = n * 10 + ((*v)[static_cast<size_t>(i)] - '0');
  }
  if (i == 0 || (digits != 0 && i != digits)) return false;
  for (int k = i; k < 9; ++k) n *= 10;
  *nanos = n;
  v->remove_prefix(static_cast<size_t>(i));
  return true;
}

Status ParseZone(Std std, std::string_view* v, ParsedFields* p) {
  bool iso = std >= Std::kISO8601TZ && std <= Std::kISO8601ColonSecondsTZ;
  if (iso && !v->empty() && (*v)[0] == 'Z') {
    v->remove_prefix(1);
    p->utc = true;
    return Status::Ok();
  }
  if (v->empty() || ((*v)[0] != '+' && (*v)[0] != '-')) return Status::InvalidArgument("bad zone");
  int sign = (*v)[0] == '-' ? -1 : 1;
  v->remove_prefix(1);
  bool colon = std == Std::kISO8601ColonTZ || std == Std::kNumColonTZ ||
               std == Std::kISO8601ColonSecondsTZ || std == Std::kNumColonSecondsTZ;
  bool seconds = std == Std::kISO8601SecondsTZ || std == Std::kNumSecondsTz ||
                 std == Std::kISO8601ColonSecondsTZ || std == Std::kNumColonSecondsTZ;
  bool hours_only = std == Std::kISO8601ShortTZ || std == Std::kNumShortTZ;
  int hh = 0, mm = 0, ss = 0;
  bool ok = TakeNumber(v, 2, true, &hh);
  auto part = [&](int* out) {
    if (colon) {
      if (v->empty() || (*v)[0] != ':') return false;
      v->remove_prefix(1);
    }
    return TakeNumber(v, 2, true, out);
  };
  if (ok && !hours_only) ok = part(&mm);
  if (ok && seconds) ok = part(&ss);
  if (!ok || hh > 24 || mm > 59 || ss > 59) return Status::InvalidArgument("bad zone offset");
  p->have_offset = true;
  p->offset = sign * (hh * 3600 + mm * 60 + ss);
  return Status::Ok();
}

Status ParseZoneName(std::string_view* v, ParsedFields* p) {
  if (v->starts_with("UTC")) {
    v->remove_prefix(3);
    p->utc = true;
    return Status::Ok();
  }
  size_t n = 0;
  while (n < v->size() && (*v)[n] >= 'A' && (*v)[n] <= 'Z') ++n;
  if (n < 3 || n > 5) return Status::InvalidArgument("bad zone name");
  p->zone_name = std::string(v->substr(0, n));
  v->remove_prefix(n);
  return Status::Ok();
}

Status ParseElement(const Chunk& c, std::string_view* v, ParsedFields* p) {
  auto fail = [](std::string_view what) { return Status::InvalidArgument(std::string(what)); };
  int n = 0;
  switch (c.std) {
    case Std::kYear:
      if (!TakeNumber(v, 2, true, &n)) return fail("bad year");
      p->year = n >= 69 ? 1900 + n : 2000 + n;
      return Status::Ok();
    case Std::kLongYear:
      if (v->size() < 4 || !TakeNumber(v, 4, true, &n)) return fail("bad year");
      p->year = n;
      return Status::Ok();
    case Std::kMonth:
    case Std::kLongMonth:
      if (!TakeName(v, c.std == Std::kLongMonth, kLongMonths, &n)) return fail("bad month");
      p->month = n + 1;
      return Status::Ok();
    case Std::kNumMonth:
    case Std::kZeroMonth:
      if (!TakeNumber(v, 2, c.std == Std::kZeroMonth, &n) || n < 1 || n > 12) {
        return fail("month out of range");
      }
      p->month = n;
      return Status::Ok();
    case Std::kWeekDay:
    case Std::kLongWeekDay:
      return TakeName(v, c.std == Std::kLongWeekDay, kLongDays, &n) ? Status::Ok()
                                                                    : fail("bad weekday");
    case Std::kDay:
    case Std::kUnderDay:
    case Std::kZeroDay:
      if (c.std == Std::kUnderDay && !v->empty() && (*v)[0] == ' ') v->remove_prefix(1);
      if (!TakeNumber(v, 2, c.std == Std::kZeroDay, &n) || n < 1 || n > 31) {
        return fail("day out of range");
      }
      p->day = n;
      return Status::Ok();
    case Std::kUnderYearDay:
    case Std::kZeroYearDay:
      while (c.std == Std::kUnderYearDay && !v->empty() && (*v)[0] == ' ') v->remove_prefix(1);
      if (!TakeNumber(v, 3, c.std == Std::kZeroYearDay, &n) || n < 1 || n > 366) {
        return fail("day-of-year out of range");
      }
      p->yday = n;
      return Status::Ok();
    case Std::kHour:
      if (!TakeNumber(v, 2, false, &n) || n > 23) return fail("hour out of range");
      p->hour = n;
      return Status::Ok();
    case Std::kHour12:
    case Std::kZeroHour12:
      if (!TakeNumber(v, 2, c.std == Std::kZeroHour12, &n) || n > 12) {
        return fail("hour out of range");
      }
      p->hour = n;
      return Status::Ok();
    case Std::kMinute:
    case Std::kZeroMinute:
      if (!TakeNumber(v, 2, c.std == Std::kZeroMinute, &n) || n > 59) {
        return fail("minute out of range");
      }
      p->minute = n;
      return Status::Ok();
    case Std::kSecond:
    case Std::kZeroSecond:
      if (!TakeNumber(v, 2, c.std == Std::kZeroSecond, &n) || n > 59) {
        return fail("second out of range");
      }
      p->second = n;
      // Go accepts a fraction after seconds even when the layout has none.
      if (!p->fraction_follows && v->size() >= 2 && ((*v)[0] == '.' || (*v)[0] == ',') &&
          DigitAt(*v, 1)) {
        if (!TakeFraction(v, 0, &p->nanos)) return fail("bad fractional second");
      }
      return Status::Ok();
    case Std::kPM:
    case Std::kpm: {
      std::string_view am = c.std == Std::kPM ? "AM" : "am";
      std::string_view pm = c.std == Std::kPM ? "PM" : "pm";
      if (v->starts_with(am)) {
        p->am = true;
      } else if (v->starts_with(pm)) {
        p->pm = true;
      } else {
        return fail("bad AM/PM");
      }
      v->remove_prefix(2);
      return Status::Ok();
    }
    case Std::kTZ:
      return ParseZoneName(v, p);
    case Std::kFrac0:
    case Std::kFrac9:
      if (v->empty() || ((*v)[0] != '.' && (*v)[0] != ',')) {
        return c.std == Std::kFrac9 ? Status::Ok() : fail("bad fractional second");
      }
      if (!TakeFraction(v, c.std == Std::kFrac0 ? c.frac_digits : 0, &p->nanos)) {
        return fail("bad fractional second");
      }
      return Status::Ok();
    case Std::kNone:
      return Status::Ok();
    default:
      return ParseZone(c.std, v, p);
  }
}

}  // namespace

Result<GoTime> ParseGoTime(std::string_view layout, std::string_view text, const GoZone& zone) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument("cannot parse \"" + std::string(text) + "\" as \"" +
                                   std::string(layout) + "\": " + std::string(why));
  };
  ParsedFields p;
  std::string_view value = text;
  std::vector<Chunk> chunks = SplitLayout(layout);
  for (size_t k = 0; k < chunks.size(); ++k) {
    const Chunk& c = chunks[k];
    std::string_view prefix = c.prefix;
    while (!prefix.empty()) {
      if (prefix[0] == ' ') {
        if (!value.empty() && value[0] != ' ') return bad("expected a space");
        while (!prefix.empty() && prefix[0] == ' ') prefix.remove_prefix(1);
        while (!value.empty() && value[0] == ' ') value.remove_prefix(1);
        continue;
      }
      if (value.empty() || value[0] != prefix[0]) {
        return bad("expected \"" + std::string(prefix) + "\"");
      }
      prefix.remove_prefix(1);
      value.remove_prefix(1);
    }
    if (c.std == Std::kNone) break;
    p.fraction_follows = chunks[k + 1].prefix.empty() &&
                         (chunks[k + 1].std == Std::kFrac0 || chunks[k + 1].std == Std::kFrac9);
    Status status = ParseElement(c, &value, &p);
    if (!status.ok()) return bad(status.message());
  }
  if (!value.empty()) return bad("extra text \"" + std::string(value) + "\"");
  if (p.pm && p.hour < 12) p.hour += 12;
  if (p.am && p.hour == 12) p.hour = 0;
  if (p.yday >= 0) {
    int64_t days = time::DaysFromCivil(p.year, 1, 1) + p.yday - 1;
    time::CivilFromDays(days, &p.year, &p.month, &p.day);
  }
  if (p.day > time::DaysInMonth(p.year, p.month)) return bad("day out of range");
  int64_t days = time::DaysFromCivil(p.year, p.month, p.day);
  int64_t local = days * kSecondsPerDay + p.hour * 3600 + p.minute * 60 + p.second;
  if (p.utc) return GoTime{local, p.nanos, 0, "UTC"};
  if (p.have_offset) {
    GoTime t{local - p.offset, p.nanos, p.offset, ""};
    int32_t zone_offset = 0;
    std::string abbreviation;
    zone.Lookup(t.seconds, &zone_offset, &abbreviation);
    if (zone_offset == p.offset) t.zone = abbreviation;
    return t;
  }
  if (!p.zone_name.empty()) return GoTime{local, p.nanos, 0, p.zone_name};
  // A wall time in `zone`: use the offset in force then (Go's rule for ambiguous times aside).
  int32_t offset = 0;
  std::string abbreviation;
  zone.Lookup(local, &offset, &abbreviation);
  zone.Lookup(local - offset, &offset, &abbreviation);
  return zone.At(local - offset, p.nanos);
}

}  // namespace silt::time
