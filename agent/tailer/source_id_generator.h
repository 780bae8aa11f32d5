// SourceIdGenerator: where source ids come from. A source id is a random 64-bit id the agent gives
// to one incarnation of a file (DESIGN.md, protocol section). Randomness is injected so tests are
// deterministic: SeededSourceIdGenerator produces a fixed sequence per seed; production seeds it
// with EntropySeed().
//
// Thread-safety: a generator is used by one thread at a time.
#pragma once

#include <cstdint>

namespace silt::agent {

class SourceIdGenerator {
 public:
  virtual ~SourceIdGenerator() = default;
  // A new id; never 0. Callers skip ids already in use (a collision is astronomically rare).
  virtual uint64_t Next() = 0;
};

// SplitMix64 over a seed: well mixed, cheap, and reproducible.
class SeededSourceIdGenerator final : public SourceIdGenerator {
 public:
  explicit SeededSourceIdGenerator(uint64_t seed) : state_(seed) {}
  uint64_t Next() override;

 private:
  uint64_t state_;
};

// 64 bits from the operating system's entropy source (getrandom), for seeding in production.
uint64_t EntropySeed();

}  // namespace silt::agent
