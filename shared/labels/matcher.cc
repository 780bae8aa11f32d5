#include "shared/labels/matcher.h"

#include <re2/re2.h>

#include <algorithm>
#include <vector>

#include "shared/labels/string_literal.h"
#include "shared/labels/utf8.h"

namespace silt::labels {
namespace {

// How a matcher decides, before negation. Everything but kRegex avoids RE2.
enum class Strategy : unsigned char {
  kLiteral,   // value == literal
  kSet,       // value is one of set
  kAny,       // .*
  kNonEmpty,  // .+
  kPrefix,    // literal.*
  kSuffix,    // .*literal
  kContains,  // .*literal.*
  kRegex,     // RE2
};

// True when `s` has no regex metacharacter (the set Go's regexp.QuoteMeta escapes) and no U+FFFD
// (which RE2 would also match against invalid input bytes), so the pattern `s` matches exactly
// the bytes `s`.
bool IsLiteral(std::string_view s) {
  constexpr std::string_view kMeta = R"(\.+*?()|[]{}^$)";
  return s.find_first_of(kMeta) == std::string_view::npos &&
         s.find("\xEF\xBF\xBD") == std::string_view::npos;
}

// Splits `pattern` at '|' into literals; false if any part is not a literal.
bool SplitLiteralAlternation(std::string_view pattern, std::vector<std::string>* out) {
  size_t start = 0;
  while (true) {
    const size_t bar = pattern.find('|', start);
    const std::string_view part = pattern.substr(start, bar - start);
    if (!IsLiteral(part)) return false;
    out->emplace_back(part);
    if (bar == std::string_view::npos) return true;
    start = bar + 1;
  }
}

}  // namespace

struct Matcher::State {
  MatchType type;
  std::string name;
  std::string value;
  Strategy strategy = Strategy::kRegex;
  bool negate = false;
  bool matches_empty = false;
  std::string literal;             // kLiteral, kPrefix, kSuffix, kContains
  std::vector<std::string> set;    // kSet: sorted, unique
  std::unique_ptr<const RE2> re;   // kRegex

  bool MatchesPositive(std::string_view v) const;
  void ChooseRegexStrategy(std::string_view pattern);
};

bool Matcher::State::MatchesPositive(std::string_view v) const {
  switch (strategy) {
    case Strategy::kLiteral: return v == literal;
    case Strategy::kSet: return std::binary_search(set.begin(), set.end(), v);
    case Strategy::kAny: return true;
    case Strategy::kNonEmpty: return !v.empty();
    case Strategy::kPrefix: return v.starts_with(literal);
    case Strategy::kSuffix: return v.ends_with(literal);
    case Strategy::kContains: return v.find(literal) != std::string_view::npos;
    case Strategy::kRegex:
      if (IsValidUtf8(v)) return RE2::FullMatch(v, *re);
      return RE2::FullMatch(ReplaceInvalidUtf8(v), *re);
  }
  return false;
}

// Picks a fast path for an RE2-valid `pattern`; leaves kRegex when none applies.
void Matcher::State::ChooseRegexStrategy(std::string_view pattern) {
  constexpr std::string_view kStar = ".*";
  if (pattern == kStar) {
    strategy = Strategy::kAny;
  } else if (pattern == ".+") {
    strategy = Strategy::kNonEmpty;
  } else if (IsLiteral(pattern)) {
    strategy = Strategy::kLiteral;
    literal = pattern;
  } else if (std::vector<std::string> parts; SplitLiteralAlternation(pattern, &parts)) {
    std::sort(parts.begin(), parts.end());
    parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
    strategy = Strategy::kSet;
    set = std::move(parts);
  } else if (pattern.size() >= 2 * kStar.size() && pattern.starts_with(kStar) &&
             pattern.ends_with(kStar) && IsLiteral(pattern.substr(2, pattern.size() - 4))) {
    strategy = Strategy::kContains;
    literal = pattern.substr(2, pattern.size() - 4);
  } else if (pattern.ends_with(kStar) && IsLiteral(pattern.substr(0, pattern.size() - 2))) {
    strategy = Strategy::kPrefix;
    literal = pattern.substr(0, pattern.size() - 2);
  } else if (pattern.starts_with(kStar) && IsLiteral(pattern.substr(2))) {
    strategy = Strategy::kSuffix;
    literal = pattern.substr(2);
  }
}

std::string_view MatchTypeOperator(MatchType type) {
  switch (type) {
    case MatchType::kEqual: return "=";
    case MatchType::kNotEqual: return "!=";
    case MatchType::kRegexMatch: return "=~";
    case MatchType::kRegexNoMatch: return "!~";
  }
  return "?";
}

Result<Matcher> Matcher::Create(MatchType type, std::string name, std::string value) {
  auto state = std::make_shared<State>();
  state->type = type;
  state->name = std::move(name);
  state->value = std::move(value);
  state->negate = type == MatchType::kNotEqual || type == MatchType::kRegexNoMatch;
  if (type == MatchType::kEqual || type == MatchType::kNotEqual) {
    state->strategy = Strategy::kLiteral;
    state->literal = state->value;
  } else {
    RE2::Options options;
    options.set_log_errors(false);
    options.set_dot_nl(true);  // Prometheus compiles (?s:re)
    options.set_never_capture(true);
    // FullMatch anchors at both ends, as Prometheus' ^(?s:re)$, without wrapping the pattern
    // (a wrapper would let "a)|(b" through).
    auto re = std::make_unique<const RE2>(state->value, options);
    if (!re->ok()) {
      return Status::InvalidArgument("invalid regular expression " + Quote(state->value) +
                                     " in " + Matcher(state).ToString() + ": " + re->error());
    }
    state->ChooseRegexStrategy(state->value);
    if (state->strategy == Strategy::kRegex) state->re = std::move(re);
  }
  state->matches_empty = state->MatchesPositive("") != state->negate;
  return Matcher(std::move(state));
}

MatchType Matcher::type() const { return state_->type; }
const std::string& Matcher::name() const { return state_->name; }
const std::string& Matcher::value() const { return state_->value; }

bool Matcher::Matches(std::string_view value) const {
  return state_->MatchesPositive(value) != state_->negate;
}

bool Matcher::MatchesEmpty() const { return state_->matches_empty; }

std::string Matcher::ToString() const {
  std::string out;
  AppendLabelName(state_->name, &out);
  out.append(MatchTypeOperator(state_->type));
  AppendQuoted(state_->value, &out);
  return out;
}

bool operator==(const Matcher& a, const Matcher& b) {
  return a.type() == b.type() && a.name() == b.name() && a.value() == b.value();
}

bool MatchesAll(std::span<const Matcher> matchers, const LabelSet& labels) {
  for (const Matcher& matcher : matchers) {
    if (!matcher.Matches(labels.Get(matcher.name()).value_or(std::string_view()))) return false;
  }
  return true;
}

}  // namespace silt::labels
