#include "aggregator/store/block_compression.h"

#include <lz4.h>
#include <zstd.h>

#include <cassert>
#include <cstring>
#include <string>

namespace silt::store {

struct BlockCompressor::ZstdContext {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ~ZstdContext() { ZSTD_freeCCtx(cctx); }
};

Status ValidateCompressionLevel(Codec codec, int level) {
  if (codec != Codec::kZstd) return Status::Ok();
  if (level < ZSTD_minCLevel() || level > ZSTD_maxCLevel()) {
    return Status::InvalidArgument("zstd level " + std::to_string(level) + " is outside " +
                                   std::to_string(ZSTD_minCLevel()) + ".." +
                                   std::to_string(ZSTD_maxCLevel()) + "; 3 is a good default");
  }
  return Status::Ok();
}

BlockCompressor::BlockCompressor(Codec codec, int zstd_level)
    : codec_(codec), zstd_level_(zstd_level) {
  assert(ValidateCompressionLevel(codec, zstd_level).ok());
  if (codec == Codec::kZstd) zstd_ = std::make_unique<ZstdContext>();
}

BlockCompressor::~BlockCompressor() = default;

size_t MaxCompressedSize(Codec codec, size_t uncompressed_size) {
  switch (codec) {
    case Codec::kNone:
      return uncompressed_size;
    case Codec::kLz4:
      return static_cast<size_t>(LZ4_compressBound(static_cast<int>(uncompressed_size)));
    case Codec::kZstd:
      return ZSTD_compressBound(uncompressed_size);
  }
  return 0;
}

Status BlockCompressor::Compress(std::string_view input, std::string* out) {
  assert(input.size() <= kMaxBlockSize);
  if (codec_ == Codec::kNone) {
    out->assign(input);
    return Status::Ok();
  }
  out->resize(MaxCompressedSize(codec_, input.size()));
  if (codec_ == Codec::kLz4) {
    int n = LZ4_compress_default(input.data(), out->data(), static_cast<int>(input.size()),
                                 static_cast<int>(out->size()));
    if (n <= 0) return Status::IOError("lz4 compression of a block failed");
    out->resize(static_cast<size_t>(n));
    return Status::Ok();
  }
  size_t n = ZSTD_compressCCtx(zstd_->cctx, out->data(), out->size(), input.data(), input.size(),
                               zstd_level_);
  if (ZSTD_isError(n)) {
    return Status::IOError(std::string("zstd compression of a block failed: ") +
                           ZSTD_getErrorName(n));
  }
  out->resize(n);
  return Status::Ok();
}

Status DecompressBlock(Codec codec, std::string_view input, size_t uncompressed_size,
                       std::string* out) {
  out->resize(uncompressed_size);
  return DecompressBlock(codec, input, uncompressed_size, out->data());
}

Status DecompressBlock(Codec codec, std::string_view input, size_t uncompressed_size, char* out) {
  if (codec == Codec::kNone) {
    if (input.size() != uncompressed_size) {
      return Status::Corruption("uncompressed block holds " + std::to_string(input.size()) +
                                " bytes, expected " + std::to_string(uncompressed_size));
    }
    if (uncompressed_size != 0) std::memcpy(out, input.data(), uncompressed_size);
    return Status::Ok();
  }
  if (codec == Codec::kLz4) {
    int n = LZ4_decompress_safe(input.data(), out, static_cast<int>(input.size()),
                                static_cast<int>(uncompressed_size));
    if (n < 0 || static_cast<size_t>(n) != uncompressed_size) {
      return Status::Corruption("lz4 block does not decompress to the expected " +
                                std::to_string(uncompressed_size) + " bytes");
    }
    return Status::Ok();
  }
  size_t n = ZSTD_decompress(out, uncompressed_size, input.data(), input.size());
  if (ZSTD_isError(n)) {
    return Status::Corruption(std::string("zstd block is malformed: ") + ZSTD_getErrorName(n));
  }
  if (n != uncompressed_size) {
    return Status::Corruption("zstd block decompresses to " + std::to_string(n) +
                              " bytes, expected " + std::to_string(uncompressed_size));
  }
  return Status::Ok();
}

}  // namespace silt::store
