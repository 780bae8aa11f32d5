#include "agent/tailer/source_id_generator.h"

#include <sys/random.h>

#include <chrono>
#include <cstring>

namespace silt::agent {

uint64_t SeededSourceIdGenerator::Next() {
  for (;;) {
    state_ += 0x9e3779b97f4a7c15ULL;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    if (z != 0) return z;
  }
}

uint64_t EntropySeed() {
  uint64_t seed = 0;
  if (getrandom(&seed, sizeof(seed), 0) == static_cast<ssize_t>(sizeof(seed))) return seed;
  // getrandom only fails on kernels older than 3.17; mixing the clock in is still unique enough
  // for ids that only have to differ between incarnations of files on one host.
  const auto now = std::chrono::system_clock::now().time_since_epoch().count();
  std::memcpy(&seed, &now, sizeof(seed));
  return seed ^ 0x5851f42d4c957f2dULL;
}

}  // namespace silt::agent
