// LogfmtScanner: splits a logfmt line (`level=info msg="a b" verbose`) into key/value pairs as
// go-logfmt reads them: pairs are separated by bytes <= ' '; a key is a run of other bytes
// without '=' or '"'; a value is a bare run without '=' or '"', or a double-quoted string with
// JSON-style escapes (\" \\ \/ \b \f \n \r \t \uXXXX); a key without '=' is a standalone key.
// Next() reports a malformed pair with its 1-based byte position; the caller decides to skip it
// (the scanner resumes after the next separator) or to stop.
// Not thread-safe; one scanner per line. Views stay valid until the next Next().
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace silt::logql::pipeline {

class LogfmtScanner {
 public:
  enum class Outcome : unsigned char { kPair, kError, kEnd };

  // `line` must outlive the scanner; `unescape_buffer` holds unescaped quoted values.
  LogfmtScanner(std::string_view line, std::string* unescape_buffer)
      : line_(line), buffer_(unescape_buffer) {}

  // The next pair (key(), value(), standalone()), an error (error(), position()) or the end.
  Outcome Next();

  std::string_view key() const { return key_; }
  std::string_view value() const { return value_; }
  // True for a key without '=' (its value is empty).
  bool standalone() const { return standalone_; }
  // "unexpected '='", "unterminated quoted value", ...
  std::string_view error() const { return error_; }
  // 1-based byte position of the error.
  size_t position() const { return error_pos_ + 1; }

 private:
  Outcome Fail(size_t pos, std::string_view what);
  // Scans a quoted value starting at the opening quote; false on a malformed one.
  bool ScanQuoted();
  void SkipToSeparator();

  std::string_view line_;
  std::string* buffer_;
  size_t pos_ = 0;
  std::string_view key_;
  std::string_view value_;
  bool standalone_ = false;
  std::string_view error_;
  size_t error_pos_ = 0;
};

}  // namespace silt::logql::pipeline
