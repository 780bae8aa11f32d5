// TemplateValue (template_value.h).
#include "aggregator/logql/format/template_value.h"

#include "aggregator/logql/format/go_format.h"

namespace silt::logql::format {

TemplateValue TemplateValue::Map(TemplateMap v, bool string_values) {
  TemplateValue value(std::in_place_type<std::shared_ptr<const TemplateMap>>,
                      std::make_shared<const TemplateMap>(std::move(v)));
  value.string_map_ = string_values;
  return value;
}

TemplateValue TemplateValue::List(TemplateList v) {
  return TemplateValue(std::in_place_type<std::shared_ptr<const TemplateList>>,
                       std::make_shared<const TemplateList>(std::move(v)));
}

TemplateValue TemplateValue::Constant(std::string_view text, double value) {
  // An int when the text is an integer that fits int64 (parsed exactly: a double loses
  // precision past 2^53), else a float64, as Go types untyped constants for interface{}.
  bool negative = !text.empty() && text[0] == '-';
  std::string_view digits = text.substr(!text.empty() && (text[0] == '-' || text[0] == '+'));
  bool is_int = !digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos;
  unsigned __int128 n = 0;
  for (char c : digits) {
    if (!is_int) break;
    n = n * 10 + static_cast<unsigned>(c - '0');
    if (n > static_cast<unsigned __int128>(INT64_MAX) + 1) is_int = false;
  }
  if (is_int && !negative && n > INT64_MAX) is_int = false;
  TemplateValue v;
  if (is_int) {
    v.data_ =
        negative ? static_cast<int64_t>(0 - static_cast<uint64_t>(n)) : static_cast<int64_t>(n);
  } else {
    v.data_ = value;
  }
  v.constant_ = true;
  return v;
}

std::string GoTypeName(const TemplateValue& value) {
  switch (value.kind()) {
    case TemplateValue::Kind::kNil:
      return "nil";
    case TemplateValue::Kind::kBool:
      return "bool";
    case TemplateValue::Kind::kInt:
      return "int";
    case TemplateValue::Kind::kFloat:
      return "float64";
    case TemplateValue::Kind::kString:
      return "string";
    case TemplateValue::Kind::kTime:
      return "time.Time";
    case TemplateValue::Kind::kMap:
      return value.string_map() ? "map[string]string" : "map[string]interface {}";
    case TemplateValue::Kind::kList:
      return "[]interface {}";
  }
  return "nil";
}

bool IsTrue(const TemplateValue& value) {
  switch (value.kind()) {
    case TemplateValue::Kind::kNil:
      return false;
    case TemplateValue::Kind::kBool:
      return value.bool_value();
    case TemplateValue::Kind::kInt:
      return value.int_value() != 0;
    case TemplateValue::Kind::kFloat:
      return value.float_value() != 0;
    case TemplateValue::Kind::kString:
      return !value.string_value().empty();
    case TemplateValue::Kind::kTime:
      return true;
    case TemplateValue::Kind::kMap:
      return !value.map_value().empty();
    case TemplateValue::Kind::kList:
      return !value.list_value().empty();
  }
  return false;
}

void AppendGoValue(const TemplateValue& value, std::string* out) {
  switch (value.kind()) {
    case TemplateValue::Kind::kNil:
      out->append("<nil>");
      return;
    case TemplateValue::Kind::kBool:
      out->append(value.bool_value() ? "true" : "false");
      return;
    case TemplateValue::Kind::kInt:
      out->append(std::to_string(value.int_value()));
      return;
    case TemplateValue::Kind::kFloat:
      out->append(GoFloatText(value.float_value()));
      return;
    case TemplateValue::Kind::kString:
      out->append(value.string_value());
      return;
    case TemplateValue::Kind::kTime:
      out->append(time::GoTimeString(value.time_value()));
      return;
    case TemplateValue::Kind::kMap: {
      out->append("map[");
      bool first = true;
      for (const auto& [key, item] : value.map_value()) {
        if (!first) out->push_back(' ');
        first = false;
        out->append(key);
        out->push_back(':');
        AppendGoValue(item, out);
      }
      out->push_back(']');
      return;
    }
    case TemplateValue::Kind::kList: {
      out->push_back('[');
      for (size_t i = 0; i < value.list_value().size(); ++i) {
        if (i > 0) out->push_back(' ');
        AppendGoValue(value.list_value()[i], out);
      }
      out->push_back(']');
      return;
    }
  }
}

std::string GoValueText(const TemplateValue& value) {
  std::string out;
  AppendGoValue(value, &out);
  return out;
}

}  // namespace silt::logql::format
