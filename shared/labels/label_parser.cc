#include "shared/labels/label_parser.h"

#include <cstdio>
#include <string>
#include <unordered_set>

#include "shared/labels/string_literal.h"

namespace silt::labels {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

// One pass over the text; `pos_` is the byte offset of the next unread character.
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<LabelSet> Parse() {
    SkipSpace();
    if (!Consume('{')) return Error("expected '{' at the start of a label set, found " + Found());
    SkipSpace();
    if (!Consume('}')) SILT_RETURN_IF_ERROR(ParseLabels());
    SkipSpace();
    if (pos_ != text_.size()) return Error("unexpected " + Found() + " after the closing '}'");
    return builder_.Build();
  }

 private:
  // Parses `name=value` pairs up to and including the closing '}'.
  Status ParseLabels() {
    while (true) {
      SILT_RETURN_IF_ERROR(ParseLabel());
      SkipSpace();
      if (Consume('}')) return Status::Ok();
      if (!Consume(',')) {
        return Error("expected ',' or '}' after the value of label " + Quote(last_name_) +
                     ", found " + Found());
      }
      SkipSpace();
      if (Consume('}')) return Status::Ok();  // trailing comma
    }
  }

  Status ParseLabel() {
    const size_t name_pos = pos_;
    SILT_ASSIGN_OR_RETURN(std::string name, ParseName());
    SkipSpace();
    if (!Consume('=')) {
      return Error("expected '=' after label name " + Quote(name) + ", found " + Found());
    }
    SkipSpace();
    if (pos_ >= text_.size() || (text_[pos_] != '"' && text_[pos_] != '`')) {
      std::string written;
      AppendLabelName(name, &written);
      return Error("expected a quoted label value after " + written + "=, found " + Found());
    }
    SILT_ASSIGN_OR_RETURN(std::string value, ReadStringLiteral(text_, &pos_));
    if (!seen_.insert(name).second) {
      return ErrorAt(name_pos, "duplicate label name " + Quote(name) +
                                   "; each name may appear only once");
    }
    builder_.Set(name, value);
    last_name_ = std::move(name);
    return Status::Ok();
  }

  // A bare name [a-zA-Z_][a-zA-Z0-9_]* or a quoted one.
  Result<std::string> ParseName() {
    if (pos_ < text_.size() && (text_[pos_] == '"' || text_[pos_] == '`')) {
      return ReadStringLiteral(text_, &pos_);
    }
    if (pos_ >= text_.size() || !IsNameStart(text_[pos_])) {
      return Error("expected a label name ([a-zA-Z_][a-zA-Z0-9_]* or quoted) or '}', found " +
                   Found());
    }
    const size_t start = pos_;
    while (pos_ < text_.size() && IsNameChar(text_[pos_])) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

  void SkipSpace() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
  }

  bool Consume(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  // Describes the character at pos_ for an error message.
  std::string Found() const {
    if (pos_ >= text_.size()) return "the end of the text";
    const auto c = static_cast<unsigned char>(text_[pos_]);
    if (c >= 0x20 && c < 0x7F) return std::string("'") + static_cast<char>(c) + "'";
    char hex[8];
    std::snprintf(hex, sizeof(hex), "0x%02X", c);
    return std::string("byte ") + hex;
  }

  Status Error(const std::string& what) const { return ErrorAt(pos_, what); }
  static Status ErrorAt(size_t pos, const std::string& what) {
    return Status::InvalidArgument("column " + std::to_string(pos + 1) + ": " + what);
  }

  std::string_view text_;
  size_t pos_ = 0;
  LabelSetBuilder builder_;
  std::unordered_set<std::string> seen_;
  std::string last_name_;
};

}  // namespace

Result<LabelSet> ParseLabels(std::string_view text) { return Parser(text).Parse(); }

}  // namespace silt::labels
