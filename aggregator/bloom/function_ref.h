// FunctionRef: a non-owning, non-allocating reference to a callable, used for the per-token and
// per-pair callbacks of the tokenizers (a std::function could allocate, and a template would put
// the JSON and logfmt scanners into headers). Like absl::FunctionRef: it must not outlive the
// callable it refers to, so take it as a by-value parameter and never store it.
// Thread-safety: as the callable it refers to.
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

namespace silt::bloom {

template <typename Signature>
class FunctionRef;

template <typename R, typename... Args>
class FunctionRef<R(Args...)> {
 public:
  // Refers to `callable`, which must stay alive while this FunctionRef (or a copy) is called.
  template <typename F>
  requires(!std::is_same_v<std::remove_cvref_t<F>, FunctionRef> &&
           std::is_invocable_r_v<R, F&, Args...>)
      FunctionRef(F&& callable)  // NOLINT: implicit by design, like absl::FunctionRef
      : object_(const_cast<void*>(static_cast<const void*>(std::addressof(callable)))),
        invoke_([](void* object, Args... args) -> R {
          return (*static_cast<std::remove_reference_t<F>*>(object))(std::forward<Args>(args)...);
        }) {}

  R operator()(Args... args) const { return invoke_(object_, std::forward<Args>(args)...); }

 private:
  void* object_;
  R (*invoke_)(void*, Args...);
};

}  // namespace silt::bloom
