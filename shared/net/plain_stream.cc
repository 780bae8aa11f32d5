#include "shared/net/plain_stream.h"

#include <utility>

namespace silt::net {

void PlainStream::Write(std::string bytes) {
  if (!writable()) return;
  const size_t size = bytes.size();
  socket().Write(std::move(bytes), size);
}

void PlainStream::WriteParts(std::string head, std::string body, std::string tail) {
  if (!writable()) return;
  const size_t size = head.size() + body.size() + tail.size();
  socket().WriteParts(std::move(head), std::move(body), std::move(tail), size);
}

}  // namespace silt::net
