// ParseSyslog: one received syslog message (a TCP frame or a UDP datagram) to a SyslogMessage,
// with the format detected per message (docs/syslog.md "Formats"): after a valid "<PRI>", a
// digit 1-9 followed by an optional second digit and a space is an RFC 5424 VERSION; anything
// else is RFC 3164. A trailing LF (and CR before it) is removed first.
//
// A message that does not parse is not an error for the listener: it stores the raw bytes with
// the receive time and counts it (result="raw"); the Status says why, for the entry's
// `syslog_error` metadata.
// Thread-safety: stateless.
#pragma once

#include <string_view>

#include "aggregator/ingest/syslog/rfc3164_parser.h"
#include "aggregator/ingest/syslog/syslog_message.h"
#include "shared/status/status.h"

namespace silt::ingest {

// Parses `text` into *out (reset first). OK, or InvalidArgument naming the field at fault: no or
// absurd PRI (outside 0..191), or a format-specific error from ParseRfc5424 / ParseRfc3164.
// Views in *out point into `text` (or out->owned_values): keep `text` alive while using them.
Status ParseSyslog(std::string_view text, const ReceiveContext& context, SyslogMessage* out);

// `text` without one trailing "\n" or "\r\n".
std::string_view TrimLineEnd(std::string_view text);

}  // namespace silt::ingest
