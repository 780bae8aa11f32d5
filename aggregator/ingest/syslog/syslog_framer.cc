#include "aggregator/ingest/syslog/syslog_framer.h"

#include <algorithm>

namespace silt::ingest {
namespace {

constexpr size_t kMaxCountDigits = 9;
// A frame starting with this many digits is a line (no count is that long).
constexpr size_t kLineDigits = 30;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

SyslogFramer::SyslogFramer(size_t max_message_size, Handler* handler)
    : max_message_size_(std::max<size_t>(max_message_size, 1)), handler_(handler) {}

Status SyslogFramer::Feed(std::string_view bytes) {
  Status error;
  while (!bytes.empty() && state_ != State::kFailed && error.ok()) {
    size_t used = 0;
    switch (state_) {
      case State::kStart:
        used = FeedStart(bytes, &error);
        break;
      case State::kCount:
        used = FeedCount(bytes, &error);
        break;
      case State::kOctets:
        used = FeedOctets(bytes);
        break;
      case State::kLine:
        used = FeedLine(bytes);
        break;
      case State::kSkipOctets:
        used = FeedSkipOctets(bytes);
        break;
      case State::kSkipLine:
        used = FeedSkipLine(bytes);
        break;
      case State::kFailed:
        break;
    }
    bytes.remove_prefix(used);
  }
  if (!error.ok()) {
    state_ = State::kFailed;
    buffer_.clear();
  }
  return error;
}

size_t SyslogFramer::FeedStart(std::string_view bytes, Status*) {
  buffer_.clear();
  if (bytes[0] == '\n') return 1;  // empty LF frame
  state_ = bytes[0] >= '1' && bytes[0] <= '9' ? State::kCount : State::kLine;
  return 0;
}

// Digits so far are in buffer_; a space makes them an octet count, anything else a line.
size_t SyslogFramer::FeedCount(std::string_view bytes, Status* error) {
  size_t i = 0;
  while (i < bytes.size() && IsDigit(bytes[i]) && buffer_.size() < kLineDigits) {
    buffer_.push_back(bytes[i++]);
  }
  if (buffer_.size() >= kLineDigits) {
    state_ = State::kLine;  // a long run of digits: a line, not a count
    return i;
  }
  if (i == bytes.size()) return i;
  if (bytes[i] != ' ') {
    state_ = State::kLine;  // "2026-..." or "123abc": LF framing; buffer_ keeps the digits
    return i;
  }
  if (buffer_.size() > kMaxCountDigits) {
    *error = Status::InvalidArgument("octet count \"" + buffer_.substr(0, 32) +
                                     "\" has more than 9 digits: framing lost");
    return i + 1;
  }
  remaining_ = std::stoull(buffer_);
  buffer_.clear();
  if (remaining_ > max_message_size_) {
    handler_->OnOversize(remaining_, Framing::kOctetCounting);
    state_ = State::kSkipOctets;
  } else {
    state_ = State::kOctets;
  }
  return i + 1;
}

size_t SyslogFramer::FeedOctets(std::string_view bytes) {
  const size_t n = std::min(remaining_, bytes.size());
  buffer_.append(bytes.substr(0, n));
  remaining_ -= n;
  if (remaining_ == 0) {
    handler_->OnMessage(buffer_, Framing::kOctetCounting);
    buffer_.clear();
    state_ = State::kStart;
  }
  return n;
}

size_t SyslogFramer::FeedLine(std::string_view bytes) {
  const size_t lf = bytes.find('\n');
  const size_t n = lf == std::string_view::npos ? bytes.size() : lf;
  if (buffer_.size() + n > max_message_size_) {
    skipped_ = buffer_.size();
    buffer_.clear();
    state_ = State::kSkipLine;
    return 0;
  }
  buffer_.append(bytes.substr(0, n));
  if (lf == std::string_view::npos) return n;
  if (!buffer_.empty() && buffer_ != "\r") handler_->OnMessage(buffer_, Framing::kLineFeed);
  buffer_.clear();
  state_ = State::kStart;
  return n + 1;
}

size_t SyslogFramer::FeedSkipOctets(std::string_view bytes) {
  const size_t n = std::min(remaining_, bytes.size());
  remaining_ -= n;
  if (remaining_ == 0) state_ = State::kStart;
  return n;
}

size_t SyslogFramer::FeedSkipLine(std::string_view bytes) {
  const size_t lf = bytes.find('\n');
  if (lf == std::string_view::npos) {
    skipped_ += bytes.size();
    return bytes.size();
  }
  handler_->OnOversize(skipped_ + lf, Framing::kLineFeed);
  skipped_ = 0;
  state_ = State::kStart;
  return lf + 1;
}

void SyslogFramer::Finish() {
  if (state_ == State::kSkipLine) handler_->OnOversize(skipped_, Framing::kLineFeed);
  const bool partial =
      (state_ == State::kOctets || state_ == State::kLine || state_ == State::kCount) &&
      !buffer_.empty();
  if (partial) {
    handler_->OnMessage(buffer_,
                        state_ == State::kOctets ? Framing::kOctetCounting : Framing::kLineFeed);
  }
  buffer_.clear();
  remaining_ = 0;
  skipped_ = 0;
  if (state_ != State::kFailed) state_ = State::kStart;
}

}  // namespace silt::ingest
