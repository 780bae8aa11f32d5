// Go text/template builtins (not len index slice print printf println eq ne lt le gt ge call)
// and Loki's entry accessors and Sprig's defaults (__line__ __timestamp__ default empty coalesce
// ternary). `and`/`or` are evaluated lazily by the evaluator.
#include "aggregator/logql/format/go_format.h"
#include "aggregator/logql/format/template_functions.h"

namespace silt::logql::format {
namespace {

using Kind = TemplateValue::Kind;

Result<TemplateValue> Not(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, 1));
  return TemplateValue::Bool(!IsTrue(call.args[0]));
}

Result<TemplateValue> Len(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, 1));
  const TemplateValue& v = call.args[0];
  switch (v.kind()) {
    case Kind::kString:
      return TemplateValue::Int(static_cast<int64_t>(v.string_value().size()));
    case Kind::kMap:
      return TemplateValue::Int(static_cast<int64_t>(v.map_value().size()));
    case Kind::kList:
      return TemplateValue::Int(static_cast<int64_t>(v.list_value().size()));
    default:
      return Status::InvalidArgument("len of type " + GoTypeName(v));
  }
}

Result<int64_t> IndexArg(const TemplateValue& v, int64_t cap) {
  if (v.kind() != Kind::kInt) {
    return Status::InvalidArgument("cannot index slice/array with type " + GoTypeName(v));
  }
  if (v.int_value() < 0 || v.int_value() > cap) {
    return Status::InvalidArgument("index out of range: " + std::to_string(v.int_value()));
  }
  return v.int_value();
}

Result<TemplateValue> Index(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, SIZE_MAX));
  TemplateValue item = call.args[0];
  for (size_t i = 1; i < call.args.size(); ++i) {
    const TemplateValue& key = call.args[i];
    if (item.kind() == Kind::kMap) {
      if (key.kind() != Kind::kString) {
        return Status::InvalidArgument("value has type " + GoTypeName(key) + "; should be string");
      }
      auto it = item.map_value().find(key.string_value());
      bool strings = item.string_map();
      item = it != item.map_value().end() ? it->second
             : strings                    ? TemplateValue::String("")
                                          : TemplateValue();
    } else if (item.kind() == Kind::kList || item.kind() == Kind::kString) {
      bool list = item.kind() == Kind::kList;
      int64_t size =
          static_cast<int64_t>(list ? item.list_value().size() : item.string_value().size());
      SILT_ASSIGN_OR_RETURN(int64_t at, IndexArg(key, size - 1));
      item = list ? item.list_value()[static_cast<size_t>(at)]
                  : TemplateValue::Int(
                        static_cast<unsigned char>(item.string_value()[static_cast<size_t>(at)]));
    } else if (item.is_nil()) {
      return Status::InvalidArgument("index of untyped nil");
    } else {
      return Status::InvalidArgument("can't index item of type " + GoTypeName(item));
    }
  }
  return item;
}

Result<TemplateValue> Slice(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, 3));
  const TemplateValue& item = call.args[0];
  bool list = item.kind() == Kind::kList;
  if (!list && item.kind() != Kind::kString) {
    return Status::InvalidArgument("can't slice item of type " + GoTypeName(item));
  }
  int64_t size = static_cast<int64_t>(list ? item.list_value().size() : item.string_value().size());
  int64_t from = 0, to = size;
  if (call.args.size() > 1) {
    SILT_ASSIGN_OR_RETURN(from, IndexArg(call.args[1], size));
  }
  if (call.args.size() > 2) {
    SILT_ASSIGN_OR_RETURN(to, IndexArg(call.args[2], size));
  }
  if (from > to) {
    return Status::InvalidArgument("invalid slice index: " + std::to_string(from) + " > " +
                                   std::to_string(to));
  }
  if (!list) {
    return TemplateValue::String(
        item.string_value().substr(static_cast<size_t>(from), static_cast<size_t>(to - from)));
  }
  const TemplateList& l = item.list_value();
  return TemplateValue::List(TemplateList(l.begin() + from, l.begin() + to));
}

Result<TemplateValue> Print(const FunctionCall& call) {
  return TemplateValue::String(GoSprint(call.args));
}
Result<TemplateValue> Println(const FunctionCall& call) {
  return TemplateValue::String(GoSprintln(call.args));
}
Result<TemplateValue> Printf(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, SIZE_MAX));
  SILT_ASSIGN_OR_RETURN(std::string format, ArgString(call, 0));
  return TemplateValue::String(GoSprintf(format, call.args.subspan(1)));
}

// Go's basic kinds for comparison: ints, floats, strings, bools; anything else is not basic.
bool Basic(const TemplateValue& v) {
  return v.kind() == Kind::kInt || v.kind() == Kind::kFloat || v.kind() == Kind::kString ||
         v.kind() == Kind::kBool;
}

Result<bool> Equal(const TemplateValue& a, const TemplateValue& b) {
  if (a.kind() != b.kind()) {
    if (a.is_nil() || b.is_nil()) return false;
    return Status::InvalidArgument("incompatible types for comparison");
  }
  switch (a.kind()) {
    case Kind::kNil:
      return true;
    case Kind::kBool:
      return a.bool_value() == b.bool_value();
    case Kind::kInt:
      return a.int_value() == b.int_value();
    case Kind::kFloat:
      return a.float_value() == b.float_value();
    case Kind::kString:
      return a.string_value() == b.string_value();
    case Kind::kTime:
      return a.time_value() == b.time_value();
    default:
      return Status::InvalidArgument("non-comparable type " + GoTypeName(a));
  }
}

Result<TemplateValue> Eq(const FunctionCall& call) {
  if (call.args.size() < 2) return Status::InvalidArgument("missing argument for comparison");
  for (size_t i = 1; i < call.args.size(); ++i) {
    SILT_ASSIGN_OR_RETURN(bool same, Equal(call.args[0], call.args[i]));
    if (same) return TemplateValue::Bool(true);
  }
  return TemplateValue::Bool(false);
}

Result<TemplateValue> Ne(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 2, 2));
  SILT_ASSIGN_OR_RETURN(bool same, Equal(call.args[0], call.args[1]));
  return TemplateValue::Bool(!same);
}

Result<bool> Less(const TemplateValue& a, const TemplateValue& b) {
  if (!Basic(a) || !Basic(b) || a.kind() == Kind::kBool || b.kind() == Kind::kBool) {
    return Status::InvalidArgument("invalid type for comparison");
  }
  if (a.kind() != b.kind()) return Status::InvalidArgument("incompatible types for comparison");
  switch (a.kind()) {
    case Kind::kInt:
      return a.int_value() < b.int_value();
    case Kind::kFloat:
      return a.float_value() < b.float_value();
    default:
      return a.string_value() < b.string_value();
  }
}

template <int kOp>  // 0 lt, 1 le, 2 gt, 3 ge
Result<TemplateValue> Compare(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 2, 2));
  const TemplateValue& a = call.args[0];
  const TemplateValue& b = call.args[1];
  SILT_ASSIGN_OR_RETURN(bool less, Less(a, b));
  bool result = less;
  if (kOp != 0) {
    SILT_ASSIGN_OR_RETURN(bool same, Equal(a, b));
    result = kOp == 1 ? less || same : kOp == 2 ? !less && !same : !less;
  }
  return TemplateValue::Bool(result);
}

Result<TemplateValue> Call(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, SIZE_MAX));
  return Status::InvalidArgument("non-function of type " + GoTypeName(call.args[0]));
}

Result<TemplateValue> Line(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 0, 0));
  return TemplateValue::String(std::string(call.input->line));
}

Result<TemplateValue> Timestamp(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 0, 0));
  return TemplateValue::Time(time::GoTimeFromUnixNanos(call.input->timestamp_ns));
}

Result<TemplateValue> Default(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, SIZE_MAX));
  if (call.args.size() == 1 || !IsTrue(call.args[1])) return call.args[0];
  return call.args[1];
}

Result<TemplateValue> Empty(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, 1));
  return TemplateValue::Bool(!IsTrue(call.args[0]));
}

Result<TemplateValue> Coalesce(const FunctionCall& call) {
  for (const TemplateValue& v : call.args) {
    if (IsTrue(v)) return v;
  }
  return TemplateValue();
}

Result<TemplateValue> Ternary(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 3, 3));
  if (call.args[2].kind() != Kind::kBool) {
    return Status::InvalidArgument("argument 3 has type " + GoTypeName(call.args[2]) +
                                   ", want bool");
  }
  return call.args[2].bool_value() ? call.args[0] : call.args[1];
}

}  // namespace

void AddBuiltinFunctions(FunctionTable* table) {
  table->insert({
      {"not", Not},
      {"len", Len},
      {"index", Index},
      {"slice", Slice},
      {"print", Print},
      {"printf", Printf},
      {"println", Println},
      {"eq", Eq},
      {"ne", Ne},
      {"lt", Compare<0>},
      {"le", Compare<1>},
      {"gt", Compare<2>},
      {"ge", Compare<3>},
      {"call", Call},
      {"__line__", Line},
      {"__timestamp__", Timestamp},
      {"default", Default},
      {"empty", Empty},
      {"coalesce", Coalesce},
      {"ternary", Ternary},
  });
}

}  // namespace silt::logql::format
