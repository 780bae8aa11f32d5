// Stream selector, line filters and pipeline dispatch (log_query_parser.h).
#include "aggregator/logql/log_query_parser.h"

#include <re2/re2.h>

#include <utility>

#include "aggregator/logql/ip_pattern.h"
#include "aggregator/logql/label_filter_parser.h"
#include "aggregator/logql/pattern_syntax.h"
#include "aggregator/logql/stage_parser.h"

namespace silt::logql {
namespace {

constexpr std::string_view kEmptyCompatibleError =
    "queries require at least one regexp or equality matcher that does not have an "
    "empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but "
    "app=~\".+\" will";

Result<labels::Matcher> ParseMatcher(ParseContext* ctx) {
  SILT_ASSIGN_OR_RETURN(Token name, ctx->Expect(TokenKind::kIdentifier));
  labels::MatchType type;
  switch (ctx->Peek().kind) {
    case TokenKind::kEq: type = labels::MatchType::kEqual; break;
    case TokenKind::kNotEq: type = labels::MatchType::kNotEqual; break;
    case TokenKind::kRegex: type = labels::MatchType::kRegexMatch; break;
    case TokenKind::kNotRegex: type = labels::MatchType::kRegexNoMatch; break;
    default: return ctx->Unexpected({"=", "!=", "=~", "!~"});
  }
  ctx->Next();
  SILT_ASSIGN_OR_RETURN(Token value, ctx->Expect(TokenKind::kString));
  Result<labels::Matcher> matcher = labels::Matcher::Create(type, name.text, value.text);
  if (!matcher.ok()) return ctx->ErrorAt(value, matcher.status().message());
  return matcher;
}

std::optional<LineFilterOp> LineFilterOpOf(TokenKind kind) {
  switch (kind) {
    case TokenKind::kPipeExact: return LineFilterOp::kContains;
    case TokenKind::kNotEq: return LineFilterOp::kNotContains;
    case TokenKind::kPipeMatch: return LineFilterOp::kRegex;
    case TokenKind::kNotRegex: return LineFilterOp::kNotRegex;
    case TokenKind::kPipePattern: return LineFilterOp::kPattern;
    case TokenKind::kNotPattern: return LineFilterOp::kNotPattern;
    default: return std::nullopt;
  }
}

// Checks one term of a line filter: regexes compile, patterns parse, ip() only under |= / !=.
Status ValidateTerm(ParseContext* ctx, LineFilterOp op, const LineFilterTerm& term,
                    const Token& at) {
  if (term.is_ip) {
    if (op != LineFilterOp::kContains && op != LineFilterOp::kNotContains) {
      return ctx->ErrorAt(at, "ip() can only be used with the |= and != line filters");
    }
    Status valid = ValidateIpPattern(term.value);
    return valid.ok() ? valid : ctx->ErrorAt(at, valid.message());
  }
  if (op == LineFilterOp::kRegex || op == LineFilterOp::kNotRegex) {
    RE2 re(term.value, RE2::Quiet);
    if (!re.ok()) {
      return ctx->ErrorAt(at, "invalid regular expression in line filter: " + re.error());
    }
  } else if (op == LineFilterOp::kPattern || op == LineFilterOp::kNotPattern) {
    Result<std::vector<PatternPart>> parts = ParsePattern(term.value, false);
    if (!parts.ok()) {
      return ctx->ErrorAt(at, "invalid pattern filter: " + std::string(parts.status().message()));
    }
  }
  return Status::Ok();
}

// A STRING or ip("...") term.
Result<LineFilterTerm> ParseTerm(ParseContext* ctx, LineFilterOp op) {
  const Token at = ctx->Peek();
  LineFilterTerm term;
  if (ctx->PeekWord("ip") && ctx->PeekIs(TokenKind::kLeftParen, 1)) {
    ctx->Next();
    ctx->Next();
    SILT_ASSIGN_OR_RETURN(Token pattern, ctx->Expect(TokenKind::kString));
    SILT_RETURN_IF_ERROR(ctx->Expect(TokenKind::kRightParen).status());
    term = LineFilterTerm{true, pattern.text};
  } else if (ctx->PeekIs(TokenKind::kString)) {
    term = LineFilterTerm{false, ctx->Next().text};
  } else {
    return ctx->Unexpected({"STRING", "ip"});
  }
  SILT_RETURN_IF_ERROR(ValidateTerm(ctx, op, term, at));
  return term;
}

Result<LineFilter> ParseLineFilter(ParseContext* ctx, LineFilterOp op) {
  ctx->Next();
  LineFilter filter{op, {}};
  while (true) {
    SILT_ASSIGN_OR_RETURN(LineFilterTerm term, ParseTerm(ctx, op));
    filter.terms.push_back(std::move(term));
    bool more = ctx->PeekWord("or") &&
                (ctx->PeekIs(TokenKind::kString, 1) || ctx->PeekWord("ip", 1));
    if (!more) return filter;
    ctx->Next();
  }
}

// After `|`: a keyword stage or a label filter.
Result<PipelineStage> ParsePipeStage(ParseContext* ctx) {
  if (StartsKeywordStage(*ctx)) return ParseKeywordStage(ctx);
  if (StartsLabelFilter(*ctx)) {
    SILT_ASSIGN_OR_RETURN(LabelFilterExpr expr, ParseLabelFilter(ctx));
    return LabelFilterStage{std::move(expr)};
  }
  if (ctx->PeekIs(TokenKind::kIdentifier)) {
    ctx->Next();
    return ctx->Unexpected({"=", "!=", "=~", "!~"});
  }
  return ctx->Unexpected({"IDENTIFIER", "("});
}

}  // namespace

Result<std::vector<labels::Matcher>> ParseSelector(ParseContext* ctx) {
  SILT_ASSIGN_OR_RETURN(Token open, ctx->Expect(TokenKind::kLeftBrace));
  std::vector<labels::Matcher> matchers;
  do {
    SILT_ASSIGN_OR_RETURN(labels::Matcher matcher, ParseMatcher(ctx));
    matchers.push_back(std::move(matcher));
  } while (ctx->Accept(TokenKind::kComma));
  if (!ctx->PeekIs(TokenKind::kRightBrace)) return ctx->Unexpected({",", "}"});
  ctx->Next();
  for (const labels::Matcher& m : matchers) {
    bool positive = m.type() == labels::MatchType::kEqual ||
                    m.type() == labels::MatchType::kRegexMatch;
    if (positive && !m.MatchesEmpty()) return matchers;
  }
  return ctx->ErrorAt(open, kEmptyCompatibleError);
}

Status ParsePipeline(ParseContext* ctx, std::vector<PipelineStage>* stages) {
  while (true) {
    if (std::optional<LineFilterOp> op = LineFilterOpOf(ctx->Peek().kind)) {
      SILT_ASSIGN_OR_RETURN(LineFilter filter, ParseLineFilter(ctx, *op));
      stages->push_back(std::move(filter));
      continue;
    }
    if (!ctx->PeekIs(TokenKind::kPipe) || ctx->PeekWord("unwrap", 1)) return Status::Ok();
    ctx->Next();
    SILT_ASSIGN_OR_RETURN(PipelineStage stage, ParsePipeStage(ctx));
    stages->push_back(std::move(stage));
  }
}

Result<LogQuery> ParseLogQuery(ParseContext* ctx) {
  LogQuery query;
  SILT_ASSIGN_OR_RETURN(query.selector, ParseSelector(ctx));
  SILT_RETURN_IF_ERROR(ParsePipeline(ctx, &query.pipeline));
  return query;
}

}  // namespace silt::logql
