#include "aggregator/ingest/syslog/syslog_message.h"

#include <array>

namespace silt::ingest {

Status ParsePri(std::string_view text, int* facility, int* severity, std::string_view* rest) {
  if (text.empty() || text[0] != '<') {
    return Status::InvalidArgument("no PRI: a syslog message starts with \"<PRI>\", e.g. <13>");
  }
  size_t i = 1;
  int value = 0;
  while (i < text.size() && i <= 4 && text[i] >= '0' && text[i] <= '9') {
    value = value * 10 + (text[i] - '0');
    ++i;
  }
  const size_t digits = i - 1;
  if (digits == 0 || i >= text.size() || text[i] != '>') {
    return Status::InvalidArgument("PRI is not \"<\" 1-3 digits \">\"");
  }
  if (digits > 3 || (digits > 1 && text[1] == '0')) {
    return Status::InvalidArgument("PRI has leading zeros or more than 3 digits");
  }
  if (value > kMaxPri) {
    return Status::InvalidArgument("PRI " + std::to_string(value) +
                                   " is out of range 0..191 (facility 0..23 * 8 + severity)");
  }
  *facility = value / 8;
  *severity = value % 8;
  *rest = text.substr(i + 1);
  return Status::Ok();
}

std::string_view SeverityName(int severity) {
  static constexpr std::array<std::string_view, 8> kNames = {"emerg",   "alert",  "crit", "error",
                                                             "warning", "notice", "info", "debug"};
  return severity >= 0 && severity < 8 ? kNames[severity] : std::string_view();
}

std::string_view FacilityName(int facility) {
  static constexpr std::array<std::string_view, 24> kNames = {
      "kern",   "user",   "mail",     "daemon", "auth",   "syslog",   "lpr",     "news",
      "uucp",   "cron",   "authpriv", "ftp",    "ntp",    "security", "console", "solaris-cron",
      "local0", "local1", "local2",   "local3", "local4", "local5",   "local6",  "local7"};
  return facility >= 0 && facility < 24 ? kNames[facility] : std::string_view();
}

}  // namespace silt::ingest
