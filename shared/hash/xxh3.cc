#include "shared/hash/xxh3.h"

#define XXH_STATIC_LINKING_ONLY  // exposes XXH3_state_t so the state can live inline
#include <xxhash.h>

namespace silt::hash {

uint64_t Xxh3(const void* data, size_t size) { return XXH3_64bits(data, size); }

uint64_t Xxh3WithSeed(const void* data, size_t size, uint64_t seed) {
  return XXH3_64bits_withSeed(data, size, seed);
}

struct Xxh3Hasher::State {
  XXH3_state_t xxh;
};

Xxh3Hasher::Xxh3Hasher() : state_(std::make_unique<State>()) { Reset(); }
Xxh3Hasher::~Xxh3Hasher() = default;

void Xxh3Hasher::Update(const void* data, size_t size) { XXH3_64bits_update(&state_->xxh, data, size); }
uint64_t Xxh3Hasher::Digest() const { return XXH3_64bits_digest(&state_->xxh); }
void Xxh3Hasher::Reset() { XXH3_64bits_reset(&state_->xxh); }

}  // namespace silt::hash
