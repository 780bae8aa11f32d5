// Compression of chunk blocks: lz4 (block format, no frame), zstd (one frame per block) or none.
// Deterministic for a given library version and level. A BlockCompressor keeps its zstd context
// between blocks; it is used by one thread at a time. DecompressBlock is stateless and thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "aggregator/store/chunk_format.h"
#include "shared/status/result.h"
#include "shared/status/status.h"

namespace silt::store {

// InvalidArgument when `level` is not a zstd level this library supports (only checked for
// Codec::kZstd; 0 means zstd's default, 3).
Status ValidateCompressionLevel(Codec codec, int level);

class BlockCompressor {
 public:
  // Precondition: ValidateCompressionLevel(codec, zstd_level).ok().
  BlockCompressor(Codec codec, int zstd_level);
  ~BlockCompressor();
  BlockCompressor(const BlockCompressor&) = delete;
  BlockCompressor& operator=(const BlockCompressor&) = delete;

  // Replaces `*out` with the compressed form of `input` (at most kMaxBlockSize bytes).
  // Internal error (as IOError naming the codec) only if the library fails, which it does not do
  // for valid input.
  Status Compress(std::string_view input, std::string* out);

 private:
  struct ZstdContext;
  Codec codec_;
  int zstd_level_;
  std::unique_ptr<ZstdContext> zstd_;
};

// The largest compressed size `codec` can produce for `uncompressed_size` input bytes; a stored
// compressed size above it is corrupt.
size_t MaxCompressedSize(Codec codec, size_t uncompressed_size);

// Replaces `*out` with the decompressed form of `input`, which must decompress to exactly
// `uncompressed_size` bytes (the caller checks that size against its limit before calling).
// Corruption naming the codec when the input is malformed or the size differs.
Status DecompressBlock(Codec codec, std::string_view input, size_t uncompressed_size,
                       std::string* out);
// As above, writing exactly `uncompressed_size` bytes to `out`, which must have room for them
// and may hold anything before (it is never read or zero-filled first). On error `out` holds
// unspecified bytes.
Status DecompressBlock(Codec codec, std::string_view input, size_t uncompressed_size, char* out);

}  // namespace silt::store
