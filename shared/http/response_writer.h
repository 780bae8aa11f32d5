// ResponseWriter: writes one HTTP connection's answers onto its net::ByteStream, in order: whole
// responses (the head and the body go to the stream as separate parts, so a large body is never
// copied into one buffer with its head), streamed responses (chunked, or close-delimited for
// HTTP/1.0 clients), the WebSocket frames after a 101, and raw interim bytes (100 Continue).
//
// It also keeps the accounting the connection needs around the stream's write queue: streamed
// bytes count against their Exchange's buffer cap until the kernel has taken them (Release),
// and accepted_bytes() tells a write_timeout check whether the client read anything.
//
// Loop thread only. The stream must outlive the writer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>

#include "shared/http/exchange.h"
#include "shared/http/response.h"
#include "shared/net/byte_stream.h"

namespace silt::http {

// What the head of an answer depends on besides the response itself.
struct AnswerShape {
  bool head_request = false;  // answering HEAD: headers only, never body bytes
  int http_minor = 1;         // 0 for HTTP/1.0 clients: no chunked encoding
  bool close = false;         // the connection closes after this answer ("Connection: close")
  std::string_view date;      // the Date header value
};

class ResponseWriter {
 public:
  explicit ResponseWriter(net::ByteStream* stream) : stream_(stream) {}
  ResponseWriter(const ResponseWriter&) = delete;
  ResponseWriter& operator=(const ResponseWriter&) = delete;

  // Writes `response` whole, with Content-Length (none for 1xx/204/304; no body for HEAD).
  void WriteWhole(Response response, const AnswerShape& shape);
  // Writes the head of a streamed answer and its body as the first chunk. Returns true when the
  // body is close-delimited (an HTTP/1.0 client): the connection must close after it. The body
  // bytes (and later chunks) are released from `exchange` once the kernel takes them.
  bool WriteStreamHead(Response head, const AnswerShape& shape,
                       const std::shared_ptr<Exchange>& exchange);
  // The next chunk of the streamed answer (a frame after BeginWebSocket), framed as the head
  // said; released from `exchange` as above. Dropped (and released) for HEAD and bodiless heads.
  void WriteStreamChunk(std::string data, const std::shared_ptr<Exchange>& exchange);
  // The last chunk of a chunked answer; nothing for other framings.
  void EndStream();
  // Writes `head_101`; later WriteStreamChunk calls carry WebSocket frames as they are.
  void BeginWebSocket(std::string head_101);
  // Bytes outside any answer's framing: 100 Continue, WebSocket control frames.
  void WriteRaw(std::string bytes);

  // Releases the streamed bytes the kernel has taken from their exchanges. Call when the stream
  // drains, and before deciding whether the client keeps up.
  void ReleaseWritten();
  // Every byte handed to the stream so far that the kernel has taken (or the stream dropped).
  uint64_t accepted_bytes() const { return written_ - stream_->queued_bytes(); }
  size_t queued_bytes() const { return stream_->queued_bytes(); }

 private:
  enum class Framing { kWhole, kChunked, kUntilClose, kNone, kWebSocket };
  // Streamed bytes to release from `exchange` once accepted_bytes() reaches `end`.
  struct Release {
    uint64_t end;
    size_t bytes;
    std::shared_ptr<Exchange> exchange;
  };

  void Queue(std::string head, std::string body, std::string tail, size_t streamed,
             const std::shared_ptr<Exchange>& exchange);

  net::ByteStream* stream_;
  Framing framing_ = Framing::kWhole;
  bool head_request_ = false;
  uint64_t written_ = 0;
  std::deque<Release> releases_;
};

}  // namespace silt::http
