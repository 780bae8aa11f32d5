// Go text/template evaluation of a parsed Template (template_eval.h): text, actions, if/else,
// pipelines with '|', fields of the label map and of fromJson values, literals, and calls into
// the function registry (template_functions.h). `and`/`or` short-circuit as in Go 1.18+.
#include "aggregator/logql/format/template_eval.h"

#include <re2/re2.h>

#include <unordered_map>

#include "aggregator/logql/format/template_functions.h"
#include "aggregator/logql/format/template_regex.h"
#include "aggregator/logql/format/template_value.h"

namespace silt::logql {
namespace {

using format::FunctionCall;
using format::TemplateFunction;
using format::TemplateValue;
using Kind = TemplateValue::Kind;
using OpKind = TemplateOperand::Kind;

std::string Where(const TemplateOperand& op) {
  return "line " + std::to_string(op.line) + ", col " + std::to_string(op.column) + ": ";
}

class CompiledTemplateImpl;

// One rendering: the entry, the label map built on first use of `.`, and the template's
// precompiled parts.
class Renderer {
 public:
  Renderer(const CompiledTemplateImpl& tmpl, const TemplateInput& input)
      : tmpl_(tmpl), input_(input) {}

  Status RenderNodes(const std::vector<TemplateNode>& nodes, std::string* out);

 private:
  Result<TemplateValue> EvalPipeline(const TemplatePipeline& pipeline);
  Result<TemplateValue> EvalCommand(const TemplateCommand& cmd, const TemplateValue* final);
  Result<TemplateValue> EvalLogical(const TemplateCommand& cmd, const TemplateValue* final,
                                    bool is_and);
  Result<TemplateValue> EvalArg(const TemplateOperand& op);
  Result<TemplateValue> Call(const TemplateCommand& cmd, std::vector<TemplateValue> args);
  Result<TemplateValue> Fields(TemplateValue base, const TemplateOperand& op, size_t first);
  TemplateValue Labels();

  const CompiledTemplateImpl& tmpl_;
  const TemplateInput& input_;
  std::optional<TemplateValue> labels_;
};

class CompiledTemplateImpl final : public CompiledTemplate {
 public:
  explicit CompiledTemplateImpl(const Template& tmpl) : tmpl_(tmpl) {}

  // Resolves every function, compiles literal regex arguments and loads literal zones.
  Status Prepare() { return PrepareNodes(tmpl_.nodes()); }

  Status Render(const TemplateInput& input, std::string* out) const override {
    out->clear();
    Renderer renderer(*this, input);
    return renderer.RenderNodes(tmpl_.nodes(), out);
  }

  TemplateFunction Function(const TemplateCommand& cmd) const {
    auto it = functions_.find(&cmd);
    return it == functions_.end() ? nullptr : it->second;
  }
  const re2::RE2* Regex(const TemplateCommand& cmd) const {
    auto it = regexes_.find(&cmd);
    return it == regexes_.end() ? nullptr : it->second.get();
  }
  const time::GoZone* Zone(const TemplateCommand& cmd) const {
    auto it = zones_.find(&cmd);
    return it == zones_.end() ? nullptr : &it->second;
  }

 private:
  Status PrepareNodes(const std::vector<TemplateNode>& nodes) {
    for (const TemplateNode& node : nodes) {
      if (node.pipeline) SILT_RETURN_IF_ERROR(PreparePipeline(*node.pipeline));
      SILT_RETURN_IF_ERROR(PrepareNodes(node.then_nodes));
      SILT_RETURN_IF_ERROR(PrepareNodes(node.else_nodes));
    }
    return Status::Ok();
  }

  Status PreparePipeline(const TemplatePipeline& pipeline) {
    for (const TemplateCommand& cmd : pipeline.commands) {
      for (const TemplateOperand& op : cmd.operands) {
        if (op.kind == OpKind::kPipeline) SILT_RETURN_IF_ERROR(PreparePipeline(**op.pipeline));
        if (op.kind != OpKind::kFunction || op.text == "and" || op.text == "or") continue;
        TemplateFunction fn = format::FindTemplateFunction(op.text);
        if (fn == nullptr) {
          // The parser accepts only known names, so this is a registry out of step with it.
          return Status::InvalidArgument(Where(op) + "function \"" + op.text +
                                         "\" is known to the template parser but missing from " +
                                         "the function registry (a Silt bug: please report it)");
        }
        if (&op == &cmd.operands[0]) functions_[&cmd] = fn;
      }
      const TemplateOperand& head = cmd.operands[0];
      if (head.kind == OpKind::kFunction && format::TakesRegexFirst(head.text) &&
          cmd.operands.size() > 1 && cmd.operands[1].kind == OpKind::kString) {
        auto re = format::CompileTemplateRegex(cmd.operands[1].text);
        if (!re.ok())
          return Status::InvalidArgument(Where(cmd.operands[1]) +
                                         std::string(re.status().message()));
        regexes_[&cmd] = std::move(re).value();
      }
      // toDateInZone with a literal zone: read the tz database once, not per entry.
      if (head.kind == OpKind::kFunction && head.text == "toDateInZone" &&
          cmd.operands.size() > 2 && cmd.operands[2].kind == OpKind::kString) {
        Result<time::GoZone> zone = time::GoZone::Load(cmd.operands[2].text);
        zones_[&cmd] = zone.ok() ? std::move(zone).value() : time::GoZone();
      }
    }
    return Status::Ok();
  }

  Template tmpl_;
  std::unordered_map<const TemplateCommand*, TemplateFunction> functions_;
  std::unordered_map<const TemplateCommand*, std::unique_ptr<re2::RE2>> regexes_;
  std::unordered_map<const TemplateCommand*, time::GoZone> zones_;
};

Status Renderer::RenderNodes(const std::vector<TemplateNode>& nodes, std::string* out) {
  for (const TemplateNode& node : nodes) {
    switch (node.kind) {
      case TemplateNode::Kind::kText:
        out->append(node.text);
        break;
      case TemplateNode::Kind::kAction: {
        SILT_ASSIGN_OR_RETURN(TemplateValue v, EvalPipeline(*node.pipeline));
        if (v.is_nil()) {
          out->append("<no value>");
        } else {
          format::AppendGoValue(v, out);
        }
        break;
      }
      case TemplateNode::Kind::kIf: {
        SILT_ASSIGN_OR_RETURN(TemplateValue v, EvalPipeline(*node.pipeline));
        SILT_RETURN_IF_ERROR(
            RenderNodes(format::IsTrue(v) ? node.then_nodes : node.else_nodes, out));
        break;
      }
    }
  }
  return Status::Ok();
}

Result<TemplateValue> Renderer::EvalPipeline(const TemplatePipeline& pipeline) {
  std::optional<TemplateValue> value;
  for (const TemplateCommand& cmd : pipeline.commands) {
    SILT_ASSIGN_OR_RETURN(value, EvalCommand(cmd, value ? &*value : nullptr));
  }
  return value ? *value : TemplateValue();
}

Result<TemplateValue> Renderer::EvalCommand(const TemplateCommand& cmd,
                                            const TemplateValue* final) {
  const TemplateOperand& head = cmd.operands[0];
  if (head.kind == OpKind::kFunction) {
    if (head.text == "and" || head.text == "or") return EvalLogical(cmd, final, head.text == "and");
    std::vector<TemplateValue> args;
    for (size_t i = 1; i < cmd.operands.size(); ++i) {
      SILT_ASSIGN_OR_RETURN(TemplateValue arg, EvalArg(cmd.operands[i]));
      args.push_back(std::move(arg));
    }
    if (final != nullptr) args.push_back(*final);
    return Call(cmd, std::move(args));
  }
  if (head.kind == OpKind::kNil)
    return Status::InvalidArgument(Where(head) + "nil is not a command");
  if (cmd.operands.size() > 1 || final != nullptr) {
    return Status::InvalidArgument(Where(head) + "can't give argument to non-function");
  }
  return EvalArg(head);
}

// Go 1.18+: `and` returns the first false argument or the last; `or` the first true or the last;
// arguments after the deciding one are not evaluated.
Result<TemplateValue> Renderer::EvalLogical(const TemplateCommand& cmd, const TemplateValue* final,
                                            bool is_and) {
  size_t count = cmd.operands.size() - 1 + (final != nullptr);
  if (count == 0) {
    return Status::InvalidArgument(Where(cmd.operands[0]) + "wrong number of args for " +
                                   cmd.operands[0].text + ": want at least 1 got 0");
  }
  TemplateValue v;
  for (size_t i = 1; i <= count; ++i) {
    if (i < cmd.operands.size()) {
      SILT_ASSIGN_OR_RETURN(v, EvalArg(cmd.operands[i]));
    } else {
      v = *final;
    }
    if (format::IsTrue(v) != is_and) return v;
  }
  return v;
}

Result<TemplateValue> Renderer::Call(const TemplateCommand& cmd, std::vector<TemplateValue> args) {
  const TemplateOperand& head = cmd.operands[0];
  TemplateFunction fn = tmpl_.Function(cmd);
  if (fn == nullptr) fn = format::FindTemplateFunction(head.text);  // a bare argument
  FunctionCall call{head.text, args, &input_, tmpl_.Regex(cmd), tmpl_.Zone(cmd)};
  Result<TemplateValue> result = fn(call);
  if (!result.ok()) {
    return Status::InvalidArgument(Where(head) + "error calling " + head.text + ": " +
                                   std::string(result.status().message()));
  }
  return result;
}

Result<TemplateValue> Renderer::EvalArg(const TemplateOperand& op) {
  switch (op.kind) {
    case OpKind::kField: {
      std::optional<std::string_view> value =
          input_.label ? input_.label(op.fields[0]) : std::nullopt;
      return Fields(TemplateValue::String(std::string(value.value_or(""))), op, 1);
    }
    case OpKind::kDot:
      return Labels();
    case OpKind::kString:
      return TemplateValue::String(op.text);
    case OpKind::kNumber:
      return TemplateValue::Constant(op.text, op.number);
    case OpKind::kBool:
      return TemplateValue::Bool(op.boolean);
    case OpKind::kNil:
      return TemplateValue();
    case OpKind::kFunction: {
      TemplateCommand bare;
      bare.operands.push_back(op);
      if (op.text == "and" || op.text == "or") return EvalLogical(bare, nullptr, op.text == "and");
      return Call(bare, {});
    }
    case OpKind::kPipeline: {
      SILT_ASSIGN_OR_RETURN(TemplateValue v, EvalPipeline(**op.pipeline));
      return Fields(std::move(v), op, 0);
    }
  }
  return TemplateValue();
}

// Applies op.fields[first..] to `base`: map lookups; a missing key is "" in a label map and nil
// in a JSON object.
Result<TemplateValue> Renderer::Fields(TemplateValue base, const TemplateOperand& op,
                                       size_t first) {
  for (size_t i = first; i < op.fields.size(); ++i) {
    const std::string& name = op.fields[i];
    if (base.kind() == Kind::kMap) {
      auto it = base.map_value().find(name);
      bool strings = base.string_map();
      base = it != base.map_value().end() ? it->second
             : strings                    ? TemplateValue::String("")
                                          : TemplateValue();
    } else if (base.is_nil()) {
      return Status::InvalidArgument(Where(op) + "nil pointer evaluating interface {}." + name);
    } else {
      return Status::InvalidArgument(Where(op) + "can't evaluate field " + name + " in type " +
                                     format::GoTypeName(base));
    }
  }
  return base;
}

TemplateValue Renderer::Labels() {
  if (!labels_) {
    format::TemplateMap map;
    if (input_.each_label) {
      input_.each_label([&map](std::string_view name, std::string_view value) {
        map.insert_or_assign(std::string(name), TemplateValue::String(std::string(value)));
      });
    }
    labels_ = TemplateValue::Map(std::move(map), /*string_values=*/true);
  }
  return *labels_;
}

}  // namespace

Result<std::unique_ptr<CompiledTemplate>> CompiledTemplate::Compile(const Template& tmpl) {
  auto compiled = std::make_unique<CompiledTemplateImpl>(tmpl);
  SILT_RETURN_IF_ERROR(compiled->Prepare());
  return std::unique_ptr<CompiledTemplate>(std::move(compiled));
}

}  // namespace silt::logql
