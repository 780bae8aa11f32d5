// Set operations on posting lists: strictly increasing sequences of stream fingerprints. Each
// picks its algorithm from the sizes: a linear merge when the lists are of similar length, a
// galloping search of the longer list when one is much shorter (cost O(short * log(long / short))),
// so intersecting a rare value's list with a common one costs about the rare one's length.
// Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace silt::index {

// Fingerprints in both `a` and `b` (both strictly increasing), strictly increasing.
std::vector<uint64_t> IntersectPostings(std::span<const uint64_t> a, std::span<const uint64_t> b);
// Appends IntersectPostings(a, b) to `out` without allocating a temporary.
void AppendIntersection(std::span<const uint64_t> a, std::span<const uint64_t> b,
                        std::vector<uint64_t>* out);

// Fingerprints of `a` that are not in `b` (both strictly increasing), strictly increasing.
std::vector<uint64_t> SubtractPostings(std::span<const uint64_t> a, std::span<const uint64_t> b);

// The union of `lists` (each strictly increasing), strictly increasing. Lists that are known to
// be disjoint (the lists of one label name's values) are the common case and cost one sort of the
// concatenation; overlapping lists are deduplicated.
std::vector<uint64_t> UnionPostings(std::span<const std::span<const uint64_t>> lists);

// True when `list` (strictly increasing) holds `fingerprint`.
bool PostingsContain(std::span<const uint64_t> list, uint64_t fingerprint);

}  // namespace silt::index
