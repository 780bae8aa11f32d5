#include "shared/status/status.h"

#include <cassert>
#include <cerrno>
#include <cstring>
#include <utility>

namespace silt {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kInvalidArgument: return "InvalidArgument";
    case StatusCode::kNotFound: return "NotFound";
    case StatusCode::kCorruption: return "Corruption";
    case StatusCode::kIOError: return "IOError";
    case StatusCode::kUnavailable: return "Unavailable";
    case StatusCode::kResourceExhausted: return "ResourceExhausted";
    case StatusCode::kUnauthenticated: return "Unauthenticated";
    case StatusCode::kPermissionDenied: return "PermissionDenied";
  }
  return "Unknown";
}

Status::Status(StatusCode code, std::string message)
    : state_(std::make_unique<State>(State{code, std::move(message)})) {
  assert(code != StatusCode::kOk && "an error Status needs a non-OK code");
}

Status::Status(const Status& other)
    : state_(other.state_ ? std::make_unique<State>(*other.state_) : nullptr) {}

Status& Status::operator=(const Status& other) {
  if (this != &other) state_ = other.state_ ? std::make_unique<State>(*other.state_) : nullptr;
  return *this;
}

Status Status::InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
Status Status::NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
Status Status::Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
Status Status::IOError(std::string m) { return {StatusCode::kIOError, std::move(m)}; }
Status Status::Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
Status Status::ResourceExhausted(std::string m) {
  return {StatusCode::kResourceExhausted, std::move(m)};
}
Status Status::Unauthenticated(std::string m) { return {StatusCode::kUnauthenticated, std::move(m)}; }
Status Status::PermissionDenied(std::string m) {
  return {StatusCode::kPermissionDenied, std::move(m)};
}

Status Status::FromErrno(int errno_value, std::string message) {
  message += ": ";
  message += std::strerror(errno_value);
  // Running out of space or quota is a limit the operator can act on, not a broken device.
  StatusCode code = (errno_value == ENOSPC || errno_value == EDQUOT) ? StatusCode::kResourceExhausted
                    : (errno_value == ENOENT)                        ? StatusCode::kNotFound
                    : (errno_value == EACCES || errno_value == EPERM) ? StatusCode::kPermissionDenied
                                                                     : StatusCode::kIOError;
  return {code, std::move(message)};
}

std::string_view Status::message() const {
  return state_ ? std::string_view(state_->message) : std::string_view();
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(StatusCodeName(state_->code));
  out += ": ";
  out += state_->message;
  return out;
}

Status Status::WithContext(std::string_view context) const& { return Status(*this).WithContext(context); }

Status Status::WithContext(std::string_view context) && {
  if (ok()) return std::move(*this);
  std::string message(context);
  message += ": ";
  message += state_->message;
  state_->message = std::move(message);
  return std::move(*this);
}

std::ostream& operator<<(std::ostream& os, const Status& status) { return os << status.ToString(); }

}  // namespace silt
