#include "shared/http/request_reader.h"

namespace silt::http {

RequestReader::Step RequestReader::FeedNext(std::string_view* fresh) {
  const bool from_pending = pending_offset_ < pending_.size();
  const std::string_view input =
      from_pending ? std::string_view(pending_).substr(pending_offset_) : *fresh;
  Step step;
  if (input.empty()) return step;
  step.fed = true;
  const RequestParser::Phase before = parser_.phase();
  const size_t used = parser_.Feed(input);
  if (!from_pending) {
    fresh->remove_prefix(used);
  } else if ((pending_offset_ += used) == pending_.size()) {
    DropBuffered();
  }
  const RequestParser::Phase phase = parser_.phase();
  step.started = before == RequestParser::Phase::kIdle && phase != RequestParser::Phase::kIdle;
  step.stalled = used == 0 && phase != RequestParser::Phase::kComplete &&
                 phase != RequestParser::Phase::kFailed;
  return step;
}

void RequestReader::Keep(std::string_view fresh) {
  if (fresh.empty()) return;
  if (pending_offset_ > 0) {
    pending_.erase(0, pending_offset_);
    pending_offset_ = 0;
  }
  pending_.append(fresh);
}

std::string RequestReader::TakeBuffered() {
  std::string out = pending_.substr(pending_offset_);
  DropBuffered();
  return out;
}

void RequestReader::DropBuffered() {
  pending_.clear();
  pending_offset_ = 0;
}

}  // namespace silt::http
