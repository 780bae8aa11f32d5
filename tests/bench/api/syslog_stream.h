// SyslogStream: the RFC 5424 messages of the syslog benchmark, made once and sent unchanged to
// every contender: silt-loggen's syslog5424 lines (seed 1, stamped from a minute ago on, 1 us
// apart), dealt round-robin to `connections` TCP connections and framed per RFC 6587 with octet
// counting (`<len> <msg>`) or LF (`<msg>\n`). Send() writes each connection's bytes from a thread
// of its own. Thread-safety: a made stream is immutable; Send may run concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "shared/status/result.h"
#include "shared/status/status.h"

namespace silt::bench {

class SyslogStream {
 public:
  // InvalidArgument for zero lines or connections or a line size silt-loggen refuses.
  static Result<SyslogStream> Make(uint64_t lines, int connections, bool octet_counting,
                                   uint32_t line_bytes);

  // Connects every connection to 127.0.0.1:`port`, writes its bytes, closes it. IOError naming
  // the connection and port when connecting or writing fails.
  Status Send(int port) const;

  uint64_t messages() const { return messages_; }
  uint64_t message_bytes() const { return message_bytes_; }  // without framing
  size_t connections() const { return connections_.size(); }
  // The framed bytes connection `index` sends. Precondition: index < connections().
  const std::string& bytes(size_t index) const { return connections_[index]; }

 private:
  std::vector<std::string> connections_;  // framed bytes per connection
  uint64_t messages_ = 0;
  uint64_t message_bytes_ = 0;
};

}  // namespace silt::bench
