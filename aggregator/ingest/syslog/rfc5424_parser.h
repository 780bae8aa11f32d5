// Rfc5424Parser: the part of an RFC 5424 message after "<PRI>" (docs/syslog.md):
//
//   VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP STRUCTURED-DATA [SP MSG]
//
// Strict where the RFC is (field lengths, PRINTUSASCII header fields, SD-NAME characters,
// escapes in PARAM-VALUE), so that a message that is not RFC 5424 is not half-parsed into wrong
// labels: it is stored raw instead. TIMESTAMP is RFC 3339 with an offset (fractions up to 9
// digits are kept to the nanosecond); a UTF-8 BOM at the start of MSG is removed.
// Thread-safety: stateless.
#pragma once

#include <string_view>

#include "aggregator/ingest/syslog/syslog_message.h"
#include "shared/status/status.h"

namespace silt::ingest {

// Parses `rest` (the bytes after "<PRI>") into *out (whose facility/severity the caller set).
// OK, or InvalidArgument naming the field and the byte offset in `rest` where it went wrong.
// Views in *out point into `rest` or into out->owned_values.
Status ParseRfc5424(std::string_view rest, SyslogMessage* out);

}  // namespace silt::ingest
