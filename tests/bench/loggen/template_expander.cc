#include "tests/bench/loggen/template_expander.h"

#include <cassert>

#include "tests/bench/loggen/distributions.h"
#include "tests/bench/loggen/vocabulary.h"

namespace silt::loggen {
namespace {

constexpr uint64_t kClientPool = 50'000;

// The placeholders, keyed by name (dispatching on the first letter keeps this off the profile).
enum class Placeholder { kUnknown, kId, kN, kMs, kPct, kWord, kUser, kHex, kUuid, kIp, kPort };

Placeholder Classify(std::string_view name) {
  if (name.empty()) return Placeholder::kUnknown;
  switch (name[0]) {
    case 'i':
      return name == "id"   ? Placeholder::kId
             : name == "ip" ? Placeholder::kIp
                            : Placeholder::kUnknown;
    case 'n':
      return name == "n" ? Placeholder::kN : Placeholder::kUnknown;
    case 'm':
      return name == "ms" ? Placeholder::kMs : Placeholder::kUnknown;
    case 'p':
      return name == "pct"    ? Placeholder::kPct
             : name == "port" ? Placeholder::kPort
                              : Placeholder::kUnknown;
    case 'w':
      return name == "word" ? Placeholder::kWord : Placeholder::kUnknown;
    case 'u':
      return name == "user"   ? Placeholder::kUser
             : name == "uuid" ? Placeholder::kUuid
                              : Placeholder::kUnknown;
    case 'h':
      return name == "hex" ? Placeholder::kHex : Placeholder::kUnknown;
    default:
      return Placeholder::kUnknown;
  }
}

// Appends the value of placeholder `name` (without braces). Returns false for an unknown name.
bool AppendPlaceholder(Rng& rng, std::string_view name, TextBuffer* out) {
  switch (Classify(name)) {
    case Placeholder::kId:
      out->AppendUint(SkewedIndex(rng, 1'000'000) + 1);
      break;
    case Placeholder::kN:
      out->AppendUint(rng.Uniform(99) + 1);
      break;
    case Placeholder::kMs:
      out->AppendUint(static_cast<uint64_t>(LatencyMicros(rng) / 1000));
      break;
    case Placeholder::kPct:
      out->AppendUint(rng.Uniform(100) + 1);
      break;
    case Placeholder::kWord:
      out->Append(PickOne(rng, vocab::Words()));
      break;
    case Placeholder::kUser:
      out->Append(PickOne(rng, vocab::UserNames()));
      break;
    case Placeholder::kHex:
      out->AppendHex(rng.Next(), 8);
      break;
    case Placeholder::kUuid:
      AppendUuid(rng, out);
      break;
    case Placeholder::kIp:
      AppendClientIp(rng, out);
      break;
    case Placeholder::kPort:
      out->AppendUint(static_cast<uint64_t>(rng.Between(1024, 65535)));
      break;
    case Placeholder::kUnknown:
      return false;
  }
  return true;
}

}  // namespace

void ExpandTemplate(Rng& rng, std::string_view text, TextBuffer* out) {
  // Templates are short: a plain scan beats memchr calls.
  const size_t size = text.size();
  size_t literal = 0;
  for (size_t i = 0; i < size; ++i) {
    if (text[i] != '{') continue;
    size_t close = i + 1;
    while (close < size && text[close] != '}') ++close;
    if (close == size) break;
    out->Append(text.substr(literal, i - literal));
    const bool known = AppendPlaceholder(rng, text.substr(i + 1, close - i - 1), out);
    assert(known && "unknown placeholder in a vocabulary template");
    if (!known) out->Append(text.substr(i, close + 1 - i));
    literal = close + 1;
    i = close;
  }
  out->Append(text.substr(literal));
}

void AppendClientIp(Rng& rng, TextBuffer* out) {
  uint64_t state = SkewedIndex(rng, kClientPool);
  const uint64_t bits = SplitMix64(&state);
  if (bits % 20 == 0) {
    out->Append("2001:db8:");
    out->AppendHex(bits >> 8, 4);
    out->Append(':');
    out->AppendHex(bits >> 24, 4);
    out->Append("::");
    out->AppendHex(bits >> 40, 4);
    return;
  }
  // First octet 1..223 without 10 and 127, so addresses look public and routable.
  uint64_t first = 1 + (bits >> 8) % 223;
  if (first == 10 || first == 127) ++first;
  out->AppendUint(first);
  out->Append('.');
  out->AppendUint((bits >> 16) & 0xff);
  out->Append('.');
  out->AppendUint((bits >> 24) & 0xff);
  out->Append('.');
  out->AppendUint(1 + ((bits >> 32) % 254));
}

void AppendUuid(Rng& rng, TextBuffer* out) {
  const uint64_t hi = rng.Next();
  const uint64_t lo = rng.Next();
  out->AppendHex(hi >> 32, 8);
  out->Append('-');
  out->AppendHex(hi >> 16, 4);
  out->Append('-');
  out->AppendHex(0x4000 | (hi & 0x0fff), 4);
  out->Append('-');
  out->AppendHex(0x8000 | ((lo >> 48) & 0x3fff), 4);
  out->Append('-');
  out->AppendHex(lo, 12);
}

void AppendRandomHex(Rng& rng, int digits, TextBuffer* out) {
  while (digits > 0) {
    const int chunk = digits < 16 ? digits : 16;
    out->AppendHex(rng.Next(), chunk);
    digits -= chunk;
  }
}

}  // namespace silt::loggen
