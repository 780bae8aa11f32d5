#include "shared/http/router.h"

#include <algorithm>
#include <utility>

#include "shared/http/headers.h"
#include "shared/http/percent_encoding.h"

namespace silt::http {
namespace {

bool IsParamName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!alpha && !(digit && i > 0)) return false;
  }
  return true;
}

// Splits "/a/b/c" into {"a", "b", "c"}; "/" into {""}.
std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  path.remove_prefix(1);
  while (true) {
    const size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

// "GET, HEAD, POST": sorted, without repeats.
std::string JoinMethods(std::vector<std::string> methods) {
  std::sort(methods.begin(), methods.end());
  methods.erase(std::unique(methods.begin(), methods.end()), methods.end());
  std::string joined;
  for (const std::string& m : methods) {
    if (!joined.empty()) joined.append(", ");
    joined.append(m);
  }
  return joined;
}

}  // namespace

Status Router::ParseSegments(std::string_view pattern, const std::string& quoted,
                             std::vector<Segment>* segments) {
  for (std::string_view text : SplitPath(pattern)) {
    const bool opens = text.find('{') != std::string_view::npos;
    const bool closes = text.find('}') != std::string_view::npos;
    if (!opens && !closes) {
      segments->push_back(Segment{std::string(text), false});
      continue;
    }
    if (text.size() < 2 || text.front() != '{' || text.back() != '}' ||
        !IsParamName(text.substr(1, text.size() - 2))) {
      return Status::InvalidArgument(quoted + ": segment \"" + std::string(text) +
                                     "\" must be a literal or a whole {name} with name "
                                     "[A-Za-z_][A-Za-z0-9_]*");
    }
    const std::string name(text.substr(1, text.size() - 2));
    for (const Segment& s : *segments) {
      if (s.is_param && s.text == name) {
        return Status::InvalidArgument(quoted + ": parameter {" + name + "} appears twice");
      }
    }
    segments->push_back(Segment{name, true});
  }
  return Status::Ok();
}

Status Router::Add(std::string_view method, std::string_view pattern, Handler handler) {
  const std::string quoted = "route \"" + std::string(method) + " " + std::string(pattern) + "\"";
  if (!IsValidHeaderName(method)) {
    return Status::InvalidArgument(quoted + ": the method must be a token such as GET");
  }
  if (!handler) return Status::InvalidArgument(quoted + ": the handler is empty");
  if (pattern.empty() || pattern.front() != '/') {
    return Status::InvalidArgument(quoted + ": a pattern starts with '/'");
  }
  Route route{std::string(method), std::string(pattern), {}, std::move(handler)};
  SILT_RETURN_IF_ERROR(ParseSegments(pattern, quoted, &route.segments));
  for (const Route& other : routes_) {
    if (other.method != route.method || other.segments.size() != route.segments.size()) continue;
    const bool same_shape =
        std::equal(other.segments.begin(), other.segments.end(), route.segments.begin(),
                   [](const Segment& a, const Segment& b) {
                     return a.is_param == b.is_param && (a.is_param || a.text == b.text);
                   });
    if (same_shape) {
      return Status::InvalidArgument(quoted + ": conflicts with route \"" + other.method + " " +
                                     other.pattern + "\"");
    }
  }
  routes_.push_back(std::move(route));
  return Status::Ok();
}

bool Router::Matches(const Route& route, const std::vector<std::string>& segments,
                     std::vector<std::pair<std::string, std::string>>* params) {
  if (route.segments.size() != segments.size()) return false;
  for (size_t i = 0; i < segments.size(); ++i) {
    const Segment& s = route.segments[i];
    if (s.is_param ? segments[i].empty() : s.text != segments[i]) return false;
  }
  if (params != nullptr) {
    params->clear();
    for (size_t i = 0; i < segments.size(); ++i) {
      if (route.segments[i].is_param) params->emplace_back(route.segments[i].text, segments[i]);
    }
  }
  return true;
}

bool Router::MoreSpecific(const Route& a, const Route& b) {
  for (size_t i = 0; i < a.segments.size() && i < b.segments.size(); ++i) {
    if (a.segments[i].is_param != b.segments[i].is_param) return !a.segments[i].is_param;
  }
  return false;
}

RouteMatch Router::Find(std::string_view method, std::string_view raw_path) const {
  RouteMatch match;
  if (raw_path.empty() || raw_path.front() != '/') return match;
  std::vector<std::string> segments;
  for (std::string_view raw : SplitPath(raw_path)) {
    auto decoded = PercentDecode(raw, PlusMeans::kPlus);
    if (!decoded.ok()) {
      match.outcome = RouteMatch::Outcome::kBadPath;
      match.error = std::string(decoded.status().message());
      return match;
    }
    segments.push_back(std::move(*decoded));
  }
  const Route* best = nullptr;
  const Route* best_get = nullptr;  // for HEAD without its own route
  std::vector<std::string> allowed;
  for (const Route& route : routes_) {
    if (!Matches(route, segments, nullptr)) continue;
    allowed.push_back(route.method);
    if (route.method == "GET") allowed.push_back("HEAD");
    if (route.method == method && (best == nullptr || MoreSpecific(route, *best))) best = &route;
    if (method == "HEAD" && route.method == "GET" &&
        (best_get == nullptr || MoreSpecific(route, *best_get))) {
      best_get = &route;
    }
  }
  if (best == nullptr) best = best_get;
  if (best != nullptr) {
    match.outcome = RouteMatch::Outcome::kFound;
    match.handler = &best->handler;
    match.pattern = best->pattern;
    Matches(*best, segments, &match.params);
    return match;
  }
  if (allowed.empty()) return match;
  match.outcome = RouteMatch::Outcome::kMethodNotAllowed;
  match.allow = JoinMethods(std::move(allowed));
  return match;
}

Response UnroutedResponse(const Request& request, const RouteMatch& match) {
  switch (match.outcome) {
    case RouteMatch::Outcome::kMethodNotAllowed: {
      Response response = Response::Error(405, "method " + request.method + " is not allowed for " +
                                                   request.path + "; allowed: " + match.allow);
      response.headers.Add("Allow", match.allow);
      return response;
    }
    case RouteMatch::Outcome::kBadPath:
      return Response::Error(400, "bad request path: " + match.error);
    case RouteMatch::Outcome::kNotFound:
    case RouteMatch::Outcome::kFound:
      break;
  }
  return Response::Error(404, "no route for " + request.method + " " + request.path);
}

}  // namespace silt::http
