// Go text/template parser for line_format and label_format (template.h).
#include "aggregator/logql/template.h"

#include <array>
#include <cstdlib>
#include <string_view>
#include <utility>

#include "shared/labels/string_literal.h"

namespace silt::logql {
namespace {

constexpr int kMaxTemplateDepth = 100;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c); }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Parses one template. Actions are parsed from the source in place; positions are byte offsets
// turned into line:column only for error messages.
class TemplateParser {
 public:
  explicit TemplateParser(std::string_view source) : src_(source) {}

  Result<std::vector<TemplateNode>> Run() {
    std::vector<TemplateNode> nodes;
    std::string_view stop;
    SILT_RETURN_IF_ERROR(ParseList(&nodes, &stop));
    if (!stop.empty()) return Error(stop_pos_, "unexpected {{" + std::string(stop) + "}}");
    return nodes;
  }

 private:
  Status Error(size_t at, std::string message) const {
    int line = 1, column = 1;
    for (size_t i = 0; i < at && i < src_.size(); ++i) {
      if (src_[i] == '\n') {
        ++line;
        column = 1;
      } else if ((static_cast<unsigned char>(src_[i]) & 0xC0) != 0x80) {
        ++column;
      }
    }
    return Status::InvalidArgument("line " + std::to_string(line) + ", col " +
                                   std::to_string(column) + ": " + message);
  }

  char At(size_t i) const { return i < src_.size() ? src_[i] : '\0'; }

  // Parses nodes until the end of input or an `else`/`end` action, whose keyword is put in
  // *stop ("else", "else if" or "end"; empty at the end of input).
  Status ParseList(std::vector<TemplateNode>* nodes, std::string_view* stop) {
    if (++depth_ > kMaxTemplateDepth) return Error(pos_, "if blocks nested too deeply");
    *stop = {};
    while (pos_ < src_.size()) {
      size_t open = src_.find("{{", pos_);
      std::string text(src_.substr(pos_, open == std::string_view::npos ? open : open - pos_));
      if (open == std::string_view::npos) {
        AddText(nodes, std::move(text));
        pos_ = src_.size();
        break;
      }
      bool trim_left = At(open + 2) == '-' && IsSpace(At(open + 3));
      if (trim_left) {
        while (!text.empty() && IsSpace(text.back())) text.pop_back();
      }
      AddText(nodes, std::move(text));
      stop_pos_ = open;
      pos_ = open + (trim_left ? 3 : 2);
      bool done = false;
      SILT_RETURN_IF_ERROR(ParseAction(nodes, stop, &done));
      if (done) break;
    }
    --depth_;
    return Status::Ok();
  }

  void AddText(std::vector<TemplateNode>* nodes, std::string text) {
    if (trim_next_) {
      size_t i = 0;
      while (i < text.size() && IsSpace(text[i])) ++i;
      text.erase(0, i);
      trim_next_ = false;
    }
    if (text.empty()) return;
    TemplateNode node;
    node.kind = TemplateNode::Kind::kText;
    node.text = std::move(text);
    nodes->push_back(std::move(node));
  }

  // Skips spaces; returns true when the action ends here (and consumes "}}" or " -}}").
  bool AtActionEnd() {
    size_t i = pos_;
    while (IsSpace(At(i))) ++i;
    if (At(i) == '-' && At(i + 1) == '}' && At(i + 2) == '}' && i > pos_) {
      pos_ = i + 3;
      trim_next_ = true;
      return true;
    }
    if (At(i) == '}' && At(i + 1) == '}') {
      pos_ = i + 2;
      return true;
    }
    return false;
  }

  void SkipSpaces() {
    while (IsSpace(At(pos_))) ++pos_;
  }

  std::string_view PeekWord() const {
    size_t i = pos_;
    while (IsIdentChar(At(i))) ++i;
    return src_.substr(pos_, i - pos_);
  }

  Status ParseAction(std::vector<TemplateNode>* nodes, std::string_view* stop, bool* done) {
    SkipSpaces();
    if (src_.substr(pos_).starts_with("/*")) return SkipComment();
    std::string_view word = PeekWord();
    if (word == "if") {
      pos_ += 2;
      return ParseIf(nodes);
    }
    if (word == "else" || word == "end") {
      pos_ += word.size();
      *done = true;
      if (word == "else") {
        SkipSpaces();
        if (PeekWord() == "if") {
          pos_ += 2;
          *stop = "else if";
          return Status::Ok();
        }
      }
      *stop = word == "else" ? "else" : "end";
      if (!AtActionEnd()) return Error(pos_, "unexpected text after {{" + std::string(word));
      return Status::Ok();
    }
    if (word == "range" || word == "with" || word == "define" || word == "template" ||
        word == "block" || word == "break" || word == "continue") {
      return Error(pos_, "{{" + std::string(word) + "}} is not supported in LogQL templates");
    }
    TemplateNode node;
    node.kind = TemplateNode::Kind::kAction;
    SILT_ASSIGN_OR_RETURN(node.pipeline, ParsePipeline(/*in_parens=*/false));
    nodes->push_back(std::move(node));
    return Status::Ok();
  }

  Status SkipComment() {
    size_t close = src_.find("*/", pos_ + 2);
    if (close == std::string_view::npos) return Error(pos_, "unclosed comment");
    pos_ = close + 2;
    if (!AtActionEnd()) return Error(pos_, "comment ends without closing delimiter");
    return Status::Ok();
  }

  // After `{{ if`: the condition, the then-branch, an optional else-branch, and {{ end }}.
  Status ParseIf(std::vector<TemplateNode>* nodes) {
    size_t if_pos = pos_;
    TemplateNode node;
    node.kind = TemplateNode::Kind::kIf;
    SILT_ASSIGN_OR_RETURN(node.pipeline, ParsePipeline(false));
    std::string_view stop;
    SILT_RETURN_IF_ERROR(ParseList(&node.then_nodes, &stop));
    if (stop == "else if") {
      SILT_RETURN_IF_ERROR(ParseIf(&node.else_nodes));
    } else if (stop == "else") {
      SILT_RETURN_IF_ERROR(ParseList(&node.else_nodes, &stop));
      if (stop != "end") return Error(stop.empty() ? src_.size() : stop_pos_, "expected {{end}}");
    } else if (stop != "end") {
      return Error(if_pos, "unexpected EOF: {{if}} without {{end}}");
    }
    nodes->push_back(std::move(node));
    return Status::Ok();
  }

  // A pipeline: commands separated by '|', ending at "}}" (or ')' inside parentheses).
  Result<TemplatePipeline> ParsePipeline(bool in_parens) {
    TemplatePipeline pipeline;
    TemplateCommand command;
    while (true) {
      if (!in_parens && AtActionEnd()) break;
      SkipSpaces();
      if (pos_ >= src_.size()) return Error(pos_, "unclosed action");
      char c = src_[pos_];
      if (in_parens && c == ')') {
        ++pos_;
        break;
      }
      if (c == '|') {
        if (command.operands.empty()) return Error(pos_, "missing command before '|'");
        pipeline.commands.push_back(std::move(command));
        command = {};
        ++pos_;
        continue;
      }
      SILT_ASSIGN_OR_RETURN(TemplateOperand operand, ParseOperand());
      command.operands.push_back(std::move(operand));
    }
    if (command.operands.empty()) return Error(pos_, "missing value for command");
    pipeline.commands.push_back(std::move(command));
    return pipeline;
  }

  Result<TemplateOperand> ParseOperand() {
    TemplateOperand op;
    size_t start = pos_;
    char c = src_[pos_];
    if (c == '.') {
      SILT_RETURN_IF_ERROR(ParseFields(&op.fields));
      op.kind = op.fields.empty() ? TemplateOperand::Kind::kDot : TemplateOperand::Kind::kField;
    } else if (c == '"' || c == '`') {
      size_t p = pos_;
      Result<std::string> value = labels::ReadStringLiteral(src_, &p);
      if (!value.ok()) return Error(pos_, "bad string: " + std::string(value.status().message()));
      op.kind = TemplateOperand::Kind::kString;
      op.text = std::move(value).value();
      pos_ = p;
    } else if (IsDigit(c) || ((c == '-' || c == '+' || c == '.') && IsDigit(At(pos_ + 1)))) {
      SILT_RETURN_IF_ERROR(ParseNumber(&op));
    } else if (c == '(') {
      ++pos_;
      if (++depth_ > kMaxTemplateDepth) return Error(start, "parentheses nested too deeply");
      SILT_ASSIGN_OR_RETURN(TemplatePipeline inner, ParsePipeline(true));
      --depth_;
      op.kind = TemplateOperand::Kind::kPipeline;
      op.pipeline = Box<TemplatePipeline>(std::move(inner));
      if (At(pos_) == '.') SILT_RETURN_IF_ERROR(ParseFields(&op.fields));
    } else if (IsIdentStart(c)) {
      SILT_RETURN_IF_ERROR(ParseWord(&op));
    } else if (c == '$') {
      return Error(pos_, "template variables ($) are not supported in LogQL templates");
    } else {
      return Error(pos_, std::string("unexpected \"") + c + "\" in command");
    }
    SetPosition(start, &op);
    if (pos_ < src_.size() && !IsSpace(src_[pos_]) && src_[pos_] != '|' && src_[pos_] != ')' &&
        src_[pos_] != '}' && src_[pos_] != '-') {
      return Error(pos_, std::string("unexpected \"") + src_[pos_] + "\" in operand");
    }
    return op;
  }

  void SetPosition(size_t at, TemplateOperand* op) const {
    for (size_t i = 0; i < at; ++i) {
      if (src_[i] == '\n') {
        ++op->line;
        op->column = 1;
      } else if ((static_cast<unsigned char>(src_[i]) & 0xC0) != 0x80) {
        ++op->column;
      }
    }
  }

  // `.` alone (no fields) or `.a.b`.
  Status ParseFields(std::vector<std::string>* fields) {
    ++pos_;
    if (!IsIdentStart(At(pos_))) return Status::Ok();
    while (true) {
      size_t start = pos_;
      while (IsIdentChar(At(pos_))) ++pos_;
      fields->emplace_back(src_.substr(start, pos_ - start));
      if (At(pos_) != '.') return Status::Ok();
      ++pos_;
      if (!IsIdentStart(At(pos_))) return Error(pos_, "bad field name after '.'");
    }
  }

  Status ParseNumber(TemplateOperand* op) {
    size_t start = pos_;
    if (At(pos_) == '-' || At(pos_) == '+') ++pos_;
    while (IsDigit(At(pos_)) || At(pos_) == '.' || At(pos_) == 'e' || At(pos_) == 'E' ||
           ((At(pos_) == '-' || At(pos_) == '+') && (At(pos_ - 1) == 'e' || At(pos_ - 1) == 'E'))) {
      ++pos_;
    }
    op->kind = TemplateOperand::Kind::kNumber;
    op->text = std::string(src_.substr(start, pos_ - start));
    char* end = nullptr;
    op->number = std::strtod(op->text.c_str(), &end);
    if (end != op->text.c_str() + op->text.size()) {
      return Error(start, "bad number syntax: \"" + op->text + "\"");
    }
    return Status::Ok();
  }

  Status ParseWord(TemplateOperand* op) {
    std::string_view word = PeekWord();
    size_t start = pos_;
    pos_ += word.size();
    if (word == "true" || word == "false") {
      op->kind = TemplateOperand::Kind::kBool;
      op->boolean = word == "true";
    } else if (word == "nil") {
      op->kind = TemplateOperand::Kind::kNil;
    } else if (IsTemplateFunction(word)) {
      op->kind = TemplateOperand::Kind::kFunction;
      op->text = std::string(word);
    } else {
      return Error(start, "function \"" + std::string(word) + "\" not defined");
    }
    return Status::Ok();
  }

  std::string_view src_;
  size_t pos_ = 0;
  size_t stop_pos_ = 0;
  bool trim_next_ = false;
  int depth_ = 0;
};

}  // namespace

Result<Template> Template::Parse(std::string source) {
  SILT_ASSIGN_OR_RETURN(std::vector<TemplateNode> nodes, TemplateParser(source).Run());
  return Template(std::move(source), std::move(nodes));
}

bool IsTemplateFunction(std::string_view name) {
  static constexpr std::array kFunctions = std::to_array<std::string_view>({
      // Go text/template builtins.
      "and", "or", "not", "len", "index", "slice", "print", "printf", "println", "eq", "ne",
      "lt", "le", "gt", "ge", "html", "js", "urlquery", "call",
      // Loki's own and the Sprig functions Loki exposes.
      "__line__", "__timestamp__", "ToLower", "ToUpper", "Replace", "Trim", "TrimLeft",
      "TrimRight", "TrimPrefix", "TrimSuffix", "TrimSpace", "lower", "upper", "title", "trunc",
      "substr", "contains", "hasPrefix", "hasSuffix", "indent", "nindent", "replace", "repeat",
      "trim", "trimAll", "trimSuffix", "trimPrefix", "int", "float64", "add", "sub", "mul",
      "div", "mod", "addf", "subf", "mulf", "divf", "max", "min", "maxf", "minf", "ceil",
      "floor", "round", "fromJson", "date", "toDate", "toDateInZone", "now", "unixEpoch",
      "unixEpochMillis", "unixEpochNanos", "unixToTime", "alignLeft", "alignRight",
      "regexReplaceAll", "regexReplaceAllLiteral", "count", "urlencode", "urldecode", "b64enc",
      "b64dec", "bytes", "duration", "duration_seconds", "default", "sha256", "toJson",
      "squote", "quote", "cat", "join", "split", "empty", "coalesce", "ternary",
  });
  for (std::string_view function : kFunctions) {
    if (function == name) return true;
  }
  return false;
}

}  // namespace silt::logql
