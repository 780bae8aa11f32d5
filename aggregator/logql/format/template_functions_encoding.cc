// Encoding functions: Go's html, js and urlquery escapers; Loki's urlencode, urldecode, b64enc,
// b64dec; Sprig's sha256 (hex), toJson and fromJson (Go's encoding/json: numbers become float64,
// HTML characters escaped, map keys sorted).
#include <openssl/evp.h>
#include <simdjson.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "aggregator/logql/format/go_format.h"
#include "aggregator/logql/format/template_functions.h"

namespace silt::logql::format {
namespace {

using Kind = TemplateValue::Kind;

constexpr char kUpperHex[] = "0123456789ABCDEF";
constexpr char kLowerHex[] = "0123456789abcdef";
constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Go's evalArgs for the escapers: one string as is, otherwise fmt.Sprint of all arguments.
std::string EscaperInput(const FunctionCall& call) {
  if (call.args.size() == 1 && call.args[0].kind() == Kind::kString)
    return call.args[0].string_value();
  return GoSprint(call.args);
}

Result<TemplateValue> Html(const FunctionCall& call) {
  std::string out;
  for (char c : EscaperInput(call)) {
    switch (c) {
      case '"':
        out.append("&#34;");
        break;
      case '\'':
        out.append("&#39;");
        break;
      case '&':
        out.append("&amp;");
        break;
      case '<':
        out.append("&lt;");
        break;
      case '>':
        out.append("&gt;");
        break;
      case '\0':
        out.append("\xEF\xBF\xBD");
        break;
      default:
        out.push_back(c);
    }
  }
  return TemplateValue::String(std::move(out));
}

Result<TemplateValue> Js(const FunctionCall& call) {
  std::string in = EscaperInput(call), out;
  for (size_t i = 0; i < in.size();) {
    size_t start = i;
    char32_t r = DecodeRune(in, &i);
    switch (r) {
      case '\\':
        out.append("\\\\");
        continue;
      case '\'':
        out.append("\\'");
        continue;
      case '"':
        out.append("\\\"");
        continue;
      case '<':
        out.append("\\u003C");
        continue;
      case '>':
        out.append("\\u003E");
        continue;
      case '&':
        out.append("\\u0026");
        continue;
      case '=':
        out.append("\\u003D");
        continue;
      default:
        break;
    }
    if (r < ' ') {
      out.append("\\u00").push_back(kUpperHex[r >> 4]);
      out.push_back(kUpperHex[r & 0xf]);
    } else {
      out.append(in, start, i - start);
    }
  }
  return TemplateValue::String(std::move(out));
}

std::string QueryEscape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kUpperHex[c >> 4]);
      out.push_back(kUpperHex[c & 0xf]);
    }
  }
  return out;
}

Result<TemplateValue> UrlQuery(const FunctionCall& call) {
  return TemplateValue::String(QueryEscape(EscaperInput(call)));
}

Result<TemplateValue> UrlEncode(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, 1));
  SILT_ASSIGN_OR_RETURN(std::string s, ArgString(call, 0));
  return TemplateValue::String(QueryEscape(s));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') return (c | 0x20) - 'a' + 10;
  return -1;
}

Result<TemplateValue> UrlDecode(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, 1));
  SILT_ASSIGN_OR_RETURN(std::string s, ArgString(call, 0));
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] != '%') {
      out.push_back(s[i]);
    } else if (i + 2 < s.size() + 0 && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else {
      return Status::InvalidArgument("invalid URL escape \"" + s.substr(i, 3) + "\"");
    }
  }
  return TemplateValue::String(std::move(out));
}

Result<TemplateValue> B64Enc(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, 1));
  SILT_ASSIGN_OR_RETURN(std::string s, ArgString(call, 0));
  std::string out;
  for (size_t i = 0; i < s.size(); i += 3) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(s[i])) << 16;
    if (i + 1 < s.size()) n |= static_cast<uint32_t>(static_cast<unsigned char>(s[i + 1])) << 8;
    if (i + 2 < s.size()) n |= static_cast<unsigned char>(s[i + 2]);
    out.push_back(kBase64[n >> 18]);
    out.push_back(kBase64[(n >> 12) & 63]);
    out.push_back(i + 1 < s.size() ? kBase64[(n >> 6) & 63] : '=');
    out.push_back(i + 2 < s.size() ? kBase64[n & 63] : '=');
  }
  return TemplateValue::String(std::move(out));
}

// Go's StdEncoding.DecodeString; on bad input Sprig returns the error text as the result.
Result<TemplateValue> B64Dec(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, 1));
  SILT_ASSIGN_OR_RETURN(std::string s, ArgString(call, 0));
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  size_t pad_at = std::string::npos;
  auto illegal = [](size_t at) {
    return TemplateValue::String("illegal base64 data at input byte " + std::to_string(at));
  };
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\r' || c == '\n') continue;
    const char* p = c == '\0' ? nullptr : std::strchr(kBase64, c);
    if (c == '=' && count >= 2) {
      if (pad_at == std::string::npos) pad_at = i;
      continue;
    }
    if (p == nullptr || pad_at != std::string::npos)
      return illegal(pad_at != std::string::npos ? pad_at : i);
    bits = (bits << 6) | static_cast<uint32_t>(p - kBase64);
    if (++count == 4) {
      out.push_back(static_cast<char>(bits >> 16));
      out.push_back(static_cast<char>(bits >> 8));
      out.push_back(static_cast<char>(bits));
      bits = 0;
      count = 0;
    }
  }
  size_t pads = pad_at == std::string::npos ? 0 : s.size() - pad_at;
  if (count == 1 || (count > 0 && count + pads != 4))
    return illegal(s.size() - pads - (pads == 0 ? count : 0));
  if (count == 2) out.push_back(static_cast<char>(bits >> 4));
  if (count == 3) {
    out.push_back(static_cast<char>(bits >> 10));
    out.push_back(static_cast<char>(bits >> 2));
  }
  return TemplateValue::String(std::move(out));
}

Result<TemplateValue> Sha256(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, 1));
  SILT_ASSIGN_OR_RETURN(std::string s, ArgString(call, 0));
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(s.data(), s.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    return Status::InvalidArgument("sha256: digest failed");
  }
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out.push_back(kLowerHex[digest[i] >> 4]);
    out.push_back(kLowerHex[digest[i] & 0xf]);
  }
  return TemplateValue::String(std::move(out));
}

// toJson's strings: Go's json.Marshal, which also escapes < > & (shared/json does not).
void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (size_t i = 0; i < s.size();) {
    size_t start = i;
    char32_t r = DecodeRune(s, &i);
    switch (r) {
      case '"':
        out->append("\\\"");
        continue;
      case '\\':
        out->append("\\\\");
        continue;
      case '\n':
        out->append("\\n");
        continue;
      case '\r':
        out->append("\\r");
        continue;
      case '\t':
        out->append("\\t");
        continue;
      case '\b':
        out->append("\\b");
        continue;
      case '\f':
        out->append("\\f");
        continue;
      default:
        break;
    }
    if (r < 0x20 || r == '<' || r == '>' || r == '&' || r == 0x2028 || r == 0x2029) {
      out->append(r < 0x100 ? "\\u00" : "\\u20");
      out->push_back(kLowerHex[(r >> 4) & 0xf]);
      out->push_back(kLowerHex[r & 0xf]);
    } else if (r == 0xFFFD && i - start == 1) {
      out->append("\\ufffd");
    } else {
      out->append(s.substr(start, i - start));
    }
  }
  out->push_back('"');
}

bool AppendJson(const TemplateValue& v, std::string* out) {
  switch (v.kind()) {
    case Kind::kNil:
      out->append("null");
      return true;
    case Kind::kBool:
      out->append(v.bool_value() ? "true" : "false");
      return true;
    case Kind::kInt:
      out->append(std::to_string(v.int_value()));
      return true;
    case Kind::kFloat: {
      double f = v.float_value();
      if (!std::isfinite(f)) return false;
      double a = std::fabs(f);
      bool exponent = a != 0 && (a < 1e-6 || a >= 1e21);
      std::string text = GoValueText(v);  // shortest digits; %e form when `exponent`
      if (!exponent && text.find('e') != std::string::npos) {  // 1e-6 <= |f| < 1e-4: plain
        char buf[64];
        for (int p = 0; p < 30; ++p) {
          std::snprintf(buf, sizeof buf, "%.*f", p, f);
          if (std::strtod(buf, nullptr) == f) break;
        }
        text = buf;
      }
      size_t e = text.find("e-0");
      if (exponent && e != std::string::npos && e + 4 == text.size()) text.erase(e + 2, 1);
      out->append(text);
      return true;
    }
    case Kind::kString:
      AppendJsonString(v.string_value(), out);
      return true;
    case Kind::kTime:
      AppendJsonString(time::FormatGoTime(v.time_value(), "2006-01-02T15:04:05.999999999Z07:00"),
                       out);
      return true;
    case Kind::kMap: {
      out->push_back('{');
      bool first = true;
      for (const auto& [key, item] : v.map_value()) {
        if (!first) out->push_back(',');
        first = false;
        AppendJsonString(key, out);
        out->push_back(':');
        if (!AppendJson(item, out)) return false;
      }
      out->push_back('}');
      return true;
    }
    case Kind::kList:
      out->push_back('[');
      for (size_t i = 0; i < v.list_value().size(); ++i) {
        if (i > 0) out->push_back(',');
        if (!AppendJson(v.list_value()[i], out)) return false;
      }
      out->push_back(']');
      return true;
  }
  return false;
}

Result<TemplateValue> ToJson(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, 1));
  std::string out;
  if (!AppendJson(call.args[0], &out)) out.clear();  // Sprig ignores the marshal error
  return TemplateValue::String(std::move(out));
}

TemplateValue FromDom(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY: {
      TemplateList list;
      for (simdjson::dom::element item : e.get_array()) list.push_back(FromDom(item));
      return TemplateValue::List(std::move(list));
    }
    case simdjson::dom::element_type::OBJECT: {
      TemplateMap map;
      for (auto field : e.get_object())
        map.insert_or_assign(std::string(field.key), FromDom(field.value));
      return TemplateValue::Map(std::move(map), /*string_values=*/false);
    }
    case simdjson::dom::element_type::INT64:
      return TemplateValue::Float(static_cast<double>(int64_t(e)));
    case simdjson::dom::element_type::UINT64:
      return TemplateValue::Float(static_cast<double>(uint64_t(e)));
    case simdjson::dom::element_type::DOUBLE:
      return TemplateValue::Float(double(e));
    case simdjson::dom::element_type::STRING:
      return TemplateValue::String(std::string(std::string_view(e)));
    case simdjson::dom::element_type::BOOL:
      return TemplateValue::Bool(bool(e));
    case simdjson::dom::element_type::NULL_VALUE:
      return TemplateValue();
  }
  return TemplateValue();
}

// Sprig's fromJson: the decoded value, or nil when the text is not JSON.
Result<TemplateValue> FromJson(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, 1));
  SILT_ASSIGN_OR_RETURN(std::string s, ArgString(call, 0));
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(s).get(root) != simdjson::SUCCESS) return TemplateValue();
  return FromDom(root);
}

}  // namespace

void AddEncodingFunctions(FunctionTable* table) {
  table->insert({
      {"html", Html},
      {"js", Js},
      {"urlquery", UrlQuery},
      {"urlencode", UrlEncode},
      {"urldecode", UrlDecode},
      {"b64enc", B64Enc},
      {"b64dec", B64Dec},
      {"sha256", Sha256},
      {"toJson", ToJson},
      {"fromJson", FromJson},
  });
}

}  // namespace silt::logql::format
