// ByteStream: one established, bidirectional byte stream on a libuv loop: a plain TCP connection
// or a TLS session over one (shared/net/tls_*). Protocol code (the agent session on the
// aggregator, the agent's shipper) is written against this interface and never sees sockets,
// OpenSSL or the difference between the two.
//
// Reading: bytes arrive through StreamHandler::OnData as they are decrypted/received, in order,
// in pieces of any size. PauseReading() stops delivery (and socket reads, so TCP flow control
// pushes back on the peer) until ResumeReading().
// Writing: Write() queues bytes (never blocks, never fails at once); queued_bytes() tells how much
// is not yet handed to the kernel, and OnDrained() fires when it drops to zero, so a writer can
// bound its memory. Errors surface once, through OnClosed. Bytes written after Shutdown() or
// Close() are dropped.
// Ending: Shutdown() writes what is queued, sends TLS close_notify when TLS, half-closes (FIN),
// then closes after the peer's EOF or a short linger (2 s). When the peer ends first (EOF, TLS
// close_notify), the stream answers the same way (flushes what is queued, ends its side) and
// then reports OnClosed(OK). A TLS peer that ends TCP without close_notify (and without our
// Shutdown) is reported as an error: the data may be truncated. Close() drops queued bytes and
// closes now; OnClosed(OK) follows on a later loop turn.
// OnClosed is called exactly once per stream (OK status for an orderly end from either side,
// an error naming the peer and the cause otherwise), after which no handler method is called.
//
// Lifetime: the owner holds the std::unique_ptr; destroying it closes at once without calling
// OnClosed (the libuv handle is freed in its close callback, so the loop must run once more).
// Loop thread only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "shared/status/status.h"

namespace silt::net {

// What is known about the other end, for logs and for authentication.
struct PeerInfo {
  std::string address;  // "127.0.0.1:53412" or "[::1]:53412"
  bool tls = false;
  std::string tls_version;  // "TLSv1.3"; empty without TLS
  std::string cipher;       // "TLS_AES_256_GCM_SHA384"; empty without TLS
  // Verified client certificate (mTLS) subject common name and full subject; empty when the
  // client sent none (or on the client side).
  std::string client_common_name;
  std::string client_subject;
};

class ByteStream;

class StreamHandler {
 public:
  virtual ~StreamHandler() = default;
  // Received bytes; the view is valid during the call only. May call any ByteStream method, but
  // must not destroy the stream (call Close(), which leads to OnClosed, where that is allowed).
  virtual void OnData(std::string_view bytes) = 0;
  // Every byte written so far has been accepted by the kernel (queued_bytes() == 0). Same rules
  // as OnData: any ByteStream method, no destruction.
  virtual void OnDrained() {}
  // The peer ended its side in order (TCP EOF, TLS close_notify) and every byte it sent has
  // been delivered. Return true (the default) to let the stream end ours as well (flush, FIN,
  // then OnClosed); return false to keep writing on the half-closed stream and call Shutdown()
  // (or Close()) when done, as an HTTP server answering requests a client sent before its FIN.
  // Same rules as OnData. Not called when our side had already begun to end.
  virtual bool OnPeerEnded() { return true; }
  // The stream has ended (see the file comment). Called once; the stream may be destroyed from
  // inside this call.
  virtual void OnClosed(const Status& why) = 0;
};

class ByteStream {
 public:
  virtual ~ByteStream() = default;

  // Starts delivering events to `handler` (not owned; must outlive the stream or be replaced).
  // Bytes that arrived before a handler was set are kept and delivered first.
  virtual void SetHandler(StreamHandler* handler) = 0;
  virtual void Write(std::string bytes) = 0;
  // Writes `head`, `body` and `tail` in that order, like three Write calls; socket streams hand
  // them to the kernel in one vectored write without joining them (an HTTP head and a large body
  // are not copied into one buffer). Empty parts are skipped.
  virtual void WriteParts(std::string head, std::string body, std::string tail) {
    head.append(body);
    head.append(tail);
    Write(std::move(head));
  }
  // Bytes given to Write and not yet accepted by the kernel (after TLS framing for TLS streams,
  // counted as plaintext bytes).
  virtual size_t queued_bytes() const = 0;
  virtual void PauseReading() = 0;
  virtual void ResumeReading() = 0;
  virtual void Shutdown() = 0;
  virtual void Close() = 0;
  // True once the stream is closing or closed (Close(), an error, or the end of an orderly
  // shutdown); OnClosed has been or will be called.
  virtual bool closed() const = 0;
  virtual const PeerInfo& peer() const = 0;
};

}  // namespace silt::net
