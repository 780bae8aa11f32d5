// Format: the log formats silt-loggen writes, with their command-line names. Stateless.
#pragma once

#include <span>
#include <string_view>

#include "shared/status/result.h"

namespace silt::loggen {

enum class Format {
  kNginx,       // combined access log as nginx writes it
  kApache,      // combined access log as Apache httpd writes it ("-" for an empty body)
  kJson,        // JSON application log with trace and span ids
  kLogfmt,      // logfmt application log
  kSyslog5424,  // RFC 5424 syslog
  kSyslog3164,  // RFC 3164 (BSD) syslog
  kJava,        // logback-style Java log with multi-line stack traces
  kMixed,       // every stream gets one of the seven formats above, in turn
};

// The command-line name: "nginx", "apache", "json", "logfmt", "syslog5424", "syslog3164",
// "java", "mixed". Also the value of the `job` label of a stream.
std::string_view FormatName(Format format);

// Parses a command-line name (the names above, plus the aliases "access" for nginx, "rfc5424"
// and "rfc3164"). Returns InvalidArgument quoting `text` and listing the names otherwise.
Result<Format> ParseFormat(std::string_view text);

// The seven concrete formats in the order `mixed` assigns them to streams.
std::span<const Format> ConcreteFormats();

}  // namespace silt::loggen
