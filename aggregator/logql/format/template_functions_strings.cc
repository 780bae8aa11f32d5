// String functions: Go's strings package as Loki exposes it (ToLower ToUpper Replace Trim
// TrimLeft TrimRight TrimPrefix TrimSuffix TrimSpace), Sprig's (lower upper title trunc substr
// contains hasPrefix hasSuffix indent nindent replace repeat trim trimAll trimPrefix trimSuffix
// cat join split quote squote) and Loki's alignLeft/alignRight. Case mapping is Unicode (the
// C.UTF-8 locale's tables), as Go's.
#include <locale.h>
#include <wctype.h>

#include <algorithm>
#include <array>
#include <vector>

#include "aggregator/logql/format/go_format.h"
#include "aggregator/logql/format/template_functions.h"

namespace silt::logql::format {
namespace {

using Kind = TemplateValue::Kind;

constexpr size_t kMaxResultBytes = 16 << 20;  // repeat/indent/Replace output bound

locale_t Utf8Locale() {
  static const locale_t kLocale = newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t{});
  return kLocale;
}

char32_t MapCase(char32_t r, bool upper) {
  if (r < 0x80) {
    if (upper && r >= 'a' && r <= 'z') return r - 32;
    if (!upper && r >= 'A' && r <= 'Z') return r + 32;
    return r;
  }
  locale_t l = Utf8Locale();
  if (l == locale_t{}) return r;
  return static_cast<char32_t>(upper ? towupper_l(static_cast<wint_t>(r), l)
                                     : towlower_l(static_cast<wint_t>(r), l));
}

std::string ChangeCase(std::string_view s, bool upper) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) AppendRune(MapCase(DecodeRune(s, &i), upper), &out);
  return out;
}

bool IsGoSpace(char32_t r) {
  return r == ' ' || (r >= '\t' && r <= '\r') || r == 0x85 || r == 0xA0 || r == 0x1680 ||
         (r >= 0x2000 && r <= 0x200A) || r == 0x2028 || r == 0x2029 || r == 0x202F ||
         r == 0x205F || r == 0x3000;
}

// strings.TrimFunc-style trimming of runes for which `drop` holds, at either end.
template <typename Pred>
std::string TrimRunes(std::string_view s, bool left, bool right, Pred drop) {
  size_t begin = 0, end = s.size();
  while (left && begin < end) {
    size_t next = begin;
    if (!drop(DecodeRune(s, &next))) break;
    begin = next;
  }
  while (right && end > begin) {
    size_t start = end - 1;
    while (start > begin && end - start < 4 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) {
      --start;
    }
    size_t next = start;
    char32_t r = DecodeRune(s, &next);
    if (next != end) {  // stray continuation bytes: the last byte is a rune of its own
      start = end - 1;
      r = 0xFFFD;
    }
    if (!drop(r)) break;
    end = start;
  }
  return std::string(s.substr(begin, end - begin));
}

std::string TrimCutset(std::string_view s, std::string_view cutset, bool left, bool right) {
  std::vector<char32_t> runes;
  for (size_t i = 0; i < cutset.size();) runes.push_back(DecodeRune(cutset, &i));
  return TrimRunes(s, left, right, [&](char32_t r) {
    return std::find(runes.begin(), runes.end(), r) != runes.end();
  });
}

Result<std::string> ReplaceAll(std::string_view s, std::string_view old, std::string_view with,
                               int64_t n) {
  std::string out;
  size_t i = 0;
  for (int64_t done = 0; n < 0 || done < n; ++done) {
    if (old.empty()) {
      out.append(with);
      if (i == s.size()) break;
      size_t next = i;
      DecodeRune(s, &next);
      out.append(s.substr(i, next - i));
      i = next;
    } else {
      size_t at = s.find(old, i);
      if (at == std::string_view::npos) break;
      out.append(s.substr(i, at - i)).append(with);
      i = at + old.size();
    }
    if (out.size() > kMaxResultBytes) return Status::InvalidArgument("result too large");
  }
  if (i < s.size()) out.append(s.substr(i));
  return out;
}

// A function of string arguments only; `F` gets them in order.
template <size_t kArity, typename F>
Result<TemplateValue> Strings(const FunctionCall& call, F f) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, kArity, kArity));
  std::array<std::string, kArity> a;
  for (size_t i = 0; i < kArity; ++i) {
    SILT_ASSIGN_OR_RETURN(a[i], ArgString(call, i));
  }
  return f(a);
}

#define SILT_STRING_FN(name, arity, expr)                                              \
  Result<TemplateValue> name(const FunctionCall& call) {                               \
    return Strings<arity>(call, [](const std::array<std::string, arity>& a)           \
                                    -> Result<TemplateValue> { return expr; });       \
  }

SILT_STRING_FN(Lower, 1, TemplateValue::String(ChangeCase(a[0], false)))
SILT_STRING_FN(Upper, 1, TemplateValue::String(ChangeCase(a[0], true)))
SILT_STRING_FN(TrimSpace, 1, TemplateValue::String(TrimRunes(a[0], true, true, IsGoSpace)))
SILT_STRING_FN(Trim, 2, TemplateValue::String(TrimCutset(a[0], a[1], true, true)))
SILT_STRING_FN(TrimLeft, 2, TemplateValue::String(TrimCutset(a[0], a[1], true, false)))
SILT_STRING_FN(TrimRight, 2, TemplateValue::String(TrimCutset(a[0], a[1], false, true)))
SILT_STRING_FN(GoTrimPrefix, 2,
               TemplateValue::String(a[0].starts_with(a[1]) ? a[0].substr(a[1].size()) : a[0]))
SILT_STRING_FN(GoTrimSuffix, 2,
               TemplateValue::String(a[0].ends_with(a[1]) ? a[0].substr(0, a[0].size() - a[1].size())
                                                          : a[0]))
SILT_STRING_FN(SprigTrimPrefix, 2,
               TemplateValue::String(a[1].starts_with(a[0]) ? a[1].substr(a[0].size()) : a[1]))
SILT_STRING_FN(SprigTrimSuffix, 2,
               TemplateValue::String(a[1].ends_with(a[0]) ? a[1].substr(0, a[1].size() - a[0].size())
                                                          : a[1]))
SILT_STRING_FN(TrimAll, 2, TemplateValue::String(TrimCutset(a[1], a[0], true, true)))
SILT_STRING_FN(Contains, 2, TemplateValue::Bool(a[1].find(a[0]) != std::string::npos))
SILT_STRING_FN(HasPrefix, 2, TemplateValue::Bool(a[1].starts_with(a[0])))
SILT_STRING_FN(HasSuffix, 2, TemplateValue::Bool(a[1].ends_with(a[0])))

Result<TemplateValue> SprigReplace(const FunctionCall& call) {
  return Strings<3>(call, [](const std::array<std::string, 3>& a) -> Result<TemplateValue> {
    SILT_ASSIGN_OR_RETURN(std::string out, ReplaceAll(a[2], a[0], a[1], -1));
    return TemplateValue::String(std::move(out));
  });
}

Result<TemplateValue> GoReplace(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 4, 4));
  SILT_ASSIGN_OR_RETURN(std::string s, ArgString(call, 0));
  SILT_ASSIGN_OR_RETURN(std::string old, ArgString(call, 1));
  SILT_ASSIGN_OR_RETURN(std::string with, ArgString(call, 2));
  SILT_ASSIGN_OR_RETURN(int64_t n, ArgInt(call, 3));
  SILT_ASSIGN_OR_RETURN(std::string out, ReplaceAll(s, old, with, n));
  return TemplateValue::String(std::move(out));
}

Result<TemplateValue> Title(const FunctionCall& call) {
  return Strings<1>(call, [](const std::array<std::string, 1>& a) -> Result<TemplateValue> {
    std::string out;
    bool after_separator = true;
    for (size_t i = 0; i < a[0].size();) {
      char32_t r = DecodeRune(a[0], &i);
      AppendRune(after_separator ? MapCase(r, true) : r, &out);
      bool word = r >= 0x80 ? !IsGoSpace(r)
                            : (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') ||
                                  (r >= 'A' && r <= 'Z') || r == '_';
      after_separator = !word;
    }
    return TemplateValue::String(std::move(out));
  });
}

// Functions taking (int, string): trunc, repeat, indent, nindent, alignLeft, alignRight.
template <typename F>
Result<TemplateValue> IntString(const FunctionCall& call, F f) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 2, 2));
  SILT_ASSIGN_OR_RETURN(int64_t n, ArgInt(call, 0));
  SILT_ASSIGN_OR_RETURN(std::string s, ArgString(call, 1));
  return f(n, s);
}

Result<TemplateValue> Trunc(const FunctionCall& call) {
  return IntString(call, [](int64_t c, const std::string& s) -> Result<TemplateValue> {
    int64_t size = static_cast<int64_t>(s.size());
    if (c < 0 && size + c > 0) return TemplateValue::String(s.substr(static_cast<size_t>(size + c)));
    if (c >= 0 && size > c) return TemplateValue::String(s.substr(0, static_cast<size_t>(c)));
    return TemplateValue::String(s);
  });
}

Result<TemplateValue> Repeat(const FunctionCall& call) {
  return IntString(call, [](int64_t n, const std::string& s) -> Result<TemplateValue> {
    if (n < 0) return Status::InvalidArgument("strings: negative Repeat count");
    if (!s.empty() && static_cast<uint64_t>(n) > kMaxResultBytes / s.size()) {
      return Status::InvalidArgument("result too large (over 16MiB)");
    }
    std::string out;
    for (int64_t i = 0; i < n; ++i) out.append(s);
    return TemplateValue::String(std::move(out));
  });
}

Result<TemplateValue> IndentBy(const FunctionCall& call, bool newline) {
  return IntString(call, [newline](int64_t n, const std::string& s) -> Result<TemplateValue> {
    if (n < 0) return Status::InvalidArgument("strings: negative Repeat count");
    if (static_cast<uint64_t>(n) > kMaxResultBytes) return Status::InvalidArgument("indent too large");
    std::string pad(static_cast<size_t>(n), ' ');
    SILT_ASSIGN_OR_RETURN(std::string body, ReplaceAll(s, "\n", "\n" + pad, -1));
    return TemplateValue::String((newline ? "\n" : "") + pad + body);
  });
}
Result<TemplateValue> Indent(const FunctionCall& call) { return IndentBy(call, false); }
Result<TemplateValue> Nindent(const FunctionCall& call) { return IndentBy(call, true); }

Result<TemplateValue> Align(const FunctionCall& call, bool left) {
  return IntString(call, [left](int64_t count, const std::string& s) -> Result<TemplateValue> {
    int64_t runes = static_cast<int64_t>(RuneCount(s));
    if (count < 0 || count == runes) return TemplateValue::String(s);
    if (count > runes) {
      if (count - runes > static_cast<int64_t>(kMaxResultBytes)) return Status::InvalidArgument("width too large");
      std::string pad(static_cast<size_t>(count - runes), ' ');
      return TemplateValue::String(left ? s + pad : pad + s);
    }
    size_t cut = 0;
    for (int64_t k = 0; k < (left ? count : runes - count); ++k) DecodeRune(s, &cut);
    return TemplateValue::String(left ? s.substr(0, cut) : s.substr(cut));
  });
}
Result<TemplateValue> AlignLeft(const FunctionCall& call) { return Align(call, true); }
Result<TemplateValue> AlignRight(const FunctionCall& call) { return Align(call, false); }

Result<TemplateValue> Substr(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 3, 3));
  SILT_ASSIGN_OR_RETURN(int64_t start, ArgInt(call, 0));
  SILT_ASSIGN_OR_RETURN(int64_t end, ArgInt(call, 1));
  SILT_ASSIGN_OR_RETURN(std::string s, ArgString(call, 2));
  int64_t size = static_cast<int64_t>(s.size());
  int64_t from = start < 0 ? 0 : start;
  int64_t to = start < 0 ? end : (end < 0 || end > size) ? size : end;
  if (from > size || to > size || to < 0 || from > to) {
    return Status::InvalidArgument("slice bounds out of range [" + std::to_string(from) + ":" +
                                   std::to_string(to) + "] with length " + std::to_string(size));
  }
  return TemplateValue::String(s.substr(static_cast<size_t>(from), static_cast<size_t>(to - from)));
}

// Sprig's strslice: a list's non-nil items, nothing for nil, else the value itself.
std::vector<std::string> StrSlice(const TemplateValue& v) {
  std::vector<std::string> out;
  if (v.kind() == Kind::kList) {
    for (const TemplateValue& item : v.list_value()) {
      if (!item.is_nil()) out.push_back(StrVal(item));
    }
  } else if (!v.is_nil()) {
    out.push_back(StrVal(v));
  }
  return out;
}

Result<TemplateValue> Join(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 2, 2));
  SILT_ASSIGN_OR_RETURN(std::string sep, ArgString(call, 0));
  std::string out;
  std::vector<std::string> parts = StrSlice(call.args[1]);
  for (size_t i = 0; i < parts.size(); ++i) out.append(i > 0 ? sep : "").append(parts[i]);
  return TemplateValue::String(std::move(out));
}

Result<TemplateValue> Split(const FunctionCall& call) {
  return Strings<2>(call, [](const std::array<std::string, 2>& a) -> Result<TemplateValue> {
    TemplateMap parts;
    std::string_view s = a[1];
    size_t n = 0;
    while (true) {
      std::string key = "_" + std::to_string(n++);
      size_t at = a[0].empty() ? std::string_view::npos : s.find(a[0]);
      if (a[0].empty() && !s.empty()) {
        size_t next = 0;
        DecodeRune(s, &next);
        parts.emplace(key, TemplateValue::String(std::string(s.substr(0, next))));
        s.remove_prefix(next);
        if (s.empty()) break;
        continue;
      }
      if (at == std::string_view::npos) {
        if (!a[0].empty()) parts.emplace(key, TemplateValue::String(std::string(s)));
        break;
      }
      parts.emplace(key, TemplateValue::String(std::string(s.substr(0, at))));
      s.remove_prefix(at + a[0].size());
    }
    return TemplateValue::Map(std::move(parts), /*string_values=*/true);
  });
}

Result<TemplateValue> Cat(const FunctionCall& call) {
  std::string out;
  bool first = true;
  for (const TemplateValue& v : call.args) {
    if (v.is_nil()) continue;
    if (!first) out.push_back(' ');
    first = false;
    AppendGoValue(v, &out);
  }
  return TemplateValue::String(std::move(out));
}

Result<TemplateValue> Quote(const FunctionCall& call, bool single) {
  std::string out;
  bool first = true;
  for (const TemplateValue& v : call.args) {
    if (v.is_nil()) continue;
    out.append(first ? "" : " ").append(single ? "'" + StrVal(v) + "'" : GoQuote(StrVal(v)));
    first = false;
  }
  return TemplateValue::String(std::move(out));
}
Result<TemplateValue> DoubleQuote(const FunctionCall& call) { return Quote(call, false); }
Result<TemplateValue> SingleQuote(const FunctionCall& call) { return Quote(call, true); }

}  // namespace

void AddStringFunctions(FunctionTable* table) {
  table->insert({
      {"ToLower", Lower}, {"ToUpper", Upper}, {"Replace", GoReplace}, {"Trim", Trim},
      {"TrimLeft", TrimLeft}, {"TrimRight", TrimRight}, {"TrimPrefix", GoTrimPrefix},
      {"TrimSuffix", GoTrimSuffix}, {"TrimSpace", TrimSpace}, {"lower", Lower},
      {"upper", Upper}, {"title", Title}, {"trunc", Trunc}, {"substr", Substr},
      {"contains", Contains}, {"hasPrefix", HasPrefix}, {"hasSuffix", HasSuffix},
      {"indent", Indent}, {"nindent", Nindent}, {"replace", SprigReplace}, {"repeat", Repeat},
      {"trim", TrimSpace}, {"trimAll", TrimAll}, {"trimPrefix", SprigTrimPrefix},
      {"trimSuffix", SprigTrimSuffix}, {"alignLeft", AlignLeft}, {"alignRight", AlignRight},
      {"join", Join}, {"split", Split}, {"cat", Cat}, {"quote", DoubleQuote},
      {"squote", SingleQuote},
  });
}

}  // namespace silt::logql::format
