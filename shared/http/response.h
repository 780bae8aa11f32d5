// Response: what a handler answers. The server owns framing: it writes `Content-Length` (or
// chunked encoding when streaming, see Responder), `Connection` and `Date` itself and drops those
// names from `headers`. For HEAD requests it sends the headers a GET would get, without the body.
// A value type; thread-compatible.
#pragma once

#include <string>
#include <string_view>

#include "shared/http/headers.h"
#include "shared/status/status.h"

namespace silt::http {

inline constexpr std::string_view kContentTypeJson = "application/json";
inline constexpr std::string_view kContentTypeText = "text/plain; charset=utf-8";

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  // A response with `body` and Content-Type text/plain; charset=utf-8.
  static Response Text(int status, std::string body);
  // A response with `body` (already-encoded JSON) and Content-Type application/json.
  static Response Json(int status, std::string body);
  // An error answer as Loki writes them: the message as plain text with a trailing newline.
  static Response Error(int status, std::string_view message);
  // Error(HttpStatusFor(status.code()), status.message()). Precondition: !status.ok().
  static Response FromStatus(const Status& status);
};

// The HTTP status for a Silt error code: InvalidArgument 400, Unauthenticated 401,
// PermissionDenied 403, NotFound 404, ResourceExhausted 429, Unavailable 503, others 500.
int HttpStatusFor(StatusCode code);

// The RFC 9110 reason phrase ("Not Found"), or "Unknown" for a code without one.
std::string_view ReasonPhrase(int status);

// True for statuses whose responses never have a body: 1xx, 204 and 304.
bool StatusForbidsBody(int status);

}  // namespace silt::http
