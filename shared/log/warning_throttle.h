// WarningThrottle: counts occurrences of one recurring problem and says when a warning about them
// is due, at most once per interval, with how many occurred since the last warning. Lets a hot
// path report a condition that may repeat per line without flooding the log.
//
// Thread-safety: Note() may be called from any number of threads at once (lock-free).
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>

namespace silt::log {

class WarningThrottle {
 public:
  explicit WarningThrottle(int64_t interval_ns) : interval_ns_(interval_ns) {}

  // Counts one occurrence at `now_ns` (a monotonic clock). Returns the occurrences since the last
  // warning (this one included) when a warning is due now, nullopt otherwise; the first
  // occurrence is always due.
  std::optional<uint64_t> Note(int64_t now_ns);

 private:
  const int64_t interval_ns_;
  std::atomic<int64_t> next_warning_ns_{INT64_MIN};
  std::atomic<uint64_t> unreported_{0};
};

}  // namespace silt::log
