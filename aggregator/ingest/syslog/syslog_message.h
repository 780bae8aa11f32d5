// SyslogMessage: one syslog message taken apart (RFC 5424 or RFC 3164; docs/syslog.md), plus the
// PRI helpers both parsers share: facility and severity from "<PRI>" and their names as labels.
// Views point into the received bytes except where a field had to be rewritten (SD-PARAM values
// with escapes), which the message then owns in `owned_values`.
// Thread-safety: a value type; the functions are stateless.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "shared/status/result.h"

namespace silt::ingest {

enum class SyslogFormat { kRfc5424, kRfc3164 };

// One SD-PARAM of one SD-ELEMENT: `[id name="value"]`.
struct SdParam {
  std::string_view id;
  std::string_view name;
  std::string_view value;  // unescaped
};

struct SyslogMessage {
  SyslogFormat format = SyslogFormat::kRfc5424;
  int facility = 1;  // 0..23
  int severity = 5;  // 0..7
  // ns since the Unix epoch from the message; false when it had none ("-" in RFC 5424).
  bool has_timestamp = false;
  int64_t timestamp = 0;
  std::string_view hostname;  // empty: absent ("-")
  std::string_view app_name;  // RFC 3164: the TAG
  std::string_view proc_id;   // RFC 3164: the pid in TAG[pid]
  std::string_view msg_id;
  std::vector<SdParam> structured_data;
  std::string_view msg;  // without the UTF-8 BOM
  // Storage for unescaped SD-PARAM values (a deque: views into it stay valid).
  std::deque<std::string> owned_values;
};

// The largest valid PRI: facility 23 (local7) * 8 + severity 7.
inline constexpr int kMaxPri = 191;

// Parses "<PRI>" at the start of `text`: 1 to 3 digits, no leading zero unless the PRI is 0,
// value 0..191. OK: the facility and severity, and `*rest` is the text after '>'. InvalidArgument
// naming the problem (missing '<', absurd value, unterminated) otherwise.
Status ParsePri(std::string_view text, int* facility, int* severity, std::string_view* rest);

// Severity names as Loki/promtail levels: emerg alert crit error warning notice info debug.
std::string_view SeverityName(int severity);
// Facility keywords (RFC 5424 table 1, rsyslog names): kern user mail daemon auth syslog lpr
// news uucp cron authpriv ftp ntp security console solaris-cron local0..local7.
std::string_view FacilityName(int facility);

}  // namespace silt::ingest
