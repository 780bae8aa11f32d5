// Test fixtures for shared/net: run a loop until a condition holds (with a deadline, never a
// sleep), a StreamHandler that records what happened, a listener that keeps what it accepts, and
// a blocking Connect for test bodies. Single-threaded, like the loop they drive.
#pragma once

#include <uv.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/log/logger.h"
#include "shared/log/memory_sink.h"
#include "shared/net/byte_stream.h"
#include "shared/net/stream_connector.h"
#include "shared/net/stream_listener.h"

namespace silt::net::testing {

// Runs `loop` until `done()` is true or `deadline` has passed; returns done().
bool RunUntil(uv_loop_t* loop, const std::function<bool()>& done,
              std::chrono::milliseconds deadline = std::chrono::seconds(30));

// Runs `loop` until nothing is left to do, then returns uv_loop_close(loop).
int DrainAndCloseLoop(uv_loop_t* loop);

class Recorder : public StreamHandler {
 public:
  void OnData(std::string_view bytes) override;
  void OnDrained() override;
  void OnClosed(const Status& why) override;

  std::string data;
  int data_calls = 0;
  int drained = 0;
  std::optional<Status> closed;
  int closed_calls = 0;
  // Optional extra behaviour, run after recording.
  std::function<void(std::string_view)> on_data;
  std::function<void()> on_drained;
};

struct AcceptedStream {
  std::unique_ptr<ByteStream> stream;
  std::unique_ptr<Recorder> recorder;
};

// A StreamListener whose accepted streams get a Recorder each (set as handler at once unless
// `set_handler` is false) and are kept until the TestListener goes away.
class TestListener {
 public:
  TestListener(uv_loop_t* loop, log::Logger* logger, ListenOptions options);
  ~TestListener();

  const Status& start_status() const { return start_status_; }
  StreamListener& listener() { return *listener_; }
  int port() const { return listener_->port(); }
  std::vector<std::unique_ptr<AcceptedStream>>& accepted() { return accepted_; }

  bool set_handler = true;
  // Called after the Recorder is attached (e.g. to make it echo).
  std::function<void(AcceptedStream&)> on_accept;

 private:
  Status start_status_;
  std::unique_ptr<StreamListener> listener_;
  std::vector<std::unique_ptr<AcceptedStream>> accepted_;
};

// Makes `recorder` write back everything `stream` receives.
void Echo(ByteStream* stream, Recorder* recorder);

// Connect() and run the loop until it finishes.
Result<std::unique_ptr<ByteStream>> ConnectNow(uv_loop_t* loop, ConnectOptions options);

// A deterministic pseudo-random payload of `size` bytes.
std::string Payload(size_t size, unsigned seed = 1);

}  // namespace silt::net::testing
