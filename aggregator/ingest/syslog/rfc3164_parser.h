// Rfc3164Parser: the part of a BSD syslog message (RFC 3164) after "<PRI>" (docs/syslog.md):
//
//   Mmm dd hh:mm:ss SP [HOSTNAME SP] TAG["[" PID "]"] ":" [SP] CONTENT
//
// The timestamp has no year and no zone: it is read in the receiver's zone (the UTC offset the
// caller passes) and given the year, among the receive year and its neighbours, that puts it
// closest to the receive time, so a "Dec 31 23:59:59" received on Jan 1 lands in the old year
// and a "Jan  1 00:00:01" from a fast clock received on Dec 31 in the new one. A single-digit day
// may be padded with a space or a zero. The HOSTNAME is absent when the word after the timestamp
// already ends the TAG (contains '[' or ends with ':'). A message without the ':' after a TAG
// keeps everything after the hostname as CONTENT with no app.
// Thread-safety: stateless.
#pragma once

#include <cstdint>
#include <string_view>

#include "aggregator/ingest/syslog/syslog_message.h"
#include "shared/status/status.h"

namespace silt::ingest {

// What the receiver knows that an RFC 3164 message leaves out.
struct ReceiveContext {
  int64_t receive_time_ns = 0;     // wall clock when the message arrived
  int64_t utc_offset_seconds = 0;  // the receiver's zone at that time (east positive)
};

// The local zone's UTC offset (seconds east) at `unix_ns`, from the C library (TZ, /etc/localtime).
int64_t LocalUtcOffsetSeconds(int64_t unix_ns);

// Parses `rest` (the bytes after "<PRI>") into *out (whose facility/severity the caller set).
// OK, or InvalidArgument naming what is wrong (the timestamp, mostly). Views point into `rest`.
Status ParseRfc3164(std::string_view rest, const ReceiveContext& context, SyslogMessage* out);

}  // namespace silt::ingest
