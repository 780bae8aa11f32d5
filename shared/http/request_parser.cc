#include "shared/http/request_parser.h"

#include <algorithm>
#include <cassert>
#include <utility>

#include "shared/http/percent_encoding.h"

namespace silt::http {
namespace {

// Bytes of framing counted per header line (": " and CRLF) and for the request line.
constexpr size_t kHeaderLineOverhead = 4;
constexpr size_t kRequestLineOverhead = 16;
// Body memory is reserved up to this much from Content-Length; beyond, it grows as bytes arrive,
// so a client cannot make the server allocate its whole limit by sending only headers.
constexpr size_t kMaxBodyReserve = 1024 * 1024;

RequestParser* Self(http_parser* parser) { return static_cast<RequestParser*>(parser->data); }

// libhttp-parser drops the whitespace before a value but passes on the whitespace after it.
void TrimTrailingSpaces(std::string* value) {
  while (!value->empty() && (value->back() == ' ' || value->back() == '\t')) value->pop_back();
}

}  // namespace

RequestParser::RequestParser(RequestLimits limits) : limits_(limits) {
  http_parser_init(&parser_, HTTP_REQUEST);
  parser_.data = this;
  http_parser_settings_init(&settings_);
  settings_.on_message_begin = &RequestParser::OnMessageBegin;
  settings_.on_url = &RequestParser::OnUrl;
  settings_.on_header_field = &RequestParser::OnHeaderField;
  settings_.on_header_value = &RequestParser::OnHeaderValue;
  settings_.on_headers_complete = &RequestParser::OnHeadersComplete;
  settings_.on_body = &RequestParser::OnBody;
  settings_.on_message_complete = &RequestParser::OnMessageComplete;
}

size_t RequestParser::Feed(std::string_view data) {
  if (phase_ == Phase::kComplete || phase_ == Phase::kFailed || data.empty()) return 0;
  const size_t consumed = http_parser_execute(&parser_, &settings_, data.data(), data.size());
  const auto err = HTTP_PARSER_ERRNO(&parser_);
  if (phase_ == Phase::kFailed) return consumed;  // a callback refused the request
  if (err == HPE_PAUSED) {
    assert(phase_ == Phase::kComplete);
    return consumed;
  }
  if (err != HPE_OK) MapParserError();
  return consumed;
}

bool RequestParser::TakeContinueRequest() {
  const bool requested = continue_requested_ && phase_ == Phase::kBody;
  continue_requested_ = false;
  return requested;
}

ParsedRequest RequestParser::TakeRequest() {
  assert(phase_ == Phase::kComplete);
  ParsedRequest done = std::move(current_);
  current_ = ParsedRequest();
  phase_ = Phase::kIdle;
  continue_requested_ = false;
  if (done.upgrade) {
    // libhttp-parser stops at an upgrade; the server answers in HTTP/1.1, so parse on as HTTP.
    http_parser_init(&parser_, HTTP_REQUEST);
    parser_.data = this;
  } else {
    http_parser_pause(&parser_, 0);
  }
  return done;
}

int RequestParser::Fail(int status, std::string reason) {
  phase_ = Phase::kFailed;
  error_ = HttpError{status, std::move(reason)};
  return -1;
}

bool RequestParser::CountHeaderBytes(size_t n) {
  header_bytes_ += n;
  if (header_bytes_ <= limits_.max_header_bytes) return true;
  Fail(431, "request headers exceed the limit of " + std::to_string(limits_.max_header_bytes) +
                " bytes");
  return false;
}

void RequestParser::MapParserError() {
  const auto err = HTTP_PARSER_ERRNO(&parser_);
  if (err == HPE_HEADER_OVERFLOW) {
    Fail(431, "request headers are too large");
    return;
  }
  Fail(400, std::string("malformed request: ") + http_errno_description(err));
}

int RequestParser::OnMessageBegin(http_parser* parser) {
  RequestParser* self = Self(parser);
  self->phase_ = Phase::kHeaders;
  self->current_ = ParsedRequest();
  self->coding_ = ContentCoding::kIdentity;
  self->header_bytes_ = kRequestLineOverhead;
  self->in_header_value_ = false;
  self->continue_requested_ = false;
  return 0;
}

int RequestParser::OnUrl(http_parser* parser, const char* at, size_t length) {
  RequestParser* self = Self(parser);
  // Only the request line is counted so far, so the target is what is too long.
  self->header_bytes_ += length;
  if (self->header_bytes_ > self->limits_.max_header_bytes) {
    return self->Fail(414, "request-target exceeds the header limit of " +
                               std::to_string(self->limits_.max_header_bytes) + " bytes");
  }
  self->current_.request.target.append(at, length);
  return 0;
}

int RequestParser::OnHeaderField(http_parser* parser, const char* at, size_t length) {
  RequestParser* self = Self(parser);
  if (self->phase_ != Phase::kHeaders) return 0;  // chunked trailers: counted by libhttp-parser
  if (!self->CountHeaderBytes(length)) return -1;
  Headers& headers = self->current_.request.headers;
  if (self->in_header_value_ || headers.empty()) {
    if (headers.size() >= self->limits_.max_headers) {
      return self->Fail(431, "request has more than " + std::to_string(self->limits_.max_headers) +
                                 " header lines");
    }
    if (!self->CountHeaderBytes(kHeaderLineOverhead)) return -1;
    if (!headers.empty()) TrimTrailingSpaces(&headers.back().value);
    headers.Add(std::string(at, length), std::string());
    self->in_header_value_ = false;
  } else {
    headers.back().name.append(at, length);
  }
  return 0;
}

int RequestParser::OnHeaderValue(http_parser* parser, const char* at, size_t length) {
  RequestParser* self = Self(parser);
  if (self->phase_ != Phase::kHeaders) return 0;
  if (!self->CountHeaderBytes(length)) return -1;
  if (self->current_.request.headers.empty()) return self->Fail(400, "header value without a name");
  self->in_header_value_ = true;
  self->current_.request.headers.back().value.append(at, length);
  return 0;
}

int RequestParser::OnHeadersComplete(http_parser* parser) {
  RequestParser* self = Self(parser);
  const int rc = self->FinishHeaders();
  if (rc != 0) return rc;
  self->phase_ = Phase::kBody;
  return 0;
}

int RequestParser::FinishHeaders() {
  Request& request = current_.request;
  request.method = http_method_str(static_cast<http_method>(parser_.method));
  request.http_major = parser_.http_major;
  request.http_minor = parser_.http_minor;
  if (request.http_major != 1) {
    return Fail(505, "HTTP/" + std::to_string(request.http_major) + "." +
                         std::to_string(request.http_minor) + " is not supported: use HTTP/1.1");
  }
  if (!request.headers.empty()) TrimTrailingSpaces(&request.headers.back().value);
  if (int rc = ParseTarget(); rc != 0) return rc;
  const auto hosts = request.headers.GetAll("Host");
  if (hosts.size() > 1) return Fail(400, "request has more than one Host header");
  if (hosts.empty() && request.http_minor >= 1) {
    return Fail(400, "HTTP/1.1 request has no Host header");
  }
  if (int rc = CheckExpect(); rc != 0) return rc;
  auto coding = ParseContentEncoding(request.headers);
  if (!coding.ok()) return Fail(415, std::string(coding.status().message()));
  coding_ = *coding;
  const bool has_length = (parser_.flags & F_CONTENTLENGTH) != 0;
  if (has_length && parser_.content_length > limits_.max_body_bytes) {
    return Fail(413, "request body of " + std::to_string(parser_.content_length) +
                         " bytes exceeds the limit of " + std::to_string(limits_.max_body_bytes) +
                         " bytes");
  }
  if (has_length) {
    request.body.reserve(std::min<uint64_t>(parser_.content_length, kMaxBodyReserve));
  }
  current_.upgrade = parser_.upgrade != 0;
  return 0;
}

int RequestParser::ParseTarget() {
  Request& request = current_.request;
  std::string_view target = request.target;
  std::string_view path;
  std::string_view query;
  if (!target.empty() && target.front() == '/') {
    const size_t end = target.find_first_of("?#");
    path = target.substr(0, end);
    if (end != std::string_view::npos && target[end] == '?') {
      query = target.substr(end + 1);
      query = query.substr(0, query.find('#'));
    }
  } else if (target == "*") {
    path = target;
  } else {
    http_parser_url url;
    http_parser_url_init(&url);
    const bool is_connect = parser_.method == HTTP_CONNECT;
    if (target.size() > UINT16_MAX ||
        http_parser_parse_url(target.data(), target.size(), is_connect, &url) != 0) {
      return Fail(400, "malformed request-target");
    }
    if (url.field_set & (1 << UF_PATH)) {
      path = target.substr(url.field_data[UF_PATH].off, url.field_data[UF_PATH].len);
    } else if (!is_connect) {
      path = "/";
    }
    if (url.field_set & (1 << UF_QUERY)) {
      query = target.substr(url.field_data[UF_QUERY].off, url.field_data[UF_QUERY].len);
    }
  }
  auto decoded = PercentDecode(path, PlusMeans::kPlus);
  if (!decoded.ok())
    return Fail(400, "bad request path: " + std::string(decoded.status().message()));
  request.raw_path = std::string(path);
  request.path = std::move(*decoded);
  request.query = std::string(query);
  return 0;
}

int RequestParser::CheckExpect() {
  const Request& request = current_.request;
  const auto expect = request.headers.Get("Expect");
  // RFC 9110 10.1.1: a server MUST ignore Expect in an HTTP/1.0 request.
  if (!expect.has_value() || request.http_minor == 0) return 0;
  if (!EqualsIgnoreCase(*expect, "100-continue") || request.headers.GetAll("Expect").size() > 1) {
    return Fail(417, "unsupported Expect header \"" + std::string(*expect) +
                         "\": only 100-continue is supported");
  }
  continue_requested_ = true;
  return 0;
}

int RequestParser::OnBody(http_parser* parser, const char* at, size_t length) {
  RequestParser* self = Self(parser);
  std::string& body = self->current_.request.body;
  if (body.size() + length > self->limits_.max_body_bytes) {
    return self->Fail(413, "request body exceeds the limit of " +
                               std::to_string(self->limits_.max_body_bytes) + " bytes");
  }
  self->continue_requested_ = false;
  body.append(at, length);
  return 0;
}

int RequestParser::OnMessageComplete(http_parser* parser) {
  RequestParser* self = Self(parser);
  if (int rc = self->FinishBody(); rc != 0) return rc;
  self->current_.keep_alive = http_should_keep_alive(parser) != 0;
  self->phase_ = Phase::kComplete;
  http_parser_pause(parser, 1);
  return 0;
}

int RequestParser::FinishBody() {
  Request& request = current_.request;
  if (coding_ == ContentCoding::kIdentity) return 0;
  auto decoded = DecodeBody(coding_, std::move(request.body), limits_.max_decoded_body_bytes);
  if (!decoded.ok()) {
    const int status = decoded.status().code() == StatusCode::kResourceExhausted ? 413 : 400;
    return Fail(status, std::string(decoded.status().message()));
  }
  request.body = std::move(*decoded);
  request.headers.Remove("Content-Encoding");
  request.headers.Remove("Content-Length");
  return 0;
}

}  // namespace silt::http
