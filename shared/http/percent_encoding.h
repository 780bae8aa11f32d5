// Percent-encoding (RFC 3986 section 2.1) of URL paths, query strings and
// application/x-www-form-urlencoded bodies. Stateless functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "shared/status/result.h"

namespace silt::http {

enum class PlusMeans {
  kPlus,   // paths: '+' is a literal plus
  kSpace,  // query strings and forms: '+' is a space (as Go's url.ParseQuery, which Loki uses)
};

// Decodes `%XX` escapes (hex digits in either case) and, with PlusMeans::kSpace, '+'. Bytes
// that need no escape pass through unchanged; the result may hold any byte except NUL.
// Returns InvalidArgument, quoting `text` and the byte offset, for a '%' not followed by two hex
// digits, and for a NUL byte, escaped ("%00") or not, which no Silt name or value may contain.
Result<std::string> PercentDecode(std::string_view text, PlusMeans plus);

// Escapes every byte except the RFC 3986 unreserved set (A-Z a-z 0-9 - . _ ~) as %XX with
// upper-case hex, so the result is safe as a query key or value and as one path segment.
std::string PercentEncode(std::string_view text);

}  // namespace silt::http
