#include "tests/unit/shared/http/compress_for_test.h"

#include <zlib.h>

#include <cstdlib>

namespace silt::http::testing {

std::string Compress(std::string_view data, Wrapper wrapper) {
  z_stream zs{};
  const int bits = wrapper == Wrapper::kGzip ? 15 + 16 : wrapper == Wrapper::kZlib ? 15 : -15;
  if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, bits, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
    std::abort();
  }
  std::string out(deflateBound(&zs, data.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) std::abort();
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace silt::http::testing
