// Status: the outcome of an operation that can fail, as a code plus a message that names the
// object involved (a path, a tenant, an offset, a line:column). No exception crosses a module
// boundary in Silt; every fallible function returns a Status or a Result<T> (result.h).
//
// An OK Status holds no allocation; an error holds its message on the heap. Status is a value
// type: copyable, movable, not thread-safe for concurrent mutation (like std::string).
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace silt {

// The small, fixed set of failure kinds. Callers branch on the code; people read the message.
enum class StatusCode : unsigned char {
  kOk = 0,
  kInvalidArgument,    // the caller's input is malformed or out of range (config, query, frame)
  kNotFound,           // a named object does not exist
  kCorruption,         // stored or received bytes fail a checksum, magic or structural check
  kIOError,            // the operating system refused an I/O operation
  kUnavailable,        // transient: a peer or resource is not reachable now; retrying may work
  kResourceExhausted,  // a limit or quota is reached (memory, disk, rate); back off and retry
  kUnauthenticated,    // the caller's identity is missing or not valid
  kPermissionDenied,   // the caller is known but not allowed to do this
};

// Returns the code's name as written in logs and errors, e.g. "InvalidArgument".
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  // An OK status.
  Status() = default;
  // An error status. `code` must not be kOk; `message` should name the object and what to fix.
  Status(StatusCode code, std::string message);

  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;
  ~Status() = default;

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string message);
  static Status NotFound(std::string message);
  static Status Corruption(std::string message);
  static Status IOError(std::string message);
  // An IOError whose message ends with ": <strerror(errno_value)>".
  static Status FromErrno(int errno_value, std::string message);
  static Status Unavailable(std::string message);
  static Status ResourceExhausted(std::string message);
  static Status Unauthenticated(std::string message);
  static Status PermissionDenied(std::string message);

  bool ok() const { return state_ == nullptr; }
  StatusCode code() const { return state_ ? state_->code : StatusCode::kOk; }
  // The message without the code; empty for OK.
  std::string_view message() const;
  // "OK", or "<CodeName>: <message>".
  std::string ToString() const;

  // Returns this status with "<context>: " put before the message (OK stays OK). Used to add
  // the outer object as an error travels up: "reading /etc/silt/agent.yaml: 3:7: unknown key".
  Status WithContext(std::string_view context) const&;
  Status WithContext(std::string_view context) &&;

  // Marks a status as deliberately ignored; use only where a comment says why.
  void IgnoreError() const {}

  friend bool operator==(const Status& a, const Status& b) {
    return a.code() == b.code() && a.message() == b.message();
  }

 private:
  struct State {
    StatusCode code;
    std::string message;
  };
  std::unique_ptr<State> state_;
};

std::ostream& operator<<(std::ostream& os, const Status& status);

}  // namespace silt

// Evaluates `expr` (a Status); returns it from the current function if it is not OK.
#define SILT_RETURN_IF_ERROR(expr)                  \
  do {                                              \
    ::silt::Status silt_status_ = (expr);           \
    if (!silt_status_.ok()) return silt_status_;    \
  } while (0)
