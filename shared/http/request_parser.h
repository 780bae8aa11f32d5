// RequestParser: turns the bytes of an HTTP/1.x connection into Requests, one at a time, with
// every limit the server enforces checked as bytes arrive (before anything large is allocated).
// It wraps libhttp-parser and adds what a server needs on top: size and count limits, Host and
// Expect checks, percent-decoding of the path, and body decoding (body_decoder.h).
//
// It knows nothing of sockets, so it is tested and fuzzed on plain byte strings. Feed() stops at
// the end of each request, so pipelined requests are handed out strictly in order and the bytes of
// the next one stay with the caller until it is ready for them.
// Thread-compatible: one parser per connection, used by one thread at a time.
#pragma once

#include <http_parser.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "shared/http/body_decoder.h"
#include "shared/http/request.h"

namespace silt::http {

struct RequestLimits {
  // Request line plus header lines (names, values and their framing). Larger: 431 (or 414 when
  // the request-target alone is too long). libhttp-parser also stops at 80 KiB on its own.
  size_t max_header_bytes = 64 * 1024;
  // Number of header lines. More: 431.
  size_t max_headers = 100;
  // Body bytes as received (after de-chunking, before decompression). More: 413.
  size_t max_body_bytes = 64 * 1024 * 1024;
  // Body bytes after Content-Encoding is undone. More: 413.
  size_t max_decoded_body_bytes = 64 * 1024 * 1024;
};

// Why a request was refused: the status to answer with and a reason for the client and the log.
struct HttpError {
  int status = 0;
  std::string reason;
};

// A complete request plus what the connection needs to know about it.
struct ParsedRequest {
  Request request;
  // False when the connection must close after the response (HTTP/1.0 without keep-alive,
  // "Connection: close").
  bool keep_alive = true;
  // The client asked to switch protocols (an Upgrade header with "Connection: upgrade"), or sent
  // CONNECT. Silt answers such requests as plain HTTP; see README.md for the WebSocket seam.
  bool upgrade = false;
};

class RequestParser {
 public:
  enum class Phase {
    kIdle,      // between requests: no byte of the next one yet
    kHeaders,   // inside the request line or headers
    kBody,      // headers parsed, body still arriving
    kComplete,  // a request is ready: TakeRequest()
    kFailed,    // the input is unusable: error() says why; the connection must close
  };

  explicit RequestParser(RequestLimits limits);
  RequestParser(const RequestParser&) = delete;
  RequestParser& operator=(const RequestParser&) = delete;

  // Parses bytes received on the connection and returns how many it consumed. Stops right after
  // the last byte of a complete request (phase() == kComplete; the remaining bytes belong to the
  // next request and must be fed again after TakeRequest()) or at the first bad byte (kFailed).
  // Feeding in kComplete or kFailed consumes nothing.
  size_t Feed(std::string_view data);

  Phase phase() const { return phase_; }
  // True once per request when its headers asked "Expect: 100-continue" and its body has not
  // arrived yet: the server should now send "HTTP/1.1 100 Continue".
  bool TakeContinueRequest();
  // Precondition: phase() == kComplete. Returns the request and gets ready for the next one.
  ParsedRequest TakeRequest();
  // Valid in kFailed.
  const HttpError& error() const { return error_; }

 private:
  static int OnMessageBegin(http_parser* parser);
  static int OnUrl(http_parser* parser, const char* at, size_t length);
  static int OnHeaderField(http_parser* parser, const char* at, size_t length);
  static int OnHeaderValue(http_parser* parser, const char* at, size_t length);
  static int OnHeadersComplete(http_parser* parser);
  static int OnBody(http_parser* parser, const char* at, size_t length);
  static int OnMessageComplete(http_parser* parser);

  // Records the error; returns -1 so libhttp-parser stops.
  int Fail(int status, std::string reason);
  // Counts header bytes against the limit; returns false (after Fail) when it is exceeded.
  bool CountHeaderBytes(size_t n);
  // Header checks and target parsing at the end of the header block; 0 or Fail's -1.
  int FinishHeaders();
  int ParseTarget();
  int CheckExpect();
  int FinishBody();
  void MapParserError();

  RequestLimits limits_;
  http_parser parser_;
  http_parser_settings settings_;
  Phase phase_ = Phase::kIdle;
  HttpError error_;
  ParsedRequest current_;
  ContentCoding coding_ = ContentCoding::kIdentity;
  size_t header_bytes_ = 0;
  bool in_header_value_ = false;
  bool continue_requested_ = false;
};

}  // namespace silt::http
