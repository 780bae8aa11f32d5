#include "aggregator/ingest/syslog/syslog_parser.h"

#include "aggregator/ingest/syslog/rfc5424_parser.h"

namespace silt::ingest {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool LooksLikeRfc5424(std::string_view rest) {
  if (rest.size() < 2 || rest[0] < '1' || rest[0] > '9') return false;
  if (rest[1] == ' ') return true;
  return rest.size() >= 3 && IsDigit(rest[1]) && rest[2] == ' ';
}

}  // namespace

std::string_view TrimLineEnd(std::string_view text) {
  if (text.ends_with('\n')) text.remove_suffix(1);
  if (text.ends_with('\r')) text.remove_suffix(1);
  return text;
}

Status ParseSyslog(std::string_view text, const ReceiveContext& context, SyslogMessage* out) {
  *out = SyslogMessage{};
  text = TrimLineEnd(text);
  std::string_view rest;
  SILT_RETURN_IF_ERROR(ParsePri(text, &out->facility, &out->severity, &rest));
  if (LooksLikeRfc5424(rest)) return ParseRfc5424(rest, out);
  return ParseRfc3164(rest, context, out);
}

}  // namespace silt::ingest
