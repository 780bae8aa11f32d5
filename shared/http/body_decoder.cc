#include "shared/http/body_decoder.h"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <utility>

namespace silt::http {
namespace {

constexpr int kGzipWindowBits = 15 + 16;  // gzip wrapper only
constexpr int kZlibWindowBits = 15;       // zlib wrapper
constexpr int kRawWindowBits = -15;       // no wrapper

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Owns a zlib inflate stream; zlib's C API needs inflateEnd on every path.
class Inflater {
 public:
  explicit Inflater(int window_bits) { ok_ = inflateInit2(&stream_, window_bits) == Z_OK; }
  ~Inflater() {
    if (ok_) inflateEnd(&stream_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  bool ok() const { return ok_; }
  z_stream& stream() { return stream_; }

 private:
  z_stream stream_{};
  bool ok_ = false;
};

enum class InflateOutcome { kDone, kTooLarge, kCorrupt };

// Inflates all of `in` into `out` (appending), resetting between gzip members. kCorrupt for bad,
// truncated or trailing data.
InflateOutcome InflateAll(int window_bits, std::string_view in, size_t max_bytes,
                          std::string* out) {
  Inflater inflater(window_bits);
  if (!inflater.ok()) return InflateOutcome::kCorrupt;
  z_stream& zs = inflater.stream();
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  constexpr size_t kMaxStep = UINT_MAX;
  size_t remaining_in = in.size();
  zs.avail_in = static_cast<uInt>(std::min(remaining_in, kMaxStep));
  remaining_in -= zs.avail_in;
  // One byte more than allowed: reaching it proves the output is too large.
  const size_t limit = max_bytes == SIZE_MAX ? max_bytes : max_bytes + 1;
  out->reserve(std::min(limit, std::max<size_t>(in.size() * 4, 64 * 1024)));
  while (true) {
    if (out->size() == out->capacity()) {
      out->reserve(std::min(limit, std::max<size_t>(out->size() * 2, 64 * 1024)));
    }
    const size_t before = out->size();
    const size_t room = std::min(std::min(out->capacity(), limit) - before, kMaxStep);
    if (room == 0) return InflateOutcome::kTooLarge;
    out->resize(before + room);
    zs.next_out = reinterpret_cast<Bytef*>(out->data() + before);
    zs.avail_out = static_cast<uInt>(room);
    const int rc = inflate(&zs, Z_NO_FLUSH);
    out->resize(before + room - zs.avail_out);
    if (out->size() > max_bytes) return InflateOutcome::kTooLarge;
    if (zs.avail_in == 0 && remaining_in > 0) {
      zs.avail_in = static_cast<uInt>(std::min(remaining_in, kMaxStep));
      remaining_in -= zs.avail_in;
    }
    if (rc == Z_STREAM_END) {
      const bool more = zs.avail_in > 0 || remaining_in > 0;
      if (!more) return InflateOutcome::kDone;
      // Another gzip member may follow; other wrappers end here.
      if (window_bits != kGzipWindowBits || inflateReset(&zs) != Z_OK) {
        return InflateOutcome::kCorrupt;
      }
      continue;
    }
    if (rc == Z_BUF_ERROR && zs.avail_in == 0 && remaining_in == 0) {
      return InflateOutcome::kCorrupt;  // truncated: input ended before the stream did
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) return InflateOutcome::kCorrupt;
  }
}

}  // namespace

Result<ContentCoding> ParseContentEncoding(const Headers& headers) {
  ContentCoding coding = ContentCoding::kIdentity;
  for (std::string_view line : headers.GetAll("Content-Encoding")) {
    std::string_view rest = line;
    while (true) {
      const size_t comma = rest.find(',');
      const std::string_view item = Trim(rest.substr(0, comma));
      if (!item.empty() && !EqualsIgnoreCase(item, "identity")) {
        ContentCoding next;
        if (EqualsIgnoreCase(item, "gzip") || EqualsIgnoreCase(item, "x-gzip")) {
          next = ContentCoding::kGzip;
        } else if (EqualsIgnoreCase(item, "deflate")) {
          next = ContentCoding::kDeflate;
        } else {
          return Status::InvalidArgument("unsupported Content-Encoding \"" + std::string(line) +
                                         "\": send the body as identity, gzip or deflate");
        }
        if (coding != ContentCoding::kIdentity) {
          return Status::InvalidArgument("unsupported Content-Encoding \"" + std::string(line) +
                                         "\": apply only one of gzip or deflate");
        }
        coding = next;
      }
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return coding;
}

Result<std::string> DecodeBody(ContentCoding coding, std::string body, size_t max_decoded_bytes) {
  if (coding == ContentCoding::kIdentity || body.empty()) {
    if (body.size() > max_decoded_bytes) {
      return Status::ResourceExhausted("request body of " + std::to_string(body.size()) +
                                       " bytes exceeds the limit of " +
                                       std::to_string(max_decoded_bytes) + " bytes");
    }
    return body;
  }
  std::string out;
  InflateOutcome outcome;
  if (coding == ContentCoding::kGzip) {
    outcome = InflateAll(kGzipWindowBits, body, max_decoded_bytes, &out);
  } else {
    outcome = InflateAll(kZlibWindowBits, body, max_decoded_bytes, &out);
    if (outcome == InflateOutcome::kCorrupt) {
      out.clear();
      outcome = InflateAll(kRawWindowBits, body, max_decoded_bytes, &out);
    }
  }
  const char* name = coding == ContentCoding::kGzip ? "gzip" : "deflate";
  switch (outcome) {
    case InflateOutcome::kDone:
      return out;
    case InflateOutcome::kTooLarge:
      return Status::ResourceExhausted(
          std::string(name) + " request body of " + std::to_string(body.size()) +
          " bytes decompresses to more than the limit of " + std::to_string(max_decoded_bytes) +
          " bytes: send smaller batches");
    case InflateOutcome::kCorrupt:
      break;
  }
  return Status::InvalidArgument(std::string(name) + " request body of " +
                                 std::to_string(body.size()) +
                                 " bytes is corrupt or truncated and cannot be decompressed");
}

}  // namespace silt::http
