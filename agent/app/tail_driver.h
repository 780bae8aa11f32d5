// TailDriver: runs a TailerSet on a libuv loop as agent/tailer/README.md ("Driving it") says.
// It is the DiscoveryListener, so discovery's calls reach the TailerSet here:
//
//   OnRescan / OnPathsChanged   forwarded, then a read is requested
//   reading                     Poll(monotonic now) from an idle handle, again on every loop
//                               iteration while it returns `more`; a read requested by events
//                               waits `linger` first so bursts of writes make bigger batches;
//                               the read timer (`read_interval`) polls too, which also drains
//                               and closes rotated files whose names match no glob
//   saving                      Flush(wall now) right after the first rescan, every
//                               `save_interval`, and from SavePositions() at shutdown
//
// After every call into the TailerSet it runs `after_call` (the agent logs events and checks the
// sink there). SetPaused(true) stops reading (a full sink) until SetPaused(false).
//
// Thread-safety: loop thread only. Handles are heap-allocated and freed by their close callbacks;
// Close() before the loop is closed.
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "agent/discovery/discovery.h"
#include "agent/tailer/tailer_set.h"
#include "shared/log/logger.h"
#include "shared/time/clock.h"

namespace silt::agent {

class TailDriver final : public DiscoveryListener {
 public:
  struct Options {
    int64_t read_interval_ns = 250'000'000;
    int64_t linger_ns = 100'000'000;
    int64_t save_interval_ns = 1'000'000'000;
    // Called at the start of every positions save (timer, new sources, shutdown): where the
    // output makes what it wrote durable and confirms it (JsonlSink::Sync), so the save that
    // follows counts only durable lines. Empty: nothing.
    std::function<void()> before_save;
  };
  using AfterCall = std::function<void()>;

  // The pointers must outlive the driver.
  TailDriver(uv_loop_t* loop, TailerSet* tailers, const time::Clock* clock, log::Logger* logger,
             Options options, AfterCall after_call);
  ~TailDriver() override;
  TailDriver(const TailDriver&) = delete;
  TailDriver& operator=(const TailDriver&) = delete;

  // Starts the read and save timers.
  void Start();
  // Stops reading and saving and starts closing the handles (the loop must run once more).
  void Close();

  void OnRescan(const std::vector<std::string>& paths) override;
  void OnPathsChanged(const std::vector<std::string>& paths) override;

  // Writes the positions file now if it changed. Returns TailerSet::Flush's status (also logged
  // when it starts or stops failing).
  Status SavePositions();
  void SetPaused(bool paused);

  uint64_t polls() const { return polls_; }
  uint64_t save_errors() const { return save_errors_; }

 private:
  void RequestPoll();
  void SaveIfNewSources();
  void StartIdle();
  void PollOnce();

  uv_loop_t* const loop_;
  TailerSet* const tailers_;
  const time::Clock* const clock_;
  log::ComponentLogger log_;
  const Options options_;
  AfterCall after_call_;
  uv_idle_t* idle_ = nullptr;
  uv_timer_t* read_timer_ = nullptr;
  uv_timer_t* linger_timer_ = nullptr;
  uv_timer_t* save_timer_ = nullptr;
  bool first_rescan_done_ = false;
  uint64_t files_opened_at_save_ = 0;  // TailerSet::files_opened() when positions were saved
  uint64_t sources_at_save_ = 0;       // TailerSet::sources_started() then
  bool paused_ = false;
  bool closed_ = false;
  bool save_failing_ = false;
  uint64_t polls_ = 0;
  uint64_t save_errors_ = 0;
};

}  // namespace silt::agent
