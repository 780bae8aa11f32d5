// Go fmt/strconv text forms (go_format.h).
#include "aggregator/logql/format/go_format.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "aggregator/logql/number_text.h"

namespace silt::logql::format {
namespace {

using Kind = TemplateValue::Kind;

struct Spec {
  bool plus = false, minus = false, sharp = false, space = false, zero = false;
  int width = -1, precision = -1;
  char verb = 'v';
};

bool IsPrintable(char32_t r) {
  if (r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0xad) return false;
  if ((r >= 0x200b && r <= 0x200f) || (r >= 0x2028 && r <= 0x202e)) return false;
  if ((r >= 0x2060 && r <= 0x206f) || r == 0xfeff || (r >= 0xd800 && r <= 0xdfff)) return false;
  return r <= 0x10ffff && r != 0xfffe && r != 0xffff;
}

void AppendHex(uint64_t v, int digits, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) out->push_back(kHex[(v >> (4 * i)) & 0xf]);
}

// Pads `body` (sign already in it) to the width: zeros after the sign, or spaces.
void Pad(const Spec& s, std::string body, bool numeric, std::string* out) {
  int n = static_cast<int>(RuneCount(body));
  if (s.width <= n) {
    out->append(body);
    return;
  }
  size_t fill = static_cast<size_t>(s.width - n);
  if (s.minus) {
    out->append(body).append(fill, ' ');
  } else if (s.zero) {  // Go pads strings with zeros too
    size_t sign = numeric && !body.empty() && (body[0] == '-' || body[0] == '+' || body[0] == ' ');
    out->append(body.substr(0, sign)).append(fill, '0').append(body.substr(sign));
  } else {
    out->append(fill, ' ').append(body);
  }
}

std::string Digits(uint64_t v, int base, bool upper) {
  const char* d = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), d[v % static_cast<unsigned>(base)]);
    v /= static_cast<unsigned>(base);
  } while (v != 0);
  return out;
}

// %c, %q and %U of an integer: the rune, its quoted form, or U+XXXX.
std::string RuneText(char verb, int64_t v) {
  char32_t rune = v < 0 || v > 0x10FFFF ? 0xFFFD : static_cast<char32_t>(v);
  if (verb == 'U') {
    std::string hex = Digits(static_cast<uint64_t>(v < 0 ? 0 : v), 16, true);
    while (hex.size() < 4) hex.insert(hex.begin(), '0');
    return "U+" + hex;
  }
  std::string text;
  AppendRune(rune, &text);
  if (verb == 'c') return text;
  if (rune == '\'') return "'\\''";
  if (rune == '"') return "'\"'";
  std::string quoted = GoQuote(text);
  quoted.front() = quoted.back() = '\'';
  return quoted;
}

bool FormatInt(const Spec& s, int64_t v, std::string* out) {
  uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  std::string digits, prefix;
  switch (s.verb) {
    case 'd':
    case 'v':
      digits = Digits(magnitude, 10, false);
      break;
    case 'b':
      digits = Digits(magnitude, 2, false);
      break;
    case 'o':
      digits = Digits(magnitude, 8, false);
      prefix = s.sharp ? "0" : "";
      break;
    case 'O':
      digits = Digits(magnitude, 8, false);
      prefix = "0o";
      break;
    case 'x':
      digits = Digits(magnitude, 16, false);
      prefix = s.sharp ? "0x" : "";
      break;
    case 'X':
      digits = Digits(magnitude, 16, true);
      prefix = s.sharp ? "0X" : "";
      break;
    case 'c':
    case 'q':
    case 'U':
      Pad(s, RuneText(s.verb, v), false, out);
      return true;
    default:
      return false;
  }
  if (s.precision >= 0) {
    while (static_cast<int>(digits.size()) < s.precision) digits.insert(digits.begin(), '0');
    if (s.precision == 0 && v == 0) digits.clear();
  }
  std::string sign = v < 0 ? "-" : s.plus ? "+" : s.space ? " " : "";
  Spec padding = s;
  if (s.precision >= 0) padding.zero = false;
  Pad(padding, sign + prefix + digits, true, out);
  return true;
}

// The shortest %e digits that read back to `v`, as "d.ddde+XX".
std::string ShortestE(double v) {
  char buf[40];
  for (int p = 0; p < 17; ++p) {
    std::snprintf(buf, sizeof buf, "%.*e", p, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

std::string FloatBody(const Spec& s, double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? (s.plus ? "+Inf" : s.space ? " Inf" : "+Inf") : "-Inf";
  char buf[400];
  std::string body;
  char verb = s.verb == 'F' ? 'f' : s.verb;
  if (verb == 'v' || (verb == 'g' && s.precision < 0) || (verb == 'G' && s.precision < 0)) {
    std::string e = ShortestE(v);
    int exp = std::atoi(e.c_str() + e.find('e') + 1);
    // Go's shortest %g (and so %v): %e form below exponent -4 and from exponent 6.
    body = exp < -4 || exp >= 6 ? e : FormatNumber(v);
    if (verb == 'G') {
      for (char& c : body) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  } else {
    std::string fmt = std::string("%") + (s.sharp ? "#" : "") + ".*" + verb;
    std::snprintf(buf, sizeof buf, fmt.c_str(), s.precision < 0 ? 6 : s.precision, v);
    body = buf;
  }
  if (v >= 0 && body[0] != '-') body = (s.plus ? "+" : s.space ? " " : "") + body;
  return body;
}

bool FormatFloat(const Spec& s, double v, std::string* out) {
  if (std::string_view("veEfFgG").find(s.verb) == std::string_view::npos) return false;
  Pad(s, FloatBody(s, v), std::isfinite(v), out);
  return true;
}

bool FormatString(const Spec& s, const std::string& v, std::string* out) {
  std::string body;
  if (s.verb == 's' || s.verb == 'v') {
    body = v;
    if (s.precision >= 0) {
      size_t i = 0;
      for (int n = 0; n < s.precision && i < v.size(); ++n) DecodeRune(v, &i);
      body.resize(i);
    }
  } else if (s.verb == 'q') {
    body = GoQuote(v);
  } else if (s.verb == 'x' || s.verb == 'X') {
    for (size_t i = 0; i < v.size(); ++i) {
      if (s.space && i > 0) body.push_back(' ');
      AppendHex(static_cast<unsigned char>(v[i]), 2, &body);
    }
    if (s.verb == 'X')
      for (char& c : body) c = static_cast<char>(std::toupper(c));
  } else {
    return false;
  }
  Pad(s, body, false, out);
  return true;
}

void FormatValue(const Spec& s, const TemplateValue& v, std::string* out);

void BadVerb(const Spec& s, const TemplateValue& v, std::string* out) {
  out->append("%!").push_back(s.verb);
  out->push_back('(');
  if (!v.is_nil()) out->append(GoTypeName(v)).push_back('=');
  AppendGoValue(v, out);
  out->push_back(')');
}

void FormatValue(const Spec& s, const TemplateValue& v, std::string* out) {
  bool ok = true;
  switch (v.kind()) {
    case Kind::kNil:
      ok = s.verb == 'v';
      if (ok) Pad(s, "<nil>", false, out);
      break;
    case Kind::kBool:
      ok = s.verb == 'v' || s.verb == 't';
      if (ok) Pad(s, v.bool_value() ? "true" : "false", false, out);
      break;
    case Kind::kInt:
      ok = FormatInt(s, v.int_value(), out);
      break;
    case Kind::kFloat:
      ok = FormatFloat(s, v.float_value(), out);
      break;
    case Kind::kString:
      ok = FormatString(s, v.string_value(), out);
      break;
    case Kind::kTime:
      ok = FormatString(s, time::GoTimeString(v.time_value()), out);
      break;
    case Kind::kMap: {
      out->append("map[");
      bool first = true;
      for (const auto& [key, item] : v.map_value()) {
        if (!first) out->push_back(' ');
        first = false;
        FormatValue(s, TemplateValue::String(key), out);
        out->push_back(':');
        FormatValue(s, item, out);
      }
      out->push_back(']');
      break;
    }
    case Kind::kList:
      out->push_back('[');
      for (size_t i = 0; i < v.list_value().size(); ++i) {
        if (i > 0) out->push_back(' ');
        FormatValue(s, v.list_value()[i], out);
      }
      out->push_back(']');
      break;
  }
  if (!ok) BadVerb(s, v, out);
}

// Reads flags, width and precision at format[*i] (after '%'); '*' takes an int argument.
void ReadSpec(std::string_view f, size_t* i, std::span<const TemplateValue> args, size_t* arg,
              Spec* s) {
  for (; *i < f.size(); ++*i) {
    char c = f[*i];
    if (c == '+')
      s->plus = true;
    else if (c == '-')
      s->minus = true;
    else if (c == '#')
      s->sharp = true;
    else if (c == ' ')
      s->space = true;
    else if (c == '0')
      s->zero = true;
    else
      break;
  }
  auto number = [&](int* out) {
    if (*i < f.size() && f[*i] == '*') {
      ++*i;
      if (*arg < args.size() && args[*arg].kind() == Kind::kInt)
        *out = static_cast<int>(args[*arg].int_value());
      ++*arg;
      return;
    }
    if (*i >= f.size() || f[*i] < '0' || f[*i] > '9') return;
    *out = 0;
    while (*i < f.size() && f[*i] >= '0' && f[*i] <= '9')
      *out = std::min(*out * 10 + (f[(*i)++] - '0'), 1000000);
  };
  number(&s->width);
  if (s->width < -1) {
    s->minus = true;
    s->width = -s->width;
  }
  if (*i < f.size() && f[*i] == '.') {
    ++*i;
    s->precision = 0;
    number(&s->precision);
  }
}

}  // namespace

std::string GoFloatText(double v) { return FloatBody(Spec{}, v); }

std::string GoSprint(std::span<const TemplateValue> args) {
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) {
    bool is_string = args[i].kind() == Kind::kString;
    if (i > 0 && !is_string && args[i - 1].kind() != Kind::kString) out.push_back(' ');
    AppendGoValue(args[i], &out);
  }
  return out;
}

std::string GoSprintln(std::span<const TemplateValue> args) {
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out.push_back(' ');
    AppendGoValue(args[i], &out);
  }
  out.push_back('\n');
  return out;
}

std::string GoSprintf(std::string_view f, std::span<const TemplateValue> args) {
  std::string out;
  size_t arg = 0;
  for (size_t i = 0; i < f.size();) {
    if (f[i] != '%') {
      out.push_back(f[i++]);
      continue;
    }
    ++i;
    Spec s;
    ReadSpec(f, &i, args, &arg, &s);
    if (i >= f.size()) {
      out.append("%!(NOVERB)");
      break;
    }
    size_t start = i;
    char32_t verb = DecodeRune(f, &i);
    if (verb == '%') {
      out.push_back('%');
      continue;
    }
    s.verb = verb < 0x80 ? static_cast<char>(verb) : '?';
    if (arg >= args.size()) {
      out.append("%!").append(f.substr(start, i - start)).append("(MISSING)");
      continue;
    }
    FormatValue(s, args[arg++], &out);
  }
  if (arg < args.size()) {
    out.append("%!(EXTRA ");
    for (size_t k = arg; k < args.size(); ++k) {
      if (k > arg) out.append(", ");
      if (!args[k].is_nil()) out.append(GoTypeName(args[k])).push_back('=');
      AppendGoValue(args[k], &out);
    }
    out.push_back(')');
  }
  return out;
}

std::string GoQuote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    size_t start = i;
    char32_t r = DecodeRune(s, &i);
    if (r == 0xFFFD && i - start == 1 && static_cast<unsigned char>(s[start]) >= 0x80) {
      out.append("\\x");
      AppendHex(static_cast<unsigned char>(s[start]), 2, &out);
      continue;
    }
    switch (r) {
      case '"':
        out.append("\\\"");
        continue;
      case '\\':
        out.append("\\\\");
        continue;
      case '\a':
        out.append("\\a");
        continue;
      case '\b':
        out.append("\\b");
        continue;
      case '\f':
        out.append("\\f");
        continue;
      case '\n':
        out.append("\\n");
        continue;
      case '\r':
        out.append("\\r");
        continue;
      case '\t':
        out.append("\\t");
        continue;
      case '\v':
        out.append("\\v");
        continue;
      default:
        break;
    }
    if (IsPrintable(r)) {
      out.append(s.substr(start, i - start));
    } else if (r < 0x80) {
      out.append("\\x");
      AppendHex(r, 2, &out);
    } else if (r < 0x10000) {
      out.append("\\u");
      AppendHex(r, 4, &out);
    } else {
      out.append("\\U");
      AppendHex(r, 8, &out);
    }
  }
  out.push_back('"');
  return out;
}

char32_t DecodeRune(std::string_view s, size_t* i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b = byte(*i);
  if (b < 0x80) {
    ++*i;
    return b;
  }
  int n = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b <= 0xDF ? 2 : 0;
  if (b >= 0xF5) n = 0;
  if (n == 0 || *i + static_cast<size_t>(n) > s.size()) {
    ++*i;
    return 0xFFFD;
  }
  char32_t r = b & (0xFF >> (n + 1));
  for (int k = 1; k < n; ++k) {
    unsigned char c = byte(*i + static_cast<size_t>(k));
    if ((c & 0xC0) != 0x80) {
      ++*i;
      return 0xFFFD;
    }
    r = (r << 6) | (c & 0x3F);
  }
  bool overlong = (n == 3 && r < 0x800) || (n == 4 && (r < 0x10000 || r > 0x10FFFF));
  if (overlong || (r >= 0xD800 && r <= 0xDFFF)) {
    ++*i;
    return 0xFFFD;
  }
  *i += static_cast<size_t>(n);
  return r;
}

void AppendRune(char32_t r, std::string* out) {
  if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = 0xFFFD;
  if (r < 0x80) {
    out->push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (r >> 6)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (r >> 12)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (r >> 18)));
    out->push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

size_t RuneCount(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++n) DecodeRune(s, &i);
  return n;
}

}  // namespace silt::logql::format
