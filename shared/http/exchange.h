// Exchange: the server-internal channel that carries one request's response from its Responder
// (any thread) to the connection that must write it (the loop thread). The responder posts
// operations (a whole response, or a stream head, chunks and the end); the first post of a batch
// schedules the exchange on the server's CompletionQueue, which wakes the loop with uv_async.
//
// When the connection goes away first, the loop cancels the exchange: queued operations are
// dropped and later posts fail with Unavailable, so a late responder is a harmless no-op.
//
// Thread-safety: Post, cancelled, client_gone and buffered_bytes may be called from any thread; the
// methods marked "loop thread" only from the server's loop thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "shared/http/response.h"
#include "shared/http/websocket_options.h"
#include "shared/status/status.h"

namespace silt::http {

class CompletionQueue;
class Connection;

class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  enum class OpKind {
    kRespond,      // `response` is the whole answer
    kStartStream,  // `response` is the head; its body, if any, is the first chunk
    kChunk,        // `data` is the next chunk of a streamed body
    kFinish,       // the streamed body is complete
    kDropped,      // the responder was destroyed without answering
    // The handler accepted a WebSocket: `response.headers` holds the client's Sec-WebSocket-Key
    // and `websocket` the options; afterwards kChunk ops carry encoded frames.
    kUpgrade,
    kWebSocketClose,  // `data` is the close frame to send; the connection then closes
  };
  struct Op {
    OpKind kind;
    Response response;
    std::string data;
    std::shared_ptr<WebSocketOptions> websocket;  // for kUpgrade
  };

  // Call on the loop thread. `max_buffered_bytes` caps the streamed bytes posted but not yet
  // written to the socket.
  Exchange(std::shared_ptr<CompletionQueue> queue, size_t max_buffered_bytes);
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;

  // Queues `op` for the loop. Returns Unavailable when the connection is gone (the op is
  // dropped), ResourceExhausted when a chunk would push the unwritten stream bytes past the cap
  // (the op is dropped; retry after BufferedBytes() shrinks). A chunk is always accepted when
  // nothing is buffered, however large.
  Status Post(Op op);
  bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }
  // True once cancelled, or once the client half-closed its side (the answer may still be
  // written, but nobody may be waiting for it).
  bool client_gone() const { return cancelled() || client_gone_.load(std::memory_order_acquire); }
  // Streamed bytes posted but not yet written to the socket.
  size_t buffered_bytes() const { return buffered_.load(std::memory_order_acquire); }
  // Replaces the cap on unwritten stream bytes (a WebSocket's max_send_buffer_bytes).
  void set_max_buffered_bytes(size_t bytes) {
    max_buffered_bytes_.store(bytes, std::memory_order_release);
  }

  // Loop thread: takes the queued operations, in order, and allows the next post to schedule.
  std::vector<Op> TakeOps();
  // Loop thread: the connection is gone; drops queued operations and refuses later ones.
  void Cancel();
  // Loop thread: the client half-closed its side of the connection.
  void MarkClientGone() { client_gone_.store(true, std::memory_order_release); }
  // Loop thread: `bytes` of streamed data reached the socket.
  void Release(size_t bytes);
  // Loop thread: while true, posts made on this (the loop) thread do not schedule the exchange,
  // because the connection takes the operations itself once the handler returns; this saves a
  // uv_async wake-up for every answer given inside the handler.
  void set_dispatching(bool dispatching) {
    dispatching_.store(dispatching, std::memory_order_release);
  }
  // Loop thread: the connection writing this exchange, or nullptr once it is finished or gone.
  Connection* connection() const { return connection_; }
  void set_connection(Connection* connection) { connection_ = connection; }

 private:
  std::shared_ptr<CompletionQueue> queue_;
  std::atomic<size_t> max_buffered_bytes_;
  std::mutex mu_;
  std::vector<Op> ops_;     // guarded by mu_
  bool scheduled_ = false;  // guarded by mu_: on the queue, not yet taken
  std::atomic<bool> cancelled_{false};
  std::atomic<bool> client_gone_{false};
  std::atomic<bool> dispatching_{false};
  const std::thread::id loop_thread_;  // the creating thread
  std::atomic<size_t> buffered_{0};
  Connection* connection_ = nullptr;  // loop thread only
};

}  // namespace silt::http
