// SyslogWriter: syslog lines as a relay or a file would hold them, one per entry.
//   RFC 5424: <165>1 2024-01-01T00:00:00.123456Z web-01 checkout 4242 ID47 - message
//             (VERSION 1, TIME-SECFRAC of 6 digits, MSGID "-" or a word, STRUCTURED-DATA "-"
//             or one element such as [origin ip="203.0.113.7"])
//   RFC 3164: <34>Jan  1 00:00:00 web-01 sshd[4242]: message
// Half the entries come from the stream's application (APP-NAME = the app label, PROCID = the
// stream's pid, a level-skewed message), half from system programs (sshd, CRON, systemd,
// kernel...). PRI combines a facility fixed per stream with the severity of the level. The
// message is the free-text part for --line-size. Not thread-safe.
#pragma once

#include "tests/bench/loggen/entry_writer.h"

namespace silt::loggen {

class SyslogWriter final : public EntryWriter {
 public:
  enum class Rfc { k5424, k3164 };

  explicit SyslogWriter(Rfc rfc) : rfc_(rfc) {}

  bool Write(const LineContext& ctx, TextBuffer* out) override;

 private:
  Rfc rfc_;
};

}  // namespace silt::loggen
