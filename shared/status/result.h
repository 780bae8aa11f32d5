// Result<T>: either a value of type T or a non-OK Status explaining why there is none.
// Thread-safety: a value type, like std::optional.
#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

#include "shared/status/status.h"

namespace silt {

template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::decay_t<T>, Status>, "use Status, not Result<Status>");

 public:
  // A result holding a value.
  Result(const T& value) : data_(value) {}  // NOLINT: implicit by design, like absl::StatusOr
  Result(T&& value) : data_(std::move(value)) {}  // NOLINT
  template <typename U,
            typename = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                        !std::is_same_v<std::decay_t<U>, Status> &&
                                        !std::is_same_v<std::decay_t<U>, Result>>>
  Result(U&& value) : data_(std::in_place_index<0>, std::forward<U>(value)) {}  // NOLINT
  // A result holding an error; `status` must not be OK.
  Result(Status status) : data_(std::move(status)) {  // NOLINT
    assert(!std::get<1>(data_).ok() && "Result built from an OK Status has no value");
  }

  bool ok() const { return data_.index() == 0; }
  // OK when a value is held, otherwise the error.
  Status status() const& { return ok() ? Status::Ok() : std::get<1>(data_); }
  Status status() && { return ok() ? Status::Ok() : std::get<1>(std::move(data_)); }

  // Precondition for the accessors below: ok().
  T& value() & { assert(ok()); return std::get<0>(data_); }
  const T& value() const& { assert(ok()); return std::get<0>(data_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  template <typename U>
  T value_or(U&& fallback) const& {
    return ok() ? std::get<0>(data_) : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, Status> data_;
};

}  // namespace silt

#define SILT_STATUS_CONCAT_INNER_(a, b) a##b
#define SILT_STATUS_CONCAT_(a, b) SILT_STATUS_CONCAT_INNER_(a, b)

// SILT_ASSIGN_OR_RETURN(lhs, expr): evaluates `expr` (a Result<T>); on error returns its Status
// from the current function, otherwise moves the value into `lhs` (which may be a declaration,
// e.g. `auto file`).
#define SILT_ASSIGN_OR_RETURN(lhs, expr) \
  SILT_ASSIGN_OR_RETURN_IMPL_(SILT_STATUS_CONCAT_(silt_result_, __LINE__), lhs, expr)
#define SILT_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return std::move(tmp).status();    \
  lhs = std::move(tmp).value()
