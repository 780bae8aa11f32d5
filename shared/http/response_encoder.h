// The wire form of responses: the status line and header block, chunked-encoding framing, and
// the IMF-fixdate `Date` value. The server decides the framing; this file only writes bytes, so
// it is tested without sockets. Stateless functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "shared/http/response.h"

namespace silt::http {

enum class BodyFraming {
  kContentLength,  // Content-Length: <content_length>
  kChunked,        // Transfer-Encoding: chunked
  kUntilClose,     // neither: the body ends when the connection closes (HTTP/1.0 streaming)
  kNone,           // neither: 1xx, 204 and 304 responses have no body
};

struct HeadOptions {
  BodyFraming framing = BodyFraming::kContentLength;
  size_t content_length = 0;
  // Adds "Connection: close".
  bool close = false;
  // Adds "Connection: keep-alive" (for HTTP/1.0 clients that asked for it); ignored with close.
  bool keep_alive = false;
  // The Date value; left out when empty.
  std::string_view date;
};

// Appends "HTTP/1.1 <status> <reason>\r\n", the response's headers except those the server owns
// (Content-Length, Transfer-Encoding, Connection, Date), the framing, Connection and Date headers
// described by `options`, and the blank line. CR, LF and NUL inside a header value are written as
// spaces so no value can inject a header; lines with invalid names are left out.
void AppendResponseHead(const Response& response, const HeadOptions& options, std::string* out);

// Appends the size line of a chunk of `size` bytes ("1a\r\n"). Precondition: size > 0 (a zero
// size would end the body).
void AppendChunkSize(size_t size, std::string* out);
// What follows every chunk's data.
inline constexpr std::string_view kChunkEnd = "\r\n";
// The last chunk and the empty trailer section.
inline constexpr std::string_view kLastChunk = "0\r\n\r\n";
// The interim response to "Expect: 100-continue".
inline constexpr std::string_view kContinueResponse = "HTTP/1.1 100 Continue\r\n\r\n";

// "Sun, 06 Nov 1994 08:49:37 GMT" for `unix_seconds` (RFC 9110 section 5.6.7).
std::string FormatHttpDate(int64_t unix_seconds);

}  // namespace silt::http
