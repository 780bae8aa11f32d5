#include "tests/bench/loggen/format.h"

#include <string>

namespace silt::loggen {
namespace {

constexpr Format kConcrete[] = {Format::kNginx,  Format::kApache,     Format::kJson,
                                Format::kLogfmt, Format::kSyslog5424, Format::kSyslog3164,
                                Format::kJava};

}  // namespace

std::string_view FormatName(Format format) {
  switch (format) {
    case Format::kNginx:
      return "nginx";
    case Format::kApache:
      return "apache";
    case Format::kJson:
      return "json";
    case Format::kLogfmt:
      return "logfmt";
    case Format::kSyslog5424:
      return "syslog5424";
    case Format::kSyslog3164:
      return "syslog3164";
    case Format::kJava:
      return "java";
    case Format::kMixed:
      return "mixed";
  }
  return "unknown";
}

Result<Format> ParseFormat(std::string_view text) {
  for (Format format : kConcrete) {
    if (text == FormatName(format)) return format;
  }
  if (text == "mixed") return Format::kMixed;
  if (text == "access") return Format::kNginx;
  if (text == "rfc5424") return Format::kSyslog5424;
  if (text == "rfc3164") return Format::kSyslog3164;
  return Status::InvalidArgument(
      "unknown log format \"" + std::string(text) +
      "\": use nginx, apache, json, logfmt, syslog5424, syslog3164, java or mixed");
}

std::span<const Format> ConcreteFormats() { return kConcrete; }

}  // namespace silt::loggen
