#include "shared/http/response_encoder.h"

#include <array>
#include <cassert>
#include <charconv>
#include <cstdio>

#include "shared/http/headers.h"
#include "shared/time/civil_time.h"

namespace silt::http {
namespace {

bool IsServerOwned(std::string_view name) {
  return EqualsIgnoreCase(name, "Content-Length") || EqualsIgnoreCase(name, "Transfer-Encoding") ||
         EqualsIgnoreCase(name, "Connection") || EqualsIgnoreCase(name, "Date");
}

void AppendSanitized(std::string_view value, std::string* out) {
  for (char c : value) out->push_back((c == '\r' || c == '\n' || c == '\0') ? ' ' : c);
}

void AppendLine(std::string_view name, std::string_view value, std::string* out) {
  out->append(name);
  out->append(": ");
  out->append(value);
  out->append("\r\n");
}

void AppendNumber(uint64_t value, std::string* out) {
  char buf[24];
  const auto result = std::to_chars(buf, buf + sizeof(buf), value);
  out->append(buf, result.ptr);
}

}  // namespace

void AppendResponseHead(const Response& response, const HeadOptions& options, std::string* out) {
  out->append("HTTP/1.1 ");
  AppendNumber(static_cast<uint64_t>(response.status), out);
  out->push_back(' ');
  out->append(ReasonPhrase(response.status));
  out->append("\r\n");
  if (!options.date.empty()) AppendLine("Date", options.date, out);
  for (const Header& header : response.headers) {
    if (IsServerOwned(header.name) || !IsValidHeaderName(header.name)) continue;
    out->append(header.name);
    out->append(": ");
    AppendSanitized(header.value, out);
    out->append("\r\n");
  }
  switch (options.framing) {
    case BodyFraming::kContentLength:
      out->append("Content-Length: ");
      AppendNumber(options.content_length, out);
      out->append("\r\n");
      break;
    case BodyFraming::kChunked:
      AppendLine("Transfer-Encoding", "chunked", out);
      break;
    case BodyFraming::kUntilClose:
    case BodyFraming::kNone:
      break;
  }
  if (options.close) {
    AppendLine("Connection", "close", out);
  } else if (options.keep_alive) {
    AppendLine("Connection", "keep-alive", out);
  }
  out->append("\r\n");
}

void AppendChunkSize(size_t size, std::string* out) {
  assert(size > 0);
  char buf[24];
  const auto result = std::to_chars(buf, buf + sizeof(buf), size, 16);
  out->append(buf, result.ptr);
  out->append("\r\n");
}

std::string FormatHttpDate(int64_t unix_seconds) {
  static constexpr std::array<const char*, 7> kDays = {"Thu", "Fri", "Sat", "Sun",
                                                       "Mon", "Tue", "Wed"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int64_t days = unix_seconds / 86400;
  int64_t secs = unix_seconds % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  int64_t year = 0;
  int month = 1;
  int day = 1;
  time::CivilFromDays(days, &year, &month, &day);
  const int64_t weekday = ((days % 7) + 7) % 7;  // 1970-01-01 was a Thursday
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%s, %02d %s %04lld %02d:%02d:%02d GMT", kDays[weekday], day,
                kMonths[month - 1], static_cast<long long>(year), static_cast<int>(secs / 3600),
                static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  return buf;
}

}  // namespace silt::http
