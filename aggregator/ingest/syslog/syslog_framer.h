// SyslogFramer: cuts a syslog TCP byte stream into messages (RFC 6587; docs/syslog.md
// "Framing"), detecting the framing per frame:
//
//   octet counting   MSG-LEN SP MSG      MSG-LEN = 1..9 digits, no leading zero, then a space
//   LF (non-transparent)  MSG LF         anything else; a CR before the LF is kept for the parser
//
// Limits: a message longer than `max_message_size` is refused (reported through OnOversize and
// skipped): an octet-counted one by skipping exactly MSG-LEN bytes, an LF-framed one by skipping
// up to the next LF; the frames around it are kept. Framing is lost only when a frame starts
// with 10 to 29 digits followed by a space (an octet count no sender means; 30 or more digits
// start an LF frame): Feed then returns an error and the connection must be closed. Empty LF
// frames (and a lone CR) are ignored.
// At the end of the stream, Finish() hands over a trailing partial frame (an LF frame without
// its LF, or an octet-counted frame shorter than its count) as a message.
//
// Thread-safety: not thread-safe; one framer per connection.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "shared/status/status.h"

namespace silt::ingest {

enum class Framing { kOctetCounting, kLineFeed };

class SyslogFramer {
 public:
  class Handler {
   public:
    virtual ~Handler() = default;
    // One complete message (without the octet count; LF frames without the LF). The view is
    // valid during the call only.
    virtual void OnMessage(std::string_view message, Framing framing) = 0;
    // A message of `size` bytes (at least; for LF frames what was seen before giving up) over
    // the limit was skipped.
    virtual void OnOversize(size_t size, Framing framing) = 0;
  };

  // `max_message_size` >= 1. `handler` is not owned and must outlive the framer.
  SyslogFramer(size_t max_message_size, Handler* handler);

  // Consumes `bytes`, calling the handler for every frame they complete. OK, or
  // InvalidArgument describing the lost framing (quoting the count); after an error the framer
  // ignores further input.
  Status Feed(std::string_view bytes);
  // Hands a trailing partial frame to OnMessage (if any) and resets. Call at EOF.
  void Finish();
  // Bytes held for an incomplete frame.
  size_t buffered() const { return buffer_.size(); }

 private:
  enum class State { kStart, kCount, kOctets, kLine, kSkipOctets, kSkipLine, kFailed };

  size_t FeedStart(std::string_view bytes, Status* error);
  size_t FeedCount(std::string_view bytes, Status* error);
  size_t FeedOctets(std::string_view bytes);
  size_t FeedLine(std::string_view bytes);
  size_t FeedSkipOctets(std::string_view bytes);
  size_t FeedSkipLine(std::string_view bytes);

  const size_t max_message_size_;
  Handler* const handler_;
  State state_ = State::kStart;
  std::string buffer_;    // the message (or digits) so far
  size_t remaining_ = 0;  // octets still expected (kOctets, kSkipOctets)
  size_t skipped_ = 0;    // bytes skipped of an oversize LF frame
};

}  // namespace silt::ingest
