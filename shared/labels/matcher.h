// Matcher: one label condition of a stream selector, `name="v"`, `name!="v"`, `name=~"re"` or
// `name!~"re"`, with Prometheus/Loki semantics:
//   - a label the stream does not have matches as the empty string (so `x=""` selects streams
//     without `x`, and `x!=""` streams that have it);
//   - regexes are RE2, fully anchored and with `.` matching newlines, as Prometheus compiles
//     `^(?s:re)$`: `=~"foo"` does not match "foobar";
//   - input that is not valid UTF-8 is matched as Go does, each invalid byte read as U+FFFD, so
//     `=~".*"` matches every value.
// Common regex shapes skip RE2: a literal, a literal alternation `a|b|c`, `.*`, `.+`, `lit.*`,
// `.*lit` and `.*lit.*` (results are identical to RE2's).
//
// A Matcher is immutable and cheap to copy (one shared_ptr to its compiled state, RE2 included);
// concurrent Matches() calls from any number of threads are safe.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "shared/labels/label_set.h"
#include "shared/status/result.h"

namespace silt::labels {

enum class MatchType : unsigned char {
  kEqual,         // =
  kNotEqual,      // !=
  kRegexMatch,    // =~
  kRegexNoMatch,  // !~
};

// The operator as written in selectors: "=", "!=", "=~", "!~".
std::string_view MatchTypeOperator(MatchType type);

class Matcher {
 public:
  // Returns a matcher of `name` against `value` (a literal for = and !=, an RE2 pattern for =~
  // and !~). A pattern RE2 rejects gives InvalidArgument quoting the matcher, the pattern and
  // RE2's reason, e.g. `invalid regular expression "a(b" in job=~"a(b": missing ): a(b`.
  // `name` is not validated here (selector parsers do that).
  static Result<Matcher> Create(MatchType type, std::string name, std::string value);

  MatchType type() const;
  const std::string& name() const;
  // The literal or the pattern, as given to Create.
  const std::string& value() const;

  // Whether a label whose value is `value` satisfies the matcher (pass "" for a missing label).
  bool Matches(std::string_view value) const;
  // Matches(""): whether streams without the label are selected.
  bool MatchesEmpty() const;

  // `name<op>"value"` with the canonical quoting of string_literal.h, e.g. `job=~"api|web"`.
  std::string ToString() const;

  // Same type, name and value.
  friend bool operator==(const Matcher& a, const Matcher& b);

 private:
  struct State;
  explicit Matcher(std::shared_ptr<const State> state) : state_(std::move(state)) {}

  std::shared_ptr<const State> state_;  // never null
};

// True when every matcher in `matchers` matches `labels` (absent labels match as ""); true for
// an empty list.
bool MatchesAll(std::span<const Matcher> matchers, const LabelSet& labels);

}  // namespace silt::labels
