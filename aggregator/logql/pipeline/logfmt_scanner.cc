// logfmt tokenizing (logfmt_scanner.h).
#include "aggregator/logql/pipeline/logfmt_scanner.h"

#include <cstdint>

namespace silt::logql::pipeline {
namespace {

bool IsSeparator(char c) { return static_cast<unsigned char>(c) <= ' '; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Appends the unescaped form of escape `c` (after '\'); false for an unknown escape.
bool AppendEscape(char c, std::string* out) {
  switch (c) {
    case '"': case '\\': case '/': out->push_back(c); return true;
    case 'b': out->push_back('\b'); return true;
    case 'f': out->push_back('\f'); return true;
    case 'n': out->push_back('\n'); return true;
    case 'r': out->push_back('\r'); return true;
    case 't': out->push_back('\t'); return true;
    default: return false;
  }
}

}  // namespace

LogfmtScanner::Outcome LogfmtScanner::Fail(size_t pos, std::string_view what) {
  error_ = what;
  error_pos_ = pos;
  SkipToSeparator();
  return Outcome::kError;
}

void LogfmtScanner::SkipToSeparator() {
  while (pos_ < line_.size() && !IsSeparator(line_[pos_])) ++pos_;
}

LogfmtScanner::Outcome LogfmtScanner::Next() {
  while (pos_ < line_.size() && IsSeparator(line_[pos_])) ++pos_;
  if (pos_ >= line_.size()) return Outcome::kEnd;
  size_t start = pos_;
  while (pos_ < line_.size() && !IsSeparator(line_[pos_]) && line_[pos_] != '=' &&
         line_[pos_] != '"') {
    ++pos_;
  }
  if (pos_ == start) return Fail(pos_, line_[pos_] == '=' ? "unexpected '='" : "unexpected '\"'");
  key_ = line_.substr(start, pos_ - start);
  value_ = {};
  standalone_ = false;
  if (pos_ >= line_.size() || IsSeparator(line_[pos_])) {
    standalone_ = true;
    return Outcome::kPair;
  }
  if (line_[pos_] == '"') return Fail(pos_, "unexpected '\"'");
  ++pos_;  // '='
  if (pos_ >= line_.size() || IsSeparator(line_[pos_])) return Outcome::kPair;
  if (line_[pos_] == '"') {
    size_t quote = pos_;
    if (!ScanQuoted()) return Fail(quote, error_);
    if (pos_ < line_.size() && !IsSeparator(line_[pos_])) {
      return Fail(pos_, "unexpected character after quoted value");
    }
    return Outcome::kPair;
  }
  start = pos_;
  while (pos_ < line_.size() && !IsSeparator(line_[pos_])) {
    if (line_[pos_] == '=' || line_[pos_] == '"') {
      return Fail(pos_, line_[pos_] == '=' ? "unexpected '='" : "unexpected '\"'");
    }
    ++pos_;
  }
  value_ = line_.substr(start, pos_ - start);
  return Outcome::kPair;
}

bool LogfmtScanner::ScanQuoted() {
  buffer_->clear();
  ++pos_;  // opening quote
  while (pos_ < line_.size()) {
    char c = line_[pos_++];
    if (c == '"') {
      value_ = *buffer_;
      return true;
    }
    if (c != '\\') {
      buffer_->push_back(c);
      continue;
    }
    if (pos_ >= line_.size()) break;
    char e = line_[pos_++];
    if (e == 'u') {
      uint32_t cp = 0;
      for (int k = 0; k < 4; ++k) {
        int h = pos_ < line_.size() ? HexValue(line_[pos_]) : -1;
        if (h < 0) {
          error_ = "invalid \\u escape in quoted value";
          return false;
        }
        cp = cp * 16 + static_cast<uint32_t>(h);
        ++pos_;
      }
      AppendUtf8(cp, buffer_);
    } else if (!AppendEscape(e, buffer_)) {
      error_ = "invalid escape in quoted value";
      return false;
    }
  }
  error_ = "unterminated quoted value";
  return false;
}

}  // namespace silt::logql::pipeline
