#include "aggregator/tail/tail_handler.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "aggregator/logql/exec/log_query_executor.h"
#include "aggregator/logql/exec/query_plan.h"
#include "shared/http/response.h"

namespace silt::tail {
namespace {

constexpr std::string_view kComponent = "tail";

}  // namespace

TailHandler::TailHandler(engine::StorageEngine* engine, TailOptions options)
    : engine_(engine), options_(std::move(options)) {
  worker_ = std::thread([this] { WorkerLoop(); });
}

TailHandler::~TailHandler() { Shutdown(); }

void TailHandler::Handle(http::Request request, http::Responder responder) {
  Result<TailRequest> parsed =
      ParseTailRequest(request, options_.limits, options_.clock->WallNanos());
  if (!parsed.ok()) {
    responder.Respond(http::Response::FromStatus(parsed.status()));
    return;
  }
  std::unique_lock lock(mu_);
  if (stopping_) {
    lock.unlock();
    responder.Respond(http::Response::Error(503, "the server is shutting down"));
    return;
  }
  if (active_.load(std::memory_order_acquire) >= options_.max_tails) {
    lock.unlock();
    responder.Respond(http::Response::Error(429, "max concurrent tail requests limit exceeded (" +
                                                     std::to_string(options_.max_tails) +
                                                     "); close another tail or raise the limit"));
    return;
  }
  active_.fetch_add(1, std::memory_order_acq_rel);
  auto session = std::make_shared<TailSession>(std::move(*parsed), options_.max_reported_drops);
  // Subscribed before the backfill is read, so nothing pushed in between is missed.
  engine::LiveSubscription subscription;
  subscription.tenant = session->request().tenant;
  subscription.max_queued_entries = options_.max_queued_entries;
  subscription.max_reported_drops = options_.max_reported_drops;
  subscription.callback = [session, clock = options_.clock](const engine::LiveDelivery& delivery) {
    session->OnDelivery(delivery, clock->MonotonicNanos());
  };
  const uint64_t id = engine_->live_feed().Subscribe(std::move(subscription));
  pending_.push_back(Pending{std::move(request), std::move(responder), std::move(session), id});
  cv_.notify_all();
}

void TailHandler::WorkerLoop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (!pending_.empty()) {
      Pending next = std::move(pending_.front());
      pending_.pop_front();
      lock.unlock();
      StartTail(std::move(next));
      lock.lock();
      continue;
    }
    lock.unlock();
    FlushAll();
    lock.lock();
    if (stopping_ || !pending_.empty()) continue;
    if (live_.empty()) {
      cv_.wait(lock);
    } else {
      cv_.wait_for(lock, std::chrono::nanoseconds(options_.flush_interval_ns));
    }
  }
}

Result<std::vector<TailEntry>> TailHandler::Backfill(const TailRequest& request) const {
  std::vector<TailEntry> entries;
  logql::exec::LogQueryRange range;
  range.from = request.start_ns;
  range.through = options_.clock->WallNanos() + 1;
  range.direction = store::Direction::kBackward;  // the newest `limit` entries, as Loki
  range.limit = request.limit;
  if (range.from >= range.through) return entries;  // a start in the future: nothing yet
  SILT_ASSIGN_OR_RETURN(logql::exec::LogQueryPlan plan,
                        logql::exec::PlanLogQuery(request.query, range));
  logql::exec::ExecutorOptions executor;
  executor.clock = options_.clock;
  executor.timeout_ns = options_.query_timeout_ns;
  executor.max_entries_limit = options_.limits.max_limit;
  executor.max_query_memory_bytes = options_.max_query_memory_bytes;
  SILT_ASSIGN_OR_RETURN(
      logql::exec::LogQueryResult result,
      logql::exec::ExecuteLogQuery(*engine_, request.tenant, plan, *request.pipeline, executor));
  for (logql::exec::LogStream& stream : result.streams) {
    for (logql::exec::LogEntry& entry : stream.entries) {
      entries.push_back(TailEntry{stream.labels, entry.timestamp, std::move(entry.line)});
    }
  }
  std::stable_sort(entries.begin(), entries.end(), [](const TailEntry& a, const TailEntry& b) {
    return a.timestamp < b.timestamp;
  });
  return entries;
}

void TailHandler::StartTail(Pending pending) {
  Result<std::vector<TailEntry>> backfill = Backfill(pending.session->request());
  if (!backfill.ok()) {
    End(Live{pending.session, pending.subscription});
    pending.responder.Respond(http::Response::FromStatus(backfill.status()));
    return;
  }
  http::WebSocketOptions websocket;
  websocket.max_send_buffer_bytes = options_.max_send_buffer_bytes;
  websocket.ping_interval = options_.ping_interval_ns;
  websocket.idle_timeout = options_.idle_timeout_ns;
  // Loki ignores what a tail client sends; so does Silt (pings are answered by the server).
  std::weak_ptr<TailSession> weak = pending.session;
  websocket.on_close = [weak](uint16_t, std::string_view) {
    if (std::shared_ptr<TailSession> session = weak.lock()) session->MarkClosed();
  };
  Result<std::shared_ptr<http::WebSocket>> socket =
      pending.responder.AcceptWebSocket(pending.request, std::move(websocket));
  if (!socket.ok()) {  // answered with 400 or 426
    End(Live{pending.session, pending.subscription});
    return;
  }
  if (options_.logger != nullptr) {
    options_.logger->Debug(kComponent, "tail started",
                           {{"tenant", pending.session->request().tenant},
                            {"query", pending.session->request().query_text},
                            {"backfill", backfill->size()}});
  }
  pending.session->Start(*socket, std::move(*backfill), options_.clock->MonotonicNanos());
  std::lock_guard lock(mu_);
  live_.push_back(Live{std::move(pending.session), pending.subscription});
}

void TailHandler::FlushAll() {
  std::vector<Live> live;
  {
    std::lock_guard lock(mu_);
    live = live_;
  }
  std::vector<Live> ended;
  for (const Live& tail : live) {
    if (!tail.session->Flush(options_.clock->MonotonicNanos())) ended.push_back(tail);
  }
  if (ended.empty()) return;
  for (const Live& tail : ended) End(tail);
  std::lock_guard lock(mu_);
  std::erase_if(live_, [&](const Live& tail) {
    return std::any_of(ended.begin(), ended.end(),
                       [&](const Live& e) { return e.session == tail.session; });
  });
}

void TailHandler::End(const Live& live) {
  engine_->live_feed().Unsubscribe(live.subscription);
  live.session->MarkClosed();
  dropped_finished_.fetch_add(live.session->stats().entries_dropped, std::memory_order_relaxed);
  active_.fetch_sub(1, std::memory_order_acq_rel);
}

uint64_t TailHandler::dropped_entries() const {
  uint64_t total = dropped_finished_.load(std::memory_order_relaxed);
  std::lock_guard lock(mu_);
  for (const Live& live : live_) total += live.session->stats().entries_dropped;
  return total;
}

void TailHandler::Shutdown() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !worker_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
  std::deque<Pending> pending;
  std::vector<Live> live;
  {
    std::lock_guard lock(mu_);
    pending.swap(pending_);
    live.swap(live_);
  }
  for (Pending& tail : pending) {
    End(Live{tail.session, tail.subscription});
    tail.responder.Respond(http::Response::Error(503, "the server is shutting down"));
  }
  for (const Live& tail : live) {
    tail.session->Close(http::kCloseGoingAway, "server shutting down");
    End(tail);
  }
}

Status AddTailRoutes(http::Router* router, TailHandler* handler) {
  return router->Add("GET", "/loki/api/v1/tail",
                     [handler](http::Request request, http::Responder responder) {
                       handler->Handle(std::move(request), std::move(responder));
                     });
}

}  // namespace silt::tail
