// Rng: the generator's only source of randomness, xoshiro256** seeded through splitmix64. Every
// draw is integer arithmetic with a fixed definition (no std::*_distribution, whose output is
// implementation-defined, and no floating point), so a seed yields the same sequence on every
// compiler and machine. A value type; not thread-safe (use one per thread).
#pragma once

#include <cstdint>

namespace silt::loggen {

// splitmix64: advances `*state` and returns the next output. Used to expand a 64-bit seed into
// independent states (and by tests as a reference mixer).
inline uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  // Seeds the four state words from splitmix64(seed), as the xoshiro authors recommend. Every
  // seed (0 included) gives a valid, non-zero state.
  explicit Rng(uint64_t seed) {
    uint64_t sm = seed;
    for (uint64_t& word : s_) word = SplitMix64(&sm);
  }

  // The next 64 uniformly distributed bits (xoshiro256**).
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // A value in [0, n) by Lemire's multiply-shift (bias below n / 2^64; no rejection loop, so
  // every call consumes exactly one Next()). Precondition: n > 0.
  uint64_t Uniform(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }

  // A value in [lo, hi]. Precondition: lo <= hi and not the whole int64 range. Computed in
  // unsigned arithmetic, so ranges wider than INT64_MAX work.
  int64_t Between(int64_t lo, int64_t hi) {
    const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
    return static_cast<int64_t>(static_cast<uint64_t>(lo) + Uniform(span + 1));
  }

  // True with probability per_mille / 1000.
  bool PerMille(uint32_t per_mille) { return Uniform(1000) < per_mille; }

  // True with probability threshold / 2^64 (see ProbabilityThreshold).
  bool Below(uint64_t threshold) { return Next() < threshold; }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  uint64_t s_[4];
};

// The threshold for Rng::Below that fires with `probability` (clamped to [0, 1]). Computed once
// from a double (IEEE arithmetic, identical everywhere); 1 maps to UINT64_MAX.
inline uint64_t ProbabilityThreshold(double probability) {
  if (!(probability > 0)) return 0;
  if (probability >= 1) return UINT64_MAX;
  return static_cast<uint64_t>(probability * 18446744073709551616.0);
}

}  // namespace silt::loggen
