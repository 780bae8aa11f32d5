#include "shared/log/field.h"

#include <charconv>

#include "shared/log/logfmt.h"

namespace silt::log {

void FieldValue::AppendTo(std::string* out) const {
  char buffer[32];
  std::to_chars_result result{buffer, std::errc()};
  switch (kind_) {
    case Kind::kString:
      AppendLogfmtValue(out, string_);
      return;
    case Kind::kStatus:
      AppendLogfmtValue(out, status_->ToString());
      return;
    case Kind::kBool:
      *out += bool_ ? "true" : "false";
      return;
    case Kind::kInt:
      result = std::to_chars(buffer, buffer + sizeof(buffer), int_);
      break;
    case Kind::kUint:
      result = std::to_chars(buffer, buffer + sizeof(buffer), uint_);
      break;
    case Kind::kDouble:
      result = std::to_chars(buffer, buffer + sizeof(buffer), double_);
      break;
  }
  out->append(buffer, result.ptr);
}

}  // namespace silt::log
