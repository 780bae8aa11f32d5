#include "aggregator/store/block_line_search.h"

#include <string.h>

#include <algorithm>
#include <cstring>
#include <tuple>
#include <utility>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define SILT_HAVE_AVX2_SEARCH 1
#endif

namespace silt::store {
namespace {

#ifdef SILT_HAVE_AVX2_SEARCH
// How common a byte is in log text (higher: more common), to pick the two bytes of a literal
// that the vector filter compares: rare bytes leave few candidate positions to verify.
int ByteCommonness(unsigned char c) {
  static constexpr std::string_view kLowerByFrequency = "etaoinsrhldcumfpgwybvkxjqz";
  if (c == ' ' || c == '"' || c == '=') return 300;
  if (c >= 'a' && c <= 'z') {
    return 280 - 10 * static_cast<int>(kLowerByFrequency.find(static_cast<char>(c)));
  }
  if (c >= '0' && c <= '9') return 200;
  if (c == '_' || c == '-' || c == '.' || c == '/' || c == ':' || c == ',') return 100;
  if (c >= 'A' && c <= 'Z') return 50;
  return 20;
}

// Two positions of `literal` (size >= 3) to filter on, first < second: its first and last bytes
// (far apart, so together they say much), unless one of them is a separator that occurs many
// times in every line (space, quote, '='); then its least common byte and the least common byte
// at least half the literal away from it (bytes close together are often one common word, e.g.
// "lev" in every "level=" of logfmt).
std::pair<size_t, size_t> FilterPositions(std::string_view literal) {
  constexpr int kSeparator = 300;
  if (ByteCommonness(literal.front()) < kSeparator && ByteCommonness(literal.back()) < kSeparator) {
    return {0, literal.size() - 1};
  }
  size_t rare = 0;
  for (size_t i = 1; i < literal.size(); ++i) {
    if (ByteCommonness(literal[i]) < ByteCommonness(literal[rare])) rare = i;
  }
  const size_t apart = (literal.size() - 1) / 2;
  size_t other = rare >= apart ? 0 : literal.size() - 1;
  for (size_t i = 0; i < literal.size(); ++i) {
    const size_t distance = i > rare ? i - rare : rare - i;
    if (distance >= apart && ByteCommonness(literal[i]) < ByteCommonness(literal[other])) {
      other = i;
    }
  }
  return rare < other ? std::pair{rare, other} : std::pair{other, rare};
}

// Two-byte filter, 32 candidate positions per step (W. Mula's "SIMD-friendly algorithms for
// substring searching"), on the bytes at `p1` < `p2` of the literal (FilterPositions).
// Precondition: literal.size() >= 3.
__attribute__((target("avx2"))) const char* FindAvx2(std::string_view bytes,
                                                     std::string_view literal, size_t p1,
                                                     size_t p2) {
  const size_t m = literal.size();
  const size_t n = bytes.size();
  const char* const hay = bytes.data();
  const __m256i first = _mm256_set1_epi8(literal[p1]);
  const __m256i second = _mm256_set1_epi8(literal[p2]);
  size_t i = 0;
  // Every candidate start i..i+31 leaves room for the literal (so the loads, at offsets below
  // m, stay inside `bytes`): i + 31 + m <= n.
  for (; n >= m + 31 && i <= n - m - 31; i += 32) {
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(hay + i + p1));
    const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(hay + i + p2));
    uint32_t mask = static_cast<uint32_t>(_mm256_movemask_epi8(
        _mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(b, second))));
    while (mask != 0) {
      const size_t at = i + static_cast<size_t>(__builtin_ctz(mask));
      if (std::memcmp(hay + at, literal.data(), m) == 0) return hay + at;
      mask &= mask - 1;
    }
  }
  if (n - i < m) return nullptr;
  return static_cast<const char*>(memmem(hay + i, n - i, literal.data(), m));
}

bool HasAvx2() {
  static const bool has = [] {
    __builtin_cpu_init();  // may run before libgcc's own initializer
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return has;
}
#endif

// The offset in block.data() (and block.line_bytes()) of entry i's line.
size_t LineStart(const ChunkBlock& block, const char* base, size_t i) {
  return static_cast<size_t>(block.line(i).data() - base);
}

// Marks the entries whose line contains `literal` (non-empty). Hits come in increasing offset
// order, so the entry search only moves forward.
void MarkLiteral(const ChunkBlock& block, std::string_view literal, std::vector<uint8_t>* marks) {
  const LiteralFinder finder(literal);
  const std::string_view data = block.line_bytes();  // lines at their offsets in block.data()
  const char* const base = data.data();
  const size_t n = block.size();
  size_t pos = 0;    // where the next search starts
  size_t entry = 0;  // no hit at or after pos lies in a line before this entry
  while (entry < n && data.size() - pos >= literal.size()) {
    const char* found = finder.Find(data.substr(pos));
    if (found == nullptr) return;
    const size_t hit = static_cast<size_t>(found - base);
    // The last entry whose line starts at or before the hit.
    size_t after = entry;
    size_t count = n - entry;
    while (count > 0) {  // partition_point over [entry, n) on LineStart(i) <= hit
      const size_t half = count / 2;
      if (LineStart(block, base, after + half) <= hit) {
        after += half + 1;
        count -= half + 1;
      } else {
        count = half;
      }
    }
    if (after == entry) {  // before the line of `entry`: in its header
      pos = hit + 1;
      continue;
    }
    const size_t candidate = after - 1;
    const size_t line_end = LineStart(block, base, candidate) + block.line(candidate).size();
    if (hit + literal.size() <= line_end) {
      (*marks)[candidate] = 1;
      pos = line_end;  // the rest of this line cannot mark anything new
      entry = candidate + 1;
    } else {
      pos = hit + 1;  // runs past the line's end: not a match of this line
      entry = candidate;
    }
  }
}

}  // namespace

LiteralFinder::LiteralFinder(std::string_view literal) : literal_(literal) {
#ifdef SILT_HAVE_AVX2_SEARCH
  avx2_ = literal.size() >= 3 && HasAvx2();
  if (avx2_) std::tie(first_, second_) = FilterPositions(literal);
#endif
}

const char* LiteralFinder::Find(std::string_view bytes) const {
  if (literal_.size() > bytes.size()) return nullptr;
  if (literal_.empty()) return bytes.data();
  if (literal_.size() == 1) {
    return static_cast<const char*>(std::memchr(bytes.data(), literal_[0], bytes.size()));
  }
#ifdef SILT_HAVE_AVX2_SEARCH
  if (avx2_) return FindAvx2(bytes, literal_, first_, second_);
#endif
  return static_cast<const char*>(
      memmem(bytes.data(), bytes.size(), literal_.data(), literal_.size()));
}

const char* FindLiteral(std::string_view bytes, std::string_view literal) {
  return LiteralFinder(literal).Find(bytes);
}

void MarkLinesContainingAny(const ChunkBlock& block, std::span<const std::string> literals,
                            std::vector<uint8_t>* marks) {
  for (const std::string& literal : literals) {
    if (literal.empty()) {
      std::fill(marks->begin(), marks->end(), uint8_t{1});
      return;
    }
    MarkLiteral(block, literal, marks);
  }
}

void SelectLinesContaining(const ChunkBlock& block,
                           std::span<const std::vector<std::string>> groups,
                           std::vector<uint8_t>* keep) {
  keep->assign(block.size(), groups.empty() ? 1 : 0);
  if (groups.empty()) return;
  MarkLinesContainingAny(block, groups.front(), keep);
  std::vector<uint8_t> group_marks;
  for (size_t g = 1; g < groups.size(); ++g) {
    group_marks.assign(block.size(), 0);
    MarkLinesContainingAny(block, groups[g], &group_marks);
    for (size_t i = 0; i < keep->size(); ++i) (*keep)[i] &= group_marks[i];
  }
}

}  // namespace silt::store
