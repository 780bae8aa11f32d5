// Fuzz target for the socket-free request layer of shared/http: RequestParser (libhttp-parser,
// limits, Host/Expect checks, path decoding, gzip/deflate bodies), then QueryParams, the Router
// and the response encoder on what it produced. Input layout: byte 0 chooses how the rest is cut
// into Feed() calls (0 = all at once, 1 = byte by byte, n = pseudo-random pieces of 1..n bytes);
// bytes 1.. are the received stream. Limits are small so each input runs fast.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "shared/http/query_params.h"
#include "shared/http/request_parser.h"
#include "shared/http/response_encoder.h"
#include "shared/http/router.h"

namespace silt::http {
namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

RequestLimits FuzzLimits() {
  RequestLimits limits;
  limits.max_header_bytes = 4096;
  limits.max_headers = 32;
  limits.max_body_bytes = 64 * 1024;
  limits.max_decoded_body_bytes = 256 * 1024;
  return limits;
}

Router FuzzRouter() {
  Router router;
  Handler noop = [](Request, Responder) {};
  for (const char* pattern :
       {"/loki/api/v1/push", "/loki/api/v1/query_range", "/loki/api/v1/label/{name}/values",
        "/api/v1/rules/{ns}/{group}", "/ready", "/"}) {
    Check(router.Add("GET", pattern, noop).ok() && router.Add("POST", pattern, noop).ok());
  }
  return router;
}

// Exercises everything downstream of the parser with one request.
void UseRequest(const ParsedRequest& parsed, const RequestLimits& limits, const Router& router) {
  const Request& request = parsed.request;
  Check(request.body.size() <= limits.max_decoded_body_bytes);
  Check(request.headers.size() <= limits.max_headers);
  Check(!request.method.empty());
  Check(request.http_major == 1);
  auto params = QueryParams::FromRequest(request);
  if (params.ok()) {
    auto again = QueryParams::Parse(params->Encode());
    Check(again.ok() && again->pairs() == params->pairs());
  }
  RouteMatch match = router.Find(request.method, request.raw_path);
  if (match.outcome == RouteMatch::Outcome::kFound) Check(match.handler != nullptr);
  // Echoing request headers into a response must never inject a line.
  Response response;
  for (const Header& header : request.headers) response.headers.Add(header.name, header.value);
  std::string head;
  AppendResponseHead(response, HeadOptions{}, &head);
  Check(head.find("\r\n\r\n") == head.size() - 4);
}

size_t NextPieceSize(uint8_t mode, uint32_t* state, size_t remaining) {
  if (mode == 0) return remaining;
  if (mode == 1) return 1;
  *state = *state * 1103515245u + 12345u;
  return 1 + (*state >> 8) % mode;
}

}  // namespace
}  // namespace silt::http

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using silt::http::RequestParser;
  if (size == 0) return 0;
  const uint8_t mode = data[0];
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const silt::http::RequestLimits limits = silt::http::FuzzLimits();
  const silt::http::Router router = silt::http::FuzzRouter();
  RequestParser parser(limits);
  uint32_t state = size;
  while (!rest.empty()) {
    const size_t n = std::min(rest.size(), silt::http::NextPieceSize(mode, &state, rest.size()));
    std::string_view piece = rest.substr(0, n);
    while (!piece.empty()) {
      const size_t used = parser.Feed(piece);
      silt::http::Check(used <= piece.size());
      piece.remove_prefix(used);
      rest.remove_prefix(used);
      if (parser.phase() == RequestParser::Phase::kFailed) {
        const silt::http::HttpError& error = parser.error();
        silt::http::Check(error.status >= 400 && error.status < 600 && !error.reason.empty());
        silt::http::Check(parser.Feed(rest) == 0);
        return 0;
      }
      if (parser.phase() == RequestParser::Phase::kComplete) {
        silt::http::UseRequest(parser.TakeRequest(), limits, router);
      } else {
        silt::http::Check(piece.empty());  // only a complete or failed request stops early
      }
    }
  }
  return 0;
}
