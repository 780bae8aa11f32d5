// The pieces of the Prometheus text exposition format, version 0.0.4: name rules, escaping and
// number formatting. Registry::Expose() assembles whole families from these; they are public so
// that tests and other writers of the format (none yet) agree on every byte.
// Format reference: https://prometheus.io/docs/instrumenting/exposition_formats/
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace silt::metrics {

// The Content-Type an HTTP handler serving Registry::Expose() must send.
inline constexpr std::string_view kTextContentType = "text/plain; version=0.0.4; charset=utf-8";

// True when `name` matches [a-zA-Z_:][a-zA-Z0-9_:]*.
bool IsValidMetricName(std::string_view name);
// True when `name` matches [a-zA-Z_][a-zA-Z0-9_]* (whether "__" names are allowed is the
// caller's rule; see IsReservedLabelName).
bool IsValidLabelName(std::string_view name);
// True for names starting with "__", which Prometheus reserves for its own use.
bool IsReservedLabelName(std::string_view name);

// Appends `help` with '\' written as "\\" and newline as "\n" (the # HELP escaping).
void AppendEscapedHelp(std::string_view help, std::string* out);
// Appends `value` with '\' as "\\", '"' as "\"" and newline as "\n" (label value escaping).
void AppendEscapedLabelValue(std::string_view value, std::string* out);

// Appends a sample value: "NaN", "+Inf", "-Inf"; integral values below 2^53 in magnitude as plain
// integers ("42", "-3"); anything else as the shortest decimal that reads back to the same double
// ("0.1", "1.5e-07"). Every output parses with Go's strconv.ParseFloat, which Prometheus uses.
void AppendValue(double value, std::string* out);
// Appends `value` in decimal.
void AppendUint(uint64_t value, std::string* out);
// Appends a histogram bucket bound for the le label exactly as the Go client library writes it
// (strconv 'g' format, shortest): "0.005", "1", "2.5", "100000", "1e+06", "+Inf". Matching the
// Go client keeps le label values identical across exporters.
void AppendBucketBound(double bound, std::string* out);

}  // namespace silt::metrics
