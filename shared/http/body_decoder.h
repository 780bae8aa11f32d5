// Content-Encoding of request bodies (RFC 9110 section 8.4): Loki push clients gzip their bodies.
// Supported codings are identity, gzip (also "x-gzip"; concatenated members are read in turn)
// and deflate (the zlib format RFC 9110 names, and raw deflate as sent by some clients). Output
// is bounded so a small compressed body cannot expand into gigabytes (a "gzip bomb").
// Stateless functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "shared/http/headers.h"
#include "shared/status/result.h"

namespace silt::http {

enum class ContentCoding { kIdentity, kGzip, kDeflate };

// The coding named by the request's Content-Encoding lines (none, or only "identity", is
// kIdentity). Returns InvalidArgument quoting the header for an unknown coding or for more than
// one non-identity coding; the server answers that with 415 Unsupported Media Type.
Result<ContentCoding> ParseContentEncoding(const Headers& headers);

// Decompresses `body` encoded with `coding` (kIdentity returns it unchanged). Errors:
// ResourceExhausted when the output would exceed `max_decoded_bytes` (answered with 413);
// InvalidArgument when the data is corrupt, truncated or followed by trailing bytes (answered
// with 400).
Result<std::string> DecodeBody(ContentCoding coding, std::string body, size_t max_decoded_bytes);

}  // namespace silt::http
