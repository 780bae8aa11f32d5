// Line filter stages (line_filter.h).
#include "aggregator/logql/pipeline/line_filter.h"

#include <re2/re2.h>
#include <string.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aggregator/logql/pipeline/ip_matcher.h"
#include "aggregator/logql/pipeline/pattern_matcher.h"

namespace silt::logql::pipeline {
namespace {

// One compiled alternative; exactly one member is set (an empty literal is `literal`).
struct Term {
  std::optional<std::string> literal;
  std::unique_ptr<RE2> regex;
  std::optional<PatternMatcher> pattern;
  std::optional<IpMatcher> ip;

  bool Matches(std::string_view line) const {
    if (ip) return ip->MatchesAnyInLine(line);
    if (regex) return RE2::PartialMatch(line, *regex);
    if (pattern) return pattern->Test(line);
    // glibc's memmem skips by two-byte hashes; string_view::find stops at every occurrence of
    // the first byte (frequent in logs: 'l' of "level=") to compare.
    return memmem(line.data(), line.size(), literal->data(), literal->size()) != nullptr;
  }
};

class LineFilterStage final : public Stage {
 public:
  LineFilterStage(bool negate, std::vector<Term> terms)
      : negate_(negate), terms_(std::move(terms)) {}

  bool Process(EntryContext* entry) const override {
    bool any = false;
    for (const Term& term : terms_) {
      if (term.Matches(entry->line)) {
        any = true;
        break;
      }
    }
    return any != negate_;
  }
  bool IsLineFilter() const override { return true; }

 private:
  bool negate_;
  std::vector<Term> terms_;
};

Result<Term> CompileTerm(LineFilterOp op, const LineFilterTerm& source, const std::string& where) {
  Term term;
  if (source.is_ip) {
    Result<IpMatcher> ip = IpMatcher::Create(source.value);
    if (!ip.ok()) return ip.status().WithContext(where);
    term.ip = std::move(ip).value();
    return term;
  }
  switch (op) {
    case LineFilterOp::kRegex:
    case LineFilterOp::kNotRegex: {
      RE2::Options options;
      options.set_log_errors(false);
      term.regex = std::make_unique<RE2>(source.value, options);
      if (!term.regex->ok()) {
        return Status::InvalidArgument(where + ": invalid regular expression \"" + source.value +
                                       "\": " + term.regex->error());
      }
      return term;
    }
    case LineFilterOp::kPattern:
    case LineFilterOp::kNotPattern: {
      Result<std::vector<PatternPart>> parts = ParsePattern(source.value, false);
      if (!parts.ok()) return parts.status().WithContext(where);
      term.pattern.emplace(std::move(parts).value());
      return term;
    }
    case LineFilterOp::kContains:
    case LineFilterOp::kNotContains:
      break;
  }
  term.literal = source.value;
  return term;
}

}  // namespace

Result<std::unique_ptr<Stage>> CompileLineFilter(const LineFilter& filter) {
  std::string where = "line filter";
  std::vector<Term> terms;
  for (const LineFilterTerm& source : filter.terms) {
    Result<Term> term = CompileTerm(filter.op, source, where);
    if (!term.ok()) return term.status();
    terms.push_back(std::move(term).value());
  }
  bool negate = filter.op == LineFilterOp::kNotContains || filter.op == LineFilterOp::kNotRegex ||
                filter.op == LineFilterOp::kNotPattern;
  return std::unique_ptr<Stage>(std::make_unique<LineFilterStage>(negate, std::move(terms)));
}

}  // namespace silt::logql::pipeline
