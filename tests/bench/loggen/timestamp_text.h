// TimestampText: appends a timestamp in the styles log formats use, fast. The text of the
// current second is built once per style (from shared/time/civil_time.h) and copied for every
// line in that second, so formatting costs a copy and a few fraction digits per line. All styles
// are UTC.
//   Rfc3339(ns, 3)   2024-01-01T00:00:00.123Z         (JSON app logs; 0..9 fraction digits)
//   Rfc3339Nano(ns)  2024-01-01T00:00:00.1234Z        (Go's RFC3339Nano: trailing zeros cut)
//   Clf(ns)          01/Jan/2024:00:00:00 +0000       (nginx/apache %t, without brackets)
//   Bsd(ns)          Jan  1 00:00:00                  (RFC 3164; day padded with a space)
//   JavaLocal(ns)    2024-01-01 00:00:00.123          (logback's default pattern)
// Years must be 0..9999 (what these formats can express). Not thread-safe (the caches).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>

#include "tests/bench/loggen/text_buffer.h"

namespace silt::loggen {

class TimestampText {
 public:
  // `fraction_digits` is 0..9.
  void AppendRfc3339(int64_t unix_nanos, int fraction_digits, TextBuffer* out);
  void AppendRfc3339Nano(int64_t unix_nanos, TextBuffer* out);
  void AppendClf(int64_t unix_nanos, TextBuffer* out);
  void AppendBsd(int64_t unix_nanos, TextBuffer* out);
  void AppendJavaLocal(int64_t unix_nanos, TextBuffer* out);

 private:
  enum Style { kRfc3339, kClf, kBsd, kJava, kStyleCount };
  struct Cached {
    int64_t second = std::numeric_limits<int64_t>::min();
    TextBuffer text{64};
  };

  // Appends the text of the whole second containing `unix_nanos` in `style` and returns the
  // nanoseconds into that second.
  int64_t AppendSecond(Style style, int64_t unix_nanos, TextBuffer* out);

  Cached cache_[kStyleCount];
};

}  // namespace silt::loggen
