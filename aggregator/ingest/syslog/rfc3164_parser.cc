#include "aggregator/ingest/syslog/rfc3164_parser.h"

#include <array>
#include <cstdlib>
#include <ctime>
#include <string>

#include "shared/time/civil_time.h"

namespace silt::ingest {
namespace {

constexpr int64_t kSecondNs = 1'000'000'000;
constexpr size_t kMaxTagBytes = 48;

Status Fail(std::string_view what) {
  return Status::InvalidArgument("RFC 3164 " + std::string(what));
}

int Month(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == name) return static_cast<int>(i) + 1;
  }
  return 0;
}

bool Digits(std::string_view text, size_t pos, size_t n, int* out) {
  int value = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  *out = value;
  return true;
}

// "Mmm dd hh:mm:ss" (15 bytes) into a civil time without a year.
Status ParseStamp(std::string_view text, time::CivilTime* civil) {
  if (text.size() < 16 || text[3] != ' ' || text[6] != ' ' || text[9] != ':' || text[12] != ':' ||
      text[15] != ' ') {
    return Fail("timestamp is not \"Mmm dd hh:mm:ss \"");
  }
  civil->month = Month(text.substr(0, 3));
  if (civil->month == 0)
    return Fail("timestamp month \"" + std::string(text.substr(0, 3)) + "\" is not Jan..Dec");
  const bool padded = text[4] == ' ';
  if (!Digits(text, padded ? 5 : 4, padded ? 1 : 2, &civil->day) ||
      !Digits(text, 7, 2, &civil->hour) || !Digits(text, 10, 2, &civil->minute) ||
      !Digits(text, 13, 2, &civil->second)) {
    return Fail("timestamp has a non-digit in \"" + std::string(text.substr(0, 15)) + "\"");
  }
  if (civil->day < 1 || civil->day > 31 || civil->hour > 23 || civil->minute > 59 ||
      civil->second > 59) {
    return Fail("timestamp \"" + std::string(text.substr(0, 15)) + "\" is out of range");
  }
  return Status::Ok();
}

// The year (receive year - 1, + 0, + 1) that puts `civil` closest to the receive time.
Status ResolveYear(time::CivilTime civil, const ReceiveContext& context, int64_t* out) {
  const int64_t local_now = context.receive_time_ns + context.utc_offset_seconds * kSecondNs;
  const int64_t year = time::ToCivilTime(local_now).year;
  bool found = false;
  for (int64_t candidate = year - 1; candidate <= year + 1; ++candidate) {
    civil.year = candidate;
    if (civil.day > time::DaysInMonth(candidate, civil.month)) continue;  // Feb 29
    Result<int64_t> local = time::FromCivilTime(civil);
    if (!local.ok()) continue;
    const int64_t utc = *local - context.utc_offset_seconds * kSecondNs;
    if (!found ||
        std::llabs(utc - context.receive_time_ns) < std::llabs(*out - context.receive_time_ns)) {
      *out = utc;
      found = true;
    }
  }
  if (!found) return Fail("timestamp day does not exist in the month near the receive time");
  return Status::Ok();
}

// TAG["[" PID "]"] ":" at the start of `word_and_rest`; false when it is not a tag.
bool ParseTag(std::string_view text, SyslogMessage* out, std::string_view* content) {
  size_t n = 0;
  while (n < text.size() && n <= kMaxTagBytes && text[n] != '[' && text[n] != ':' &&
         text[n] != ' ') {
    ++n;
  }
  if (n == 0 || n > kMaxTagBytes || n == text.size()) return false;
  std::string_view pid;
  size_t end = n;
  if (text[n] == '[') {
    const size_t close = text.find(']', n);
    if (close == std::string_view::npos || close - n - 1 > 128) return false;
    pid = text.substr(n + 1, close - n - 1);
    end = close + 1;
  }
  if (end >= text.size() || text[end] != ':') return false;
  out->app_name = text.substr(0, n);
  out->proc_id = pid;
  std::string_view rest = text.substr(end + 1);
  if (rest.starts_with(' ')) rest.remove_prefix(1);
  *content = rest;
  return true;
}

// True when `word` can only be a TAG, not a HOSTNAME.
bool LooksLikeTag(std::string_view word) {
  return word.find('[') != std::string_view::npos || word.ends_with(':');
}

}  // namespace

int64_t LocalUtcOffsetSeconds(int64_t unix_ns) {
  const time_t seconds = static_cast<time_t>(unix_ns / kSecondNs);
  struct tm local {};
  if (localtime_r(&seconds, &local) == nullptr) return 0;
  return local.tm_gmtoff;
}

Status ParseRfc3164(std::string_view rest, const ReceiveContext& context, SyslogMessage* out) {
  out->format = SyslogFormat::kRfc3164;
  time::CivilTime civil;
  SILT_RETURN_IF_ERROR(ParseStamp(rest, &civil));
  SILT_RETURN_IF_ERROR(ResolveYear(civil, context, &out->timestamp));
  out->has_timestamp = true;
  std::string_view text = rest.substr(16);
  const size_t space = text.find(' ');
  const std::string_view first = text.substr(0, space);
  if (!first.empty() && !LooksLikeTag(first) && space != std::string_view::npos) {
    out->hostname = first;
    text = text.substr(space + 1);
  }
  std::string_view content;
  if (ParseTag(text, out, &content)) {
    out->msg = content;
  } else {
    out->msg = text;
  }
  return Status::Ok();
}

}  // namespace silt::ingest
