// Compression helpers for the HTTP tests: build gzip and deflate bodies with zlib, as Loki push
// clients do.
#pragma once

#include <string>
#include <string_view>

namespace silt::http::testing {

enum class Wrapper { kGzip, kZlib, kRaw };

// `data` compressed in one stream with the given wrapper.
std::string Compress(std::string_view data, Wrapper wrapper);
inline std::string Gzip(std::string_view data) { return Compress(data, Wrapper::kGzip); }

}  // namespace silt::http::testing
