#include "shared/config/env_expander.h"

#include <cstdlib>

namespace silt::config {
namespace {

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

bool IsValidName(std::string_view name) {
  if (name.empty() || !IsNameStart(name[0])) return false;
  for (char c : name) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

// Expands the body of one "${...}" reference (without the braces) into `out`.
Status ExpandReference(std::string_view body, const EnvLookup& lookup, std::string* out) {
  size_t op = body.find(":-");
  std::string_view name = body.substr(0, op);
  if (!IsValidName(name)) {
    return Status::InvalidArgument("invalid environment variable name \"" + std::string(name) +
                                   "\" in \"${" + std::string(body) +
                                   "}\": use letters, digits and '_', not starting with a digit");
  }
  std::optional<std::string> value = lookup(std::string(name));
  if (op != std::string_view::npos) {
    out->append(value.has_value() && !value->empty() ? std::string_view(*value)
                                                     : body.substr(op + 2));
    return Status::Ok();
  }
  if (!value.has_value()) {
    return Status::InvalidArgument("environment variable \"" + std::string(name) +
                                   "\" is not set; set it, or give a default with \"${" +
                                   std::string(name) + ":-default}\"");
  }
  out->append(*value);
  return Status::Ok();
}

}  // namespace

EnvLookup ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Result<std::string> ExpandEnv(std::string_view text, const EnvLookup& lookup) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    size_t dollar = text.find('$', pos);
    if (dollar == std::string_view::npos || dollar + 1 == text.size()) {
      out.append(text.substr(pos));
      break;
    }
    out.append(text.substr(pos, dollar - pos));
    char next = text[dollar + 1];
    if (next == '$') {
      out.push_back('$');
      pos = dollar + 2;
    } else if (next == '{') {
      size_t close = text.find('}', dollar + 2);
      if (close == std::string_view::npos) {
        return Status::InvalidArgument("unterminated \"${\" in \"" + std::string(text) +
                                       "\": close it with '}' or write \"$$\" for a literal '$'");
      }
      SILT_RETURN_IF_ERROR(
          ExpandReference(text.substr(dollar + 2, close - dollar - 2), lookup, &out));
      pos = close + 1;
    } else {
      out.push_back('$');
      pos = dollar + 1;
    }
  }
  return out;
}

}  // namespace silt::config
