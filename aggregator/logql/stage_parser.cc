// Keyword pipeline stages (stage_parser.h).
#include "aggregator/logql/stage_parser.h"

#include <re2/re2.h>

#include <array>
#include <map>
#include <string_view>
#include <utility>
namespace silt::logql {
namespace {

constexpr std::array<std::string_view, 10> kKeywordStages = {
    "json", "logfmt", "regexp", "pattern", "unpack",
    "decolorize", "line_format", "label_format", "drop", "keep"};

// `name="expr"` or a bare `name` (meaning name="name"), separated by commas.
Result<std::vector<ExtractionParam>> ParseParams(ParseContext* ctx, bool json) {
  std::vector<ExtractionParam> params;
  while (ctx->PeekIs(TokenKind::kIdentifier)) {
    ExtractionParam param;
    param.label = ctx->Next().text;
    param.expression = param.label;
    if (ctx->Accept(TokenKind::kEq)) {
      SILT_ASSIGN_OR_RETURN(Token expr, ctx->Expect(TokenKind::kString));
      param.expression = expr.text;
      if (json) {
        Result<std::vector<JsonPathPart>> path = ParseJsonPath(param.expression);
        if (!path.ok()) {
          return ctx->ErrorAt(expr, "invalid JSON path " + std::string(path.status().message()));
        }
        param.json_path = std::move(path).value();
      }
    } else if (json) {
      param.json_path = {JsonPathPart{false, param.label, 0}};
    }
    params.push_back(std::move(param));
    if (!ctx->Accept(TokenKind::kComma)) break;
    if (!ctx->PeekIs(TokenKind::kIdentifier)) return ctx->Unexpected({"IDENTIFIER"});
  }
  return params;
}

Result<PipelineStage> ParseLogfmt(ParseContext* ctx) {
  LogfmtParser parser;
  while (ctx->PeekIs(TokenKind::kParserFlag)) {
    const Token flag = ctx->Next();
    if (flag.text == "--strict") {
      parser.strict = true;
    } else if (flag.text == "--keep-empty") {
      parser.keep_empty = true;
    } else {
      return ctx->ErrorAt(flag, "invalid logfmt flag \"" + flag.text +
                                    "\": logfmt accepts --strict and --keep-empty");
    }
  }
  SILT_ASSIGN_OR_RETURN(parser.params, ParseParams(ctx, /*json=*/false));
  return parser;
}

Result<PipelineStage> ParseRegexp(ParseContext* ctx) {
  SILT_ASSIGN_OR_RETURN(Token regex, ctx->Expect(TokenKind::kString));
  RE2 re(regex.text, RE2::Quiet);
  if (!re.ok()) return ctx->ErrorAt(regex, "invalid regexp parser: " + re.error());
  std::map<int, std::string> by_index;
  for (const auto& [name, index] : re.NamedCapturingGroups()) by_index[index] = name;
  if (by_index.empty()) {
    return ctx->ErrorAt(regex,
                        "invalid regexp parser: at least one named capture must be supplied, "
                        "e.g. (?P<status>\\d+)");
  }
  RegexpParser parser{regex.text, {}};
  for (auto& [index, name] : by_index) parser.names.push_back(std::move(name));
  return parser;
}

Result<PipelineStage> ParsePatternStage(ParseContext* ctx) {
  SILT_ASSIGN_OR_RETURN(Token pattern, ctx->Expect(TokenKind::kString));
  Result<std::vector<PatternPart>> parts = ParsePattern(pattern.text, true);
  if (!parts.ok()) {
    return ctx->ErrorAt(pattern,
                        "invalid pattern parser: " + std::string(parts.status().message()));
  }
  return PatternParser{pattern.text, std::move(parts).value()};
}

Result<Template> ParseTemplateAt(ParseContext* ctx, const Token& source, std::string_view stage) {
  Result<Template> tmpl = Template::Parse(source.text);
  if (!tmpl.ok()) {
    return ctx->ErrorAt(source, "invalid " + std::string(stage) + " template at template " +
                                    std::string(tmpl.status().message()));
  }
  return tmpl;
}

Result<PipelineStage> ParseLabelFormat(ParseContext* ctx) {
  LabelFormatStage stage;
  do {
    SILT_ASSIGN_OR_RETURN(Token dst, ctx->Expect(TokenKind::kIdentifier));
    SILT_RETURN_IF_ERROR(ctx->Expect(TokenKind::kEq).status());
    LabelFormatItem item;
    item.dst = dst.text;
    if (ctx->PeekIs(TokenKind::kString)) {
      item.is_template = true;
      SILT_ASSIGN_OR_RETURN(item.tmpl, ParseTemplateAt(ctx, ctx->Next(), "label_format"));
    } else if (ctx->PeekIs(TokenKind::kIdentifier)) {
      item.src = ctx->Next().text;
    } else {
      return ctx->Unexpected({"IDENTIFIER", "STRING"});
    }
    for (const LabelFormatItem& seen : stage.items) {
      if (seen.dst == item.dst) {
        return ctx->ErrorAt(dst, "multiple label name '" + item.dst +
                                     "' not allowed in a single format operation");
      }
    }
    stage.items.push_back(std::move(item));
  } while (ctx->Accept(TokenKind::kComma));
  return stage;
}

// `drop a, b="x", c=~"y"` / `keep ...`.
Result<std::vector<LabelSelection>> ParseSelections(ParseContext* ctx) {
  std::vector<LabelSelection> selections;
  do {
    SILT_ASSIGN_OR_RETURN(Token name, ctx->Expect(TokenKind::kIdentifier));
    LabelSelection selection{name.text, std::nullopt};
    TokenKind op = ctx->Peek().kind;
    if (op == TokenKind::kEq || op == TokenKind::kNotEq || op == TokenKind::kRegex ||
        op == TokenKind::kNotRegex) {
      ctx->Next();
      SILT_ASSIGN_OR_RETURN(Token value, ctx->Expect(TokenKind::kString));
      labels::MatchType type = op == TokenKind::kEq      ? labels::MatchType::kEqual
                               : op == TokenKind::kNotEq ? labels::MatchType::kNotEqual
                               : op == TokenKind::kRegex ? labels::MatchType::kRegexMatch
                                                         : labels::MatchType::kRegexNoMatch;
      Result<labels::Matcher> matcher = labels::Matcher::Create(type, name.text, value.text);
      if (!matcher.ok()) return ctx->ErrorAt(value, matcher.status().message());
      selection.matcher = std::move(matcher).value();
    }
    selections.push_back(std::move(selection));
  } while (ctx->Accept(TokenKind::kComma));
  return selections;
}

}  // namespace

bool StartsKeywordStage(const ParseContext& ctx) {
  if (!ctx.PeekIs(TokenKind::kIdentifier)) return false;
  // `| json = "x"` would be a label filter on a label called json.
  TokenKind after = ctx.Peek(1).kind;
  if (after == TokenKind::kEq || after == TokenKind::kNotEq || after == TokenKind::kRegex ||
      after == TokenKind::kNotRegex || after == TokenKind::kCmpEq || after == TokenKind::kGt ||
      after == TokenKind::kGe || after == TokenKind::kLt || after == TokenKind::kLe) {
    return false;
  }
  for (std::string_view keyword : kKeywordStages) {
    if (ctx.Peek().text == keyword) return true;
  }
  return false;
}

Result<PipelineStage> ParseKeywordStage(ParseContext* ctx) {
  const Token keyword = ctx->Next();
  const std::string& word = keyword.text;
  if (word == "json") {
    JsonParser parser;
    SILT_ASSIGN_OR_RETURN(parser.params, ParseParams(ctx, /*json=*/true));
    return parser;
  }
  if (word == "logfmt") return ParseLogfmt(ctx);
  if (word == "regexp") return ParseRegexp(ctx);
  if (word == "pattern") return ParsePatternStage(ctx);
  if (word == "unpack") return UnpackParser{};
  if (word == "decolorize") return DecolorizeStage{};
  if (word == "line_format") {
    SILT_ASSIGN_OR_RETURN(Token source, ctx->Expect(TokenKind::kString));
    SILT_ASSIGN_OR_RETURN(Template tmpl, ParseTemplateAt(ctx, source, "line_format"));
    return LineFormatStage{std::move(tmpl)};
  }
  if (word == "label_format") return ParseLabelFormat(ctx);
  SILT_ASSIGN_OR_RETURN(std::vector<LabelSelection> selections, ParseSelections(ctx));
  if (word == "drop") return DropStage{std::move(selections)};
  return KeepStage{std::move(selections)};
}

}  // namespace silt::logql
