// UTF-8 helpers for label values and regex matching: validity (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), Go-compatible repair of invalid bytes, and encoding.
// Stateless functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace silt::labels {

// The code point Go's decoder yields for each byte that does not start a valid sequence.
inline constexpr char32_t kReplacementChar = 0xFFFD;

// Returns the length (1-4) of the valid UTF-8 sequence at the start of `bytes`, or 0 when
// `bytes` is empty or does not start with a complete, valid sequence.
size_t ValidUtf8SequenceLength(std::string_view bytes);

// True when every byte of `bytes` belongs to a valid UTF-8 sequence.
bool IsValidUtf8(std::string_view bytes);

// Returns `bytes` with every byte that does not start a valid sequence replaced by U+FFFD, one
// replacement per byte, exactly as Go's range loop / utf8.DecodeRune see the text. Valid input is
// returned unchanged.
std::string ReplaceInvalidUtf8(std::string_view bytes);

// Appends the UTF-8 encoding of `code_point`. Precondition: a Unicode scalar value (at most
// U+10FFFF and not a surrogate); checked with an assert.
void AppendUtf8(char32_t code_point, std::string* out);

}  // namespace silt::labels
