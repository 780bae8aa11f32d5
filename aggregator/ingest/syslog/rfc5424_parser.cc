#include "aggregator/ingest/syslog/rfc5424_parser.h"

#include <string>

#include "shared/time/timestamp.h"

namespace silt::ingest {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool IsPrintUsAscii(char c) { return c >= 33 && c <= 126; }

// A reader over `rest` that names the offset of every failure.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }
  size_t pos() const { return pos_; }
  std::string_view Rest() const { return text_.substr(pos_); }
  void Skip(size_t n) { pos_ += n; }

  Status Fail(std::string_view what) const {
    return Status::InvalidArgument("RFC 5424 " + std::string(what) + " at byte " +
                                   std::to_string(pos_) + " after the PRI");
  }
  // A run of PRINTUSASCII of 1..max_len bytes ended by SP (consumed); "-" gives "".
  Status Field(std::string_view name, size_t max_len, std::string_view* out) {
    const size_t start = pos_;
    while (!AtEnd() && IsPrintUsAscii(Peek())) ++pos_;
    const size_t len = pos_ - start;
    if (len == 0) return Fail(std::string(name) + " is empty or has a non-ASCII byte");
    if (len > max_len) {
      return Fail(std::string(name) + " is longer than " + std::to_string(max_len) + " bytes");
    }
    if (AtEnd() || Peek() != ' ') return Fail("missing space after " + std::string(name));
    ++pos_;
    std::string_view value = text_.substr(start, len);
    *out = value == "-" ? std::string_view() : value;
    return Status::Ok();
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

Status ParseVersionAndTime(Cursor& c, SyslogMessage* out) {
  std::string_view version;
  SILT_RETURN_IF_ERROR(c.Field("VERSION", 2, &version));
  if (version.empty() || version[0] < '1' || version[0] > '9' ||
      (version.size() == 2 && (version[1] < '0' || version[1] > '9'))) {
    return c.Fail("VERSION is not 1..99");
  }
  std::string_view stamp;
  SILT_RETURN_IF_ERROR(c.Field("TIMESTAMP", 64, &stamp));
  if (stamp.empty()) return Status::Ok();
  Result<int64_t> parsed = time::ParseRfc3339(stamp);
  if (!parsed.ok()) return c.Fail("TIMESTAMP: " + std::string(parsed.status().message()));
  out->has_timestamp = true;
  out->timestamp = *parsed;
  return Status::Ok();
}

bool IsSdNameChar(char c) { return IsPrintUsAscii(c) && c != '=' && c != ']' && c != '"'; }

// SD-NAME: 1..32 PRINTUSASCII except '=', SP, ']', '"'.
Status SdName(Cursor& c, std::string_view what, std::string_view* out) {
  const std::string_view rest = c.Rest();
  size_t n = 0;
  while (n < rest.size() && IsSdNameChar(rest[n])) ++n;
  if (n == 0 || n > 32) return c.Fail(std::string(what) + " is not 1..32 name characters");
  *out = rest.substr(0, n);
  c.Skip(n);
  return Status::Ok();
}

// PARAM-VALUE after the opening quote, up to the closing one (consumed); \" \\ \] unescape.
Status ParamValue(Cursor& c, SyslogMessage* out, std::string_view* value) {
  const std::string_view rest = c.Rest();
  std::string unescaped;
  bool escaped = false;
  for (size_t i = 0; i < rest.size(); ++i) {
    const char ch = rest[i];
    if (ch == '\\' && i + 1 < rest.size() &&
        (rest[i + 1] == '"' || rest[i + 1] == '\\' || rest[i + 1] == ']')) {
      unescaped.push_back(rest[++i]);
      escaped = true;
    } else if (ch == '"') {
      if (escaped) {
        *value = out->owned_values.emplace_back(std::move(unescaped));
      } else {
        *value = rest.substr(0, i);
      }
      c.Skip(i + 1);
      return Status::Ok();
    } else {
      unescaped.push_back(ch);
    }
  }
  return c.Fail("STRUCTURED-DATA has an unterminated PARAM-VALUE (missing '\"')");
}

Status SdElement(Cursor& c, SyslogMessage* out) {
  c.Skip(1);  // '['
  std::string_view id;
  SILT_RETURN_IF_ERROR(SdName(c, "SD-ID", &id));
  while (true) {
    if (c.AtEnd()) return c.Fail("STRUCTURED-DATA element is not closed with ']'");
    if (c.Peek() == ']') {
      c.Skip(1);
      return Status::Ok();
    }
    if (c.Peek() != ' ')
      return c.Fail("STRUCTURED-DATA expects ' ' or ']' after " + std::string(id));
    c.Skip(1);
    SdParam param;
    param.id = id;
    SILT_RETURN_IF_ERROR(SdName(c, "PARAM-NAME", &param.name));
    if (c.Rest().substr(0, 2) != "=\"") return c.Fail("SD-PARAM expects =\"value\"");
    c.Skip(2);
    SILT_RETURN_IF_ERROR(ParamValue(c, out, &param.value));
    out->structured_data.push_back(param);
  }
}

Status ParseStructuredData(Cursor& c, SyslogMessage* out) {
  if (c.AtEnd()) return c.Fail("STRUCTURED-DATA is missing");
  if (c.Peek() == '-') {
    c.Skip(1);
  } else if (c.Peek() == '[') {
    while (!c.AtEnd() && c.Peek() == '[') SILT_RETURN_IF_ERROR(SdElement(c, out));
  } else {
    return c.Fail("STRUCTURED-DATA is neither '-' nor '['");
  }
  if (c.AtEnd()) return Status::Ok();
  if (c.Peek() != ' ') return c.Fail("missing space between STRUCTURED-DATA and MSG");
  c.Skip(1);
  std::string_view msg = c.Rest();
  if (msg.starts_with(kBom)) msg.remove_prefix(kBom.size());
  out->msg = msg;
  return Status::Ok();
}

}  // namespace

Status ParseRfc5424(std::string_view rest, SyslogMessage* out) {
  out->format = SyslogFormat::kRfc5424;
  Cursor c(rest);
  SILT_RETURN_IF_ERROR(ParseVersionAndTime(c, out));
  SILT_RETURN_IF_ERROR(c.Field("HOSTNAME", 255, &out->hostname));
  SILT_RETURN_IF_ERROR(c.Field("APP-NAME", 48, &out->app_name));
  SILT_RETURN_IF_ERROR(c.Field("PROCID", 128, &out->proc_id));
  SILT_RETURN_IF_ERROR(c.Field("MSGID", 32, &out->msg_id));
  return ParseStructuredData(c, out);
}

}  // namespace silt::ingest
