// WebSocket framing constants (RFC 6455 section 5): opcodes, close codes and the limits the
// frame parser enforces. The wire layout of one frame:
//
//   byte 0: FIN (0x80), RSV1-3 (0x70, must be 0: no extension is negotiated), opcode (0x0F)
//   byte 1: MASK (0x80, set on every client frame, never on a server frame), length (0x7F)
//           0..125 is the length; 126: a 16-bit length follows; 127: a 64-bit one (MSB 0)
//   then the 4-byte masking key when MASK is set, then the payload (XORed with the key).
//
// Control frames (close, ping, pong) carry at most 125 bytes and are never fragmented; they may
// arrive between the fragments of a data message. A close payload is empty or a 2-byte code
// (big-endian) followed by a UTF-8 reason. Header only; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>

namespace silt::http {

enum class WebSocketOpcode : uint8_t {
  kContinuation = 0x0,
  kText = 0x1,
  kBinary = 0x2,
  kClose = 0x8,
  kPing = 0x9,
  kPong = 0xA,
};

// Close codes (RFC 6455 section 7.4.1) the server sends or checks.
inline constexpr uint16_t kCloseNormal = 1000;
inline constexpr uint16_t kCloseGoingAway = 1001;  // server shutdown
inline constexpr uint16_t kCloseProtocolError = 1002;
inline constexpr uint16_t kCloseUnsupportedData = 1003;
inline constexpr uint16_t kCloseNoStatus = 1005;        // never on the wire: the peer sent no code
inline constexpr uint16_t kCloseAbnormal = 1006;        // never on the wire: no close frame at all
inline constexpr uint16_t kCloseInvalidPayload = 1007;  // text that is not UTF-8
inline constexpr uint16_t kClosePolicyViolation = 1008;
inline constexpr uint16_t kCloseMessageTooBig = 1009;
inline constexpr uint16_t kCloseInternalError = 1011;

// Most payload bytes of a control frame.
inline constexpr size_t kMaxControlPayload = 125;
// Most bytes of a frame header (2 + 8 length + 4 mask).
inline constexpr size_t kMaxFrameHeader = 14;

// True for a close code a peer may send (1000-1003, 1007-1011, 3000-4999).
constexpr bool IsValidCloseCode(uint16_t code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011) ||
         (code >= 3000 && code <= 4999);
}

}  // namespace silt::http
