// Router: maps a method and a path to a handler. Patterns are paths whose segments are literals
// or named parameters: "/loki/api/v1/label/{name}/values". A parameter matches one non-empty
// segment; segments are percent-decoded before they are compared or captured, so "%2F" inside a
// label name stays inside its segment. When several patterns match, the one whose first differing
// segment is a literal wins ("/a/b" before "/a/{x}").
//
// A path no pattern matches is 404; a path that matches only under other methods is 405 with an
// Allow header. HEAD falls back to the GET route (the server then sends no body).
//
// Build it at startup, then hand it to HttpServer, which only reads it: Find is const and may run
// on any thread once building is done.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/http/request.h"
#include "shared/http/responder.h"
#include "shared/http/response.h"
#include "shared/status/status.h"

namespace silt::http {

// Answers one request. It runs on the server's loop thread and must not block: it either answers
// at once (responder.Respond(...)) or moves the request and the responder to another thread and
// answers there. Dropping the responder unanswered makes the server answer 500.
using Handler = std::function<void(Request request, Responder responder)>;

struct RouteMatch {
  enum class Outcome { kFound, kNotFound, kMethodNotAllowed, kBadPath };
  Outcome outcome = Outcome::kNotFound;
  // kFound: the handler (owned by the Router) and the matched pattern.
  const Handler* handler = nullptr;
  std::string_view pattern;
  // kFound: decoded values of the named segments, in pattern order.
  std::vector<std::pair<std::string, std::string>> params;
  // kMethodNotAllowed: the Allow header value ("GET, HEAD, POST").
  std::string allow;
  // kBadPath: why the path could not be decoded.
  std::string error;
};

class Router {
 public:
  Router() = default;
  Router(Router&&) = default;
  Router& operator=(Router&&) = default;

  // Registers `handler` for `method` (an upper-case token such as "GET") and `pattern`.
  // Returns InvalidArgument, quoting the pattern, when it does not start with '/', has a
  // malformed or repeated "{name}" segment (names are [A-Za-z_][A-Za-z0-9_]*), or the same
  // method already has a pattern of the same shape; when `method` is not a token; or when
  // `handler` is empty.
  Status Add(std::string_view method, std::string_view pattern, Handler handler);

  // Finds the route for `raw_path` (still percent-encoded, without the query).
  RouteMatch Find(std::string_view method, std::string_view raw_path) const;

  size_t size() const { return routes_.size(); }

 private:
  struct Segment {
    std::string text;  // the literal, or the parameter's name
    bool is_param = false;
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
  };

  // Appends the segments of `pattern` to `segments`; InvalidArgument starting with `quoted`.
  static Status ParseSegments(std::string_view pattern, const std::string& quoted,
                              std::vector<Segment>* segments);
  // True when `route` matches `segments`; fills `params` if it is not null.
  static bool Matches(const Route& route, const std::vector<std::string>& segments,
                      std::vector<std::pair<std::string, std::string>>* params);
  // True when `a` is preferred over `b` (both match the same path).
  static bool MoreSpecific(const Route& a, const Route& b);

  std::vector<Route> routes_;
};

// The answer to a request no route handles, by match.outcome: 405 with Allow, 400 for a bad
// path, 404 otherwise.
Response UnroutedResponse(const Request& request, const RouteMatch& match);

}  // namespace silt::http
