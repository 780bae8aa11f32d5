// Request: one parsed HTTP/1.x request as a handler sees it. The body is already de-chunked and,
// when the client sent `Content-Encoding: gzip` or `deflate`, decompressed (RequestParser and
// body_decoder.h); `Content-Encoding` is then removed from `headers`, and the body is the
// representation the client meant.
// A value type: a handler may move it to a worker thread. Thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/http/headers.h"

namespace silt::http {

struct Request {
  std::string method;  // as sent, upper case: "GET", "POST", ...
  std::string target;  // the request-target as sent: "/loki/api/v1/query?query=%7Bjob%3D%22x%22%7D"
  std::string raw_path;  // the target's path, still percent-encoded: "/loki/api/v1/query"
  std::string path;      // raw_path percent-decoded ('+' stays '+')
  std::string query;     // the target's query without '?', still encoded; empty when absent
  int http_major = 1;
  int http_minor = 1;
  Headers headers;
  std::string body;
  // The peer as "203.0.113.7:51234" or "[2001:db8::1]:51234"; empty when unknown.
  std::string remote_address;
  // Set by the server from the Router: the matched pattern ("/loki/api/v1/label/{name}/values")
  // and the values of its named segments, percent-decoded, in pattern order.
  std::string route;
  std::vector<std::pair<std::string, std::string>> path_params;

  // The value of path parameter `name`, or "" when the route has no such parameter.
  std::string_view PathParam(std::string_view name) const {
    for (const auto& [key, value] : path_params) {
      if (key == name) return value;
    }
    return {};
  }
  // The first header line named `name` (any case), or nullopt.
  std::optional<std::string_view> Header(std::string_view name) const { return headers.Get(name); }
};

}  // namespace silt::http
