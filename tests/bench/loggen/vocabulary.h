// Vocabulary: the fixed word lists the formats draw from (HTTP methods and statuses with their
// weights, paths, user agents, message templates per level, Java classes and exceptions, syslog
// programs, label value names). Tables are constant data; changing any entry changes the output
// of every seed, so treat an edit like a format change (tests pin a digest of the output).
//
// Templates may contain placeholders that TemplateExpander fills: {id} {n} {ms} {word} {hex}
// {uuid} {user} {ip} {port} {pct}. Every text except StructuredData is printable ASCII without
// '"' or '\\', so it needs no escaping in JSON strings or quoted logfmt values (a test checks).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace silt::loggen::vocab {

// A text with a relative weight for WeightedPicker.
struct Weighted {
  std::string_view text;
  uint32_t weight;
};

// HTTP.
std::span<const Weighted> HttpMethods();
std::span<const Weighted> HttpStatuses();  // text is the 3-digit code
std::span<const Weighted> PathTemplates();
// User agents: API clients and probes (short) and browsers and bots (long).
std::span<const std::string_view> UserAgents();
std::span<const std::string_view> Referers();  // full URLs; "-" is chosen separately

// Application messages by level. Templates, with placeholders.
std::span<const std::string_view> DebugMessages();
std::span<const std::string_view> InfoMessages();
std::span<const std::string_view> WarnMessages();
std::span<const std::string_view> ErrorMessages();
// Words for {word} and for padding messages to a target length; lowercase letters only.
std::span<const std::string_view> Words();
// Names for {user}.
std::span<const std::string_view> UserNames();
// Extra key=value fields of JSON and logfmt event lines: key, value template.
struct Field {
  std::string_view key;
  std::string_view value_template;
  bool numeric;  // the expanded value is a number (unquoted in JSON)
};
std::span<const Field> EventFields();
// Go-style caller locations ("server.go:142") for logfmt.
std::span<const std::string_view> Callers();

// Syslog: messages of system programs (sshd, cron, kernel...) for RFC 3164/5424 lines.
struct SyslogMessage {
  std::string_view program;
  std::string_view text;  // template
};
std::span<const SyslogMessage> SyslogMessages();
std::span<const std::string_view> SyslogMsgIds();
// RFC 5424 structured data elements (a whole "[id k="v"...]" with placeholders).
std::span<const std::string_view> StructuredData();

// Java.
std::span<const std::string_view> JavaThreads();        // templates, e.g. "http-nio-8080-exec-{n}"
std::span<const std::string_view> JavaDomains();        // "orders" -> com.example.orders
std::span<const std::string_view> JavaClassSuffixes();  // "Service" -> OrdersService
std::span<const std::string_view> JavaMethods();
struct JavaException {
  std::string_view class_name;  // fully qualified
  std::string_view message;     // template
};
std::span<const JavaException> JavaExceptions();
std::span<const JavaException> JavaCauses();
// Framework frames that appear below application frames: "org.x.Y.method(Y.java:123)".
std::span<const std::string_view> JavaFrameworkFrames();

// Label values: the i-th value of a label is Names()[i % size] when i < size, else with a
// numeric suffix, so any cardinality gets distinct values.
std::span<const std::string_view> HostPrefixes();
std::span<const std::string_view> AppNames();
std::span<const std::string_view> Namespaces();

}  // namespace silt::loggen::vocab
