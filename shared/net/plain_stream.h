// PlainStream: a ByteStream over a plain TCP connection (no TLS). Built by StreamListener and
// Connect from a connected TcpSocket. Loop thread only.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "shared/net/socket_stream.h"

namespace silt::net {

class PlainStream final : public SocketStream {
 public:
  // `socket` must be connected; reading starts once a handler is set.
  explicit PlainStream(std::unique_ptr<TcpSocket> socket) : SocketStream(std::move(socket)) {}

  void Write(std::string bytes) override;
  void WriteParts(std::string head, std::string body, std::string tail) override;

 protected:
  void OnSocketData(std::string_view bytes) override { Deliver(bytes); }
};

}  // namespace silt::net
