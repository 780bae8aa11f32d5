#include "aggregator/ingest/syslog/batch_pusher.h"

#include <utility>

namespace silt::ingest {

BatchPusher::BatchPusher(const SyslogEnv* env, std::string transport, bool retry_when_exhausted)
    : env_(env),
      transport_(std::move(transport)),
      retry_when_exhausted_(retry_when_exhausted),
      log_(env->logger, "syslog-" + transport_) {}

BatchPusher::~BatchPusher() {
  if (retrying()) env_->timers->Cancel(retry_timer_);
}

void BatchPusher::Submit(SyslogBatch batch) {
  if (batch.empty()) return;
  queued_bytes_ += batch.bytes();
  queue_.push_back(std::move(batch));
  if (!retrying()) TrySend();
}

void BatchPusher::TrySend() {
  while (!queue_.empty() && !retrying()) {
    SyslogBatch& batch = queue_.front();
    const size_t bytes = batch.bytes();
    const size_t entries = batch.entry_count();
    std::weak_ptr<BatchPusher> weak = weak_from_this();
    std::shared_ptr<server::CompletionMailbox> mailbox = env_->mailbox;
    Status pushed = env_->push(
        batch.BuildRequest(env_->options->tenant),
        [weak, mailbox, bytes, entries](const Status& status, const engine::PushOutcome& outcome) {
          mailbox->Post([weak, bytes, entries, status, outcome] {
            if (auto self = weak.lock()) self->OnDone(bytes, entries, status, outcome);
          });
        });
    if (!pushed.ok() && pushed.code() == StatusCode::kResourceExhausted && retry_when_exhausted_) {
      env_->metrics->retries->Inc();
      if (!warned_exhausted_) {
        log_.Warn("storage is full; pausing this connection and retrying",
                  {{"error", pushed}, {"retry_ns", env_->options->retry_interval_ns}});
        warned_exhausted_ = true;
      }
      retry_timer_ = env_->timers->Schedule(env_->options->retry_interval_ns, [this] {
        retry_timer_ = time::TimerService::kInvalidTimerId;
        TrySend();
        if (on_progress_) on_progress_();
      });
      return;
    }
    if (pushed.ok()) {
      ++in_flight_;
      in_flight_bytes_ += bytes;
      warned_exhausted_ = false;
    } else {
      log_.Warn("syslog messages dropped: storage refused them",
                {{"entries", entries}, {"tenant", env_->options->tenant}, {"error", pushed}});
      env_->metrics->CountEntries(transport_, "dropped", entries);
    }
    queued_bytes_ -= bytes;
    queue_.pop_front();
  }
}

void BatchPusher::OnDone(size_t bytes, size_t entries, const Status& status,
                         const engine::PushOutcome& outcome) {
  --in_flight_;
  in_flight_bytes_ -= bytes;
  if (status.ok()) {
    log_.Debug("syslog entries stored",
               {{"accepted", outcome.accepted}, {"rejected", outcome.rejected}});
    env_->metrics->CountEntries(transport_, "accepted", outcome.accepted);
    env_->metrics->CountEntries(transport_, "rejected", outcome.rejected);
    if (!outcome.rejections.empty()) {
      log_.Warn("syslog entries rejected by storage",
                {{"rejected", outcome.rejected}, {"first", outcome.rejections.front()}});
    }
  } else {
    log_.Error("syslog messages lost: storage failed to write them",
               {{"entries", entries}, {"error", status}});
    env_->metrics->CountEntries(transport_, "dropped", entries);
  }
  if (on_progress_) on_progress_();
}

}  // namespace silt::ingest
