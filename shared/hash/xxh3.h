// XXH3-64: the one hash Silt uses for stream fingerprints, frame and record checksums, and bloom
// filters. A thin, allocation-free wrapper over libxxhash so call sites read the same everywhere.
// Stateless functions are thread-safe; Xxh3Hasher is a value type for one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace silt::hash {

// XXH3-64 of `size` bytes at `data` with seed 0. Equal input gives equal output on every
// platform and release (the value is stored on disk and sent on the wire).
uint64_t Xxh3(const void* data, size_t size);
inline uint64_t Xxh3(std::string_view bytes) { return Xxh3(bytes.data(), bytes.size()); }
inline uint64_t Xxh3(std::span<const uint8_t> bytes) { return Xxh3(bytes.data(), bytes.size()); }
// XXH3-64 with an explicit seed (bloom filters derive several hashes from one input this way).
uint64_t Xxh3WithSeed(const void* data, size_t size, uint64_t seed);

// Streaming XXH3-64 over pieces: the digest equals Xxh3() of the concatenation.
class Xxh3Hasher {
 public:
  Xxh3Hasher();
  ~Xxh3Hasher();
  Xxh3Hasher(const Xxh3Hasher&) = delete;
  Xxh3Hasher& operator=(const Xxh3Hasher&) = delete;

  void Update(const void* data, size_t size);
  void Update(std::string_view bytes) { Update(bytes.data(), bytes.size()); }
  uint64_t Digest() const;
  void Reset();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace silt::hash
