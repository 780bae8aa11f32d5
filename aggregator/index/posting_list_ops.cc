#include "aggregator/index/posting_list_ops.h"

#include <algorithm>

namespace silt::index {
namespace {

// Below this length ratio a linear merge beats searching the longer list.
constexpr size_t kGallopRatio = 16;

// The first position at or after `from` in `list` whose value is >= `target`: exponential steps
// from `from`, then a binary search inside the last step.
size_t Gallop(std::span<const uint64_t> list, size_t from, uint64_t target) {
  size_t step = 1;
  size_t hi = from;
  while (hi < list.size() && list[hi] < target) {
    from = hi + 1;
    hi += step;
    step *= 2;
  }
  hi = std::min(hi, list.size());
  return static_cast<size_t>(std::lower_bound(list.begin() + static_cast<std::ptrdiff_t>(from),
                                              list.begin() + static_cast<std::ptrdiff_t>(hi),
                                              target) -
                             list.begin());
}

// Calls keep(x, present) for every x of `shorter`, with whether `longer` holds it.
template <typename Keep>
void ProbeEach(std::span<const uint64_t> shorter, std::span<const uint64_t> longer, Keep keep) {
  size_t pos = 0;
  for (uint64_t x : shorter) {
    pos = Gallop(longer, pos, x);
    keep(x, pos < longer.size() && longer[pos] == x);
  }
}

bool UseGallop(size_t shorter, size_t longer) { return shorter * kGallopRatio < longer; }

}  // namespace

std::vector<uint64_t> IntersectPostings(std::span<const uint64_t> a, std::span<const uint64_t> b) {
  std::vector<uint64_t> out;
  out.reserve(std::min(a.size(), b.size()));
  AppendIntersection(a, b, &out);
  return out;
}

void AppendIntersection(std::span<const uint64_t> a, std::span<const uint64_t> b,
                        std::vector<uint64_t>* out) {
  if (a.size() > b.size()) std::swap(a, b);
  if (UseGallop(a.size(), b.size())) {
    ProbeEach(a, b, [out](uint64_t x, bool present) {
      if (present) out->push_back(x);
    });
  } else {
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(*out));
  }
}

std::vector<uint64_t> SubtractPostings(std::span<const uint64_t> a, std::span<const uint64_t> b) {
  std::vector<uint64_t> out;
  out.reserve(a.size());
  if (UseGallop(a.size(), b.size())) {
    ProbeEach(a, b, [&out](uint64_t x, bool present) {
      if (!present) out.push_back(x);
    });
  } else {
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  }
  return out;
}

std::vector<uint64_t> UnionPostings(std::span<const std::span<const uint64_t>> lists) {
  size_t total = 0;
  for (std::span<const uint64_t> list : lists) total += list.size();
  std::vector<uint64_t> out;
  out.reserve(total);
  for (std::span<const uint64_t> list : lists) out.insert(out.end(), list.begin(), list.end());
  if (lists.size() > 1) {
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }
  return out;
}

bool PostingsContain(std::span<const uint64_t> list, uint64_t fingerprint) {
  return std::binary_search(list.begin(), list.end(), fingerprint);
}

}  // namespace silt::index
