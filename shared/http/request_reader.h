// RequestReader: the read side of one HTTP connection. It feeds a RequestParser from the bytes
// the stream just delivered, without copying them, and keeps in a bounded buffer only the input
// that has to wait: pipelined requests behind one being answered, and bytes that followed a
// WebSocket handshake. Buffered input is always parsed before newer bytes.
// Plain code, no sockets or clock; loop thread only (thread-compatible).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "shared/http/request_parser.h"

namespace silt::http {

class RequestReader {
 public:
  // What one FeedNext call did.
  struct Step {
    bool fed = false;      // false: there was no input left to feed
    bool started = false;  // the first byte of a new request arrived
    bool stalled = false;  // input was fed and the parser took none of it (malformed)
  };

  explicit RequestReader(const RequestLimits& limits) : parser_(limits) {}

  // Feeds the next input to the parser: the buffered bytes first, else `fresh` (from which the
  // bytes taken are removed). The parser stops at the end of each request; see phase().
  Step FeedNext(std::string_view* fresh);
  // Buffers what is left of `fresh`, after what is already buffered.
  void Keep(std::string_view fresh);
  // Takes the buffered bytes out (the start of a WebSocket's frames).
  std::string TakeBuffered();
  void DropBuffered();
  size_t buffered_bytes() const { return pending_.size() - pending_offset_; }

  RequestParser& parser() { return parser_; }
  RequestParser::Phase phase() const { return parser_.phase(); }

 private:
  RequestParser parser_;
  std::string pending_;  // input not yet parsed, from pending_offset_
  size_t pending_offset_ = 0;
};

}  // namespace silt::http
