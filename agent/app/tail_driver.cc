#include "agent/app/tail_driver.h"

#include <cassert>
#include <utility>

namespace silt::agent {
namespace {

uint64_t ToMillis(int64_t ns) {
  return ns <= 0 ? 0 : static_cast<uint64_t>((ns + 999'999) / 1'000'000);
}

TailDriver* Owner(void* data) { return static_cast<TailDriver*>(data); }

template <typename Handle>
Handle* NewHandle(void* owner) {
  auto* handle = new Handle;
  handle->data = owner;
  return handle;
}

template <typename Handle>
void CloseHandle(Handle*& handle) {
  if (handle == nullptr) return;
  auto* base = reinterpret_cast<uv_handle_t*>(handle);
  base->data = nullptr;
  uv_close(base, [](uv_handle_t* closed) { delete reinterpret_cast<Handle*>(closed); });
  handle = nullptr;
}

}  // namespace

TailDriver::TailDriver(uv_loop_t* loop, TailerSet* tailers, const time::Clock* clock,
                       log::Logger* logger, Options options, AfterCall after_call)
    : loop_(loop),
      tailers_(tailers),
      clock_(clock),
      log_(logger, "agent"),
      options_(options),
      after_call_(std::move(after_call)) {
  idle_ = NewHandle<uv_idle_t>(this);
  uv_idle_init(loop_, idle_);
  read_timer_ = NewHandle<uv_timer_t>(this);
  uv_timer_init(loop_, read_timer_);
  linger_timer_ = NewHandle<uv_timer_t>(this);
  uv_timer_init(loop_, linger_timer_);
  save_timer_ = NewHandle<uv_timer_t>(this);
  uv_timer_init(loop_, save_timer_);
}

TailDriver::~TailDriver() { Close(); }

void TailDriver::Start() {
  const uint64_t read_ms = ToMillis(options_.read_interval_ns);
  uv_timer_start(
      read_timer_,
      [](uv_timer_t* timer) {
        if (timer->data != nullptr) Owner(timer->data)->StartIdle();
      },
      read_ms, read_ms);
  const uint64_t save_ms = ToMillis(options_.save_interval_ns);
  uv_timer_start(
      save_timer_,
      [](uv_timer_t* timer) {
        if (timer->data != nullptr) Owner(timer->data)->SavePositions().IgnoreError();  // logged
      },
      save_ms, save_ms);
}

void TailDriver::Close() {
  if (closed_) return;
  closed_ = true;
  CloseHandle(idle_);
  CloseHandle(read_timer_);
  CloseHandle(linger_timer_);
  CloseHandle(save_timer_);
}

void TailDriver::OnRescan(const std::vector<std::string>& paths) {
  if (closed_) return;
  tailers_->OnRescan(paths);
  if (after_call_) after_call_();
  if (!first_rescan_done_) {
    first_rescan_done_ = true;
    SavePositions().IgnoreError();  // logged
  }
  SaveIfNewSources();
  StartIdle();
}

void TailDriver::OnPathsChanged(const std::vector<std::string>& paths) {
  if (closed_) return;
  for (const std::string& path : paths) tailers_->OnPathChanged(path);
  if (after_call_) after_call_();
  SaveIfNewSources();
  RequestPoll();
}

Status TailDriver::SavePositions() {
  if (options_.before_save) options_.before_save();
  files_opened_at_save_ = tailers_->files_opened();
  sources_at_save_ = tailers_->sources_started();
  Status status = tailers_->Flush(clock_->WallNanos());
  if (after_call_ && !closed_) after_call_();
  if (!status.ok()) {
    ++save_errors_;
    if (!save_failing_) log_.Error("cannot save positions; retrying", {{"error", status}});
    save_failing_ = true;
  } else if (save_failing_) {
    log_.Info("positions saved again after failures");
    save_failing_ = false;
  }
  return status;
}

// A file tracked anew (a new file, app.log recreated by a rotation, a file continued in its
// copy) or a new source (also a truncated file read again from its start) is written to the
// positions file at once rather than at the next save_interval: if the agent dies and the file is
// rotated away before it restarts, the saved identity is what lets the restarted agent find it
// under its new name, and the saved id is what lets the aggregator recognise lines it already
// stored (a restarted agent would otherwise give them a new id).
void TailDriver::SaveIfNewSources() {
  if (closed_ || (tailers_->files_opened() == files_opened_at_save_ &&
                  tailers_->sources_started() == sources_at_save_)) {
    return;
  }
  SavePositions().IgnoreError();  // logged
}

void TailDriver::SetPaused(bool paused) {
  paused_ = paused;
  if (!paused_) StartIdle();
}

void TailDriver::RequestPoll() {
  if (closed_) return;
  if (options_.linger_ns <= 0) {
    StartIdle();
    return;
  }
  if (uv_is_active(reinterpret_cast<uv_handle_t*>(linger_timer_))) return;
  uv_timer_start(
      linger_timer_,
      [](uv_timer_t* timer) {
        if (timer->data != nullptr) Owner(timer->data)->StartIdle();
      },
      ToMillis(options_.linger_ns), 0);
}

void TailDriver::StartIdle() {
  if (closed_ || paused_) return;
  uv_idle_start(idle_, [](uv_idle_t* idle) {
    if (idle->data != nullptr) Owner(idle->data)->PollOnce();
  });
}

void TailDriver::PollOnce() {
  if (paused_) {
    uv_idle_stop(idle_);
    return;
  }
  const PollResult result = tailers_->Poll(clock_->MonotonicNanos());
  ++polls_;
  if (after_call_) after_call_();
  SaveIfNewSources();
  if (!result.more && idle_ != nullptr) uv_idle_stop(idle_);
}

}  // namespace silt::agent
