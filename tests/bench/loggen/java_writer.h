// JavaWriter: a Spring Boot / logback application log. Most entries are one line,
//   2024-01-01 00:00:00.123 INFO  [http-nio-8080-exec-7] com.example.orders.OrdersService - msg
// and 25% are an ERROR line followed by a stack trace: the exception line, 2-6 application
// frames ("\tat com.example.orders.OrdersService.process(OrdersService.java:142)"), 2-5
// framework frames ending in Thread.run, and zero to two "Caused by: ..." sections with their
// own frames and a "\t... N more" line. Lines of an entry are joined with '\n'; only the first
// line starts with a timestamp, which is what multi-line parsers key on (start pattern
// ^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} ). Single-line entries are fitted to --line-size
// through their message; stack traces keep their natural size. Not thread-safe.
#pragma once

#include "tests/bench/loggen/entry_writer.h"

namespace silt::loggen {

class JavaWriter final : public EntryWriter {
 public:
  bool Write(const LineContext& ctx, TextBuffer* out) override;

 private:
  // Appends "\n\tat <frame>" for `count` application frames of `domain`.
  void AppendAppFrames(Rng& rng, std::string_view domain, uint64_t count, TextBuffer* out) const;
  void AppendStackTrace(Rng& rng, std::string_view domain, TextBuffer* out) const;
};

}  // namespace silt::loggen
