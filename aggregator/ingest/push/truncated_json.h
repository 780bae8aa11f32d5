// TruncatedJson: lets the JSON decoders keep what precedes the end of a body that was cut short
// (a client killed mid-upload, a lying Content-Length) or followed by trailing bytes.
// simdjson's on-demand parser refuses a document whose brackets do not balance, or whose root
// is followed by more tokens, before reading any of it. CloseTruncatedJson appends the missing
// closing brackets so the complete elements before the cut can be read, and says where the
// element that was cut begins, so the decoder can refuse that one; or cuts trailing bytes off.
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <string>

namespace silt::ingest {

struct ClosedJson {
  bool closed = false;  // brackets were appended
  size_t original_size = 0;
  // Offset of the bracket opened at `depth` (1 = the root) that the cut left open, or npos.
  size_t cut_element = std::string::npos;
  // When the root closed before the end and something other than whitespace followed: the
  // offset of the first trailing byte (`text` was cut there). npos otherwise.
  size_t trailing_at = std::string::npos;
};

// When `text` ends outside a string with brackets still open, appends the closers ("}" / "]")
// in order and returns closed = true with the offset of the open bracket at nesting `depth`.
// When the root array or object closes before the end and non-whitespace follows, truncates
// `text` after the root and sets trailing_at. Otherwise (balanced, cut inside a string, more
// closers than openers, a scalar root) leaves `text` alone.
ClosedJson CloseTruncatedJson(std::string* text, size_t depth);

}  // namespace silt::ingest
