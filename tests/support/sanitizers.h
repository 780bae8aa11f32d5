// Whether this build runs under AddressSanitizer or ThreadSanitizer. Tests whose default amount
// of work is a number of random cycles (engine crash and power-loss tests) run fewer cycles
// there: the code paths are the same, each cycle costs 5-10x more, and CI runs every test once
// without and once with sanitizers. The cycle counts stay settable through the environment.
#pragma once

namespace silt::testing {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

}  // namespace silt::testing
