#include "shared/net/plain_stream.h"

#include <utility>

namespace silt::net {

void PlainStream::Write(std::string bytes) {
  if (!writable()) return;
  const size_t size = bytes.size();
  socket().Write(std::move(bytes), size);
}

}  // namespace silt::net
