// Regex functions: Loki's regexReplaceAll (Go's Regexp.ReplaceAllString: $1, ${1}, $name,
// ${name}, $$ in the replacement), regexReplaceAllLiteral (the replacement inserted as is) and
// count (the number of non-overlapping matches). RE2 implements Go's regexp syntax; match
// iteration follows Go's rules for empty matches.
#include <re2/re2.h>

#include <memory>
#include <vector>

#include "aggregator/logql/format/go_format.h"
#include "aggregator/logql/format/template_functions.h"
#include "aggregator/logql/format/template_regex.h"

namespace silt::logql::format {
namespace {

using Groups = std::vector<re2::StringPiece>;

// Go's Regexp.Expand for one match: `template` with $-references to `groups` replaced.
void Expand(const re2::RE2& re, std::string_view tmpl, const Groups& groups, std::string* out) {
  auto is_name = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
  };
  while (!tmpl.empty()) {
    size_t dollar = tmpl.find('$');
    if (dollar == std::string_view::npos) break;
    out->append(tmpl.substr(0, dollar));
    tmpl.remove_prefix(dollar + 1);
    if (!tmpl.empty() && tmpl[0] == '$') {
      out->push_back('$');
      tmpl.remove_prefix(1);
      continue;
    }
    bool brace = !tmpl.empty() && tmpl[0] == '{';
    size_t i = brace ? 1 : 0;
    while (i < tmpl.size() && is_name(tmpl[i])) ++i;
    std::string_view name = tmpl.substr(brace ? 1 : 0, i - (brace ? 1 : 0));
    if (name.empty() || (brace && (i >= tmpl.size() || tmpl[i] != '}'))) {
      out->push_back('$');  // malformed: the '$' is text
      continue;
    }
    tmpl.remove_prefix(i + (brace ? 1 : 0));
    int64_t num = 0;
    for (char c : name) {
      if (c < '0' || c > '9' || num >= 100000000) {
        num = -1;
        break;
      }
      num = num * 10 + (c - '0');
    }
    if (num < 0) {
      auto it = re.NamedCapturingGroups().find(std::string(name));
      num = it == re.NamedCapturingGroups().end() ? -1 : it->second;
    }
    if (num >= 0 && static_cast<size_t>(num) < groups.size() && groups[static_cast<size_t>(num)].data() != nullptr) {
      out->append(groups[static_cast<size_t>(num)].data(), groups[static_cast<size_t>(num)].size());
    }
  }
  out->append(tmpl);
}

size_t RuneWidth(std::string_view s, size_t at) {
  if (at >= s.size()) return 1;
  size_t next = at;
  DecodeRune(s, &next);
  return next - at;
}

// Go's replaceAll loop: every match from successive positions; an empty match right after the
// previous match is not replaced.
std::string ReplaceMatches(const re2::RE2& re, std::string_view src, std::string_view repl,
                           bool literal) {
  Groups groups(static_cast<size_t>(literal ? 1 : re.NumberOfCapturingGroups() + 1));
  std::string out;
  size_t last_end = 0, search = 0;
  while (search <= src.size()) {
    if (!re.Match(src, search, src.size(), re2::RE2::UNANCHORED, groups.data(),
                  static_cast<int>(groups.size()))) {
      break;
    }
    size_t begin = static_cast<size_t>(groups[0].data() - src.data());
    size_t end = begin + groups[0].size();
    out.append(src.substr(last_end, begin - last_end));
    if (end > last_end || begin == 0) {
      if (literal) {
        out.append(repl);
      } else {
        Expand(re, repl, groups, &out);
      }
    }
    last_end = end;
    size_t width = RuneWidth(src, search);
    search = search + width > end ? search + width : end;
  }
  if (last_end < src.size()) out.append(src.substr(last_end));
  return out;
}

Result<TemplateValue> Replace(const FunctionCall& call, bool literal) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 3, 3));
  SILT_ASSIGN_OR_RETURN(std::string pattern, ArgString(call, 0));
  SILT_ASSIGN_OR_RETURN(std::string src, ArgString(call, 1));
  SILT_ASSIGN_OR_RETURN(std::string repl, ArgString(call, 2));
  std::unique_ptr<re2::RE2> owned;
  const re2::RE2* re = call.regex;
  if (re == nullptr) {
    SILT_ASSIGN_OR_RETURN(owned, CompileTemplateRegex(pattern));
    re = owned.get();
  }
  return TemplateValue::String(ReplaceMatches(*re, src, repl, literal));
}
Result<TemplateValue> RegexReplaceAll(const FunctionCall& call) { return Replace(call, false); }
Result<TemplateValue> RegexReplaceAllLiteral(const FunctionCall& call) { return Replace(call, true); }

Result<TemplateValue> Count(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 2, 2));
  SILT_ASSIGN_OR_RETURN(std::string pattern, ArgString(call, 0));
  SILT_ASSIGN_OR_RETURN(std::string src, ArgString(call, 1));
  std::unique_ptr<re2::RE2> owned;
  const re2::RE2* re = call.regex;
  if (re == nullptr) {
    SILT_ASSIGN_OR_RETURN(owned, CompileTemplateRegex(pattern));
    re = owned.get();
  }
  std::string_view s = src;
  re2::StringPiece match;
  int64_t count = 0;
  size_t pos = 0;
  int64_t prev_end = -1;
  while (pos <= s.size() && re->Match(s, pos, s.size(), re2::RE2::UNANCHORED, &match, 1)) {
    size_t begin = static_cast<size_t>(match.data() - s.data());
    size_t end = begin + match.size();
    bool accept = true;
    if (end == pos) {  // an empty match
      accept = static_cast<int64_t>(begin) != prev_end;
      pos += RuneWidth(s, pos);
    } else {
      pos = end;
    }
    prev_end = static_cast<int64_t>(end);
    count += accept;
  }
  return TemplateValue::Int(count);
}

}  // namespace

void AddRegexFunctions(FunctionTable* table) {
  table->insert({
      {"regexReplaceAll", RegexReplaceAll},
      {"regexReplaceAllLiteral", RegexReplaceAllLiteral},
      {"count", Count},
  });
}

}  // namespace silt::logql::format
