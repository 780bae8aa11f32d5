// AccessLogWriter: the combined log format of nginx and Apache httpd,
//   203.0.113.7 - - [01/Jan/2024:00:00:00 +0000] "GET /api/v1/users/42 HTTP/1.1" 200 1234
//   "https://shop.example.com/" "Mozilla/5.0 (...)"
// (one line). Clients, methods, paths with ids, statuses, body sizes and user agents follow the
// distributions in vocabulary.cc. For a size target the query string is the free-text part, and
// the user agent is drawn among those that still fit (short API clients for small targets);
// below 160 bytes the referer is always "-".
// The Apache flavour writes "-" for an empty body (%b), nginx writes 0. Not thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "tests/bench/loggen/distributions.h"
#include "tests/bench/loggen/entry_writer.h"

namespace silt::loggen {

class AccessLogWriter final : public EntryWriter {
 public:
  explicit AccessLogWriter(bool apache);

  bool Write(const LineContext& ctx, TextBuffer* out) override;

 private:
  // Appends a user agent: any of them for room == MessageBuilder::kNatural, otherwise one of
  // those at most `room` bytes long (the shortest when none is).
  void AppendUserAgent(Rng& rng, int64_t room, TextBuffer* out) const;

  bool apache_;
  WeightedPicker methods_;
  WeightedPicker statuses_;
  WeightedPicker paths_;
  std::vector<std::string_view> agents_by_length_;
};

}  // namespace silt::loggen
