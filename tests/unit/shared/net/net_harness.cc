#include "tests/unit/shared/net/net_harness.h"

#include <gtest/gtest.h>

#include <utility>

namespace silt::net::testing {
namespace {

struct Tick {
  uv_timer_t timer;
};

}  // namespace

bool RunUntil(uv_loop_t* loop, const std::function<bool()>& done,
              std::chrono::milliseconds deadline) {
  // A repeating timer keeps uv_run(UV_RUN_ONCE) from blocking forever, so the deadline is seen.
  auto* tick = new Tick();
  uv_timer_init(loop, &tick->timer);
  uv_timer_start(&tick->timer, [](uv_timer_t*) {}, 5, 5);
  const auto end = std::chrono::steady_clock::now() + deadline;
  bool ok = done();
  while (!ok && std::chrono::steady_clock::now() < end) {
    uv_run(loop, UV_RUN_ONCE);
    ok = done();
  }
  uv_close(reinterpret_cast<uv_handle_t*>(&tick->timer),
           [](uv_handle_t* handle) { delete reinterpret_cast<Tick*>(handle); });
  uv_run(loop, UV_RUN_NOWAIT);
  return ok;
}

int DrainAndCloseLoop(uv_loop_t* loop) {
  for (int i = 0; i < 100 && uv_run(loop, UV_RUN_NOWAIT) != 0; ++i) {
  }
  uv_run(loop, UV_RUN_DEFAULT);
  return uv_loop_close(loop);
}

void Recorder::OnData(std::string_view bytes) {
  data.append(bytes);
  ++data_calls;
  if (on_data) on_data(bytes);
}

void Recorder::OnDrained() {
  ++drained;
  if (on_drained) on_drained();
}

void Recorder::OnClosed(const Status& why) {
  closed = why;
  ++closed_calls;
}

TestListener::TestListener(uv_loop_t* loop, log::Logger* logger, ListenOptions options) {
  auto listener = StreamListener::Start(
      loop, std::move(options),
      [this](std::unique_ptr<ByteStream> stream) {
        auto accepted = std::make_unique<AcceptedStream>();
        accepted->stream = std::move(stream);
        accepted->recorder = std::make_unique<Recorder>();
        if (set_handler) accepted->stream->SetHandler(accepted->recorder.get());
        if (on_accept) on_accept(*accepted);
        accepted_.push_back(std::move(accepted));
      },
      logger);
  if (listener.ok()) {
    listener_ = std::move(*listener);
  } else {
    start_status_ = listener.status();
  }
}

TestListener::~TestListener() = default;

void Echo(ByteStream* stream, Recorder* recorder) {
  recorder->on_data = [stream](std::string_view bytes) { stream->Write(std::string(bytes)); };
}

Result<std::unique_ptr<ByteStream>> ConnectNow(uv_loop_t* loop, ConnectOptions options) {
  std::optional<Result<std::unique_ptr<ByteStream>>> result;
  auto pending = Connect(loop, std::move(options),
                         [&](Result<std::unique_ptr<ByteStream>> r) { result = std::move(r); });
  if (!RunUntil(loop, [&] { return result.has_value(); })) {
    return Status::Unavailable("test: Connect did not finish in time");
  }
  return std::move(*result);
}

std::string Payload(size_t size, unsigned seed) {
  std::string out(size, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < size; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    out[i] = static_cast<char>(x);
  }
  return out;
}

}  // namespace silt::net::testing
