#include "aggregator/app/aggregator_server.h"

#include <signal.h>

#include <utility>

namespace silt::aggregator {

AggregatorServer::AggregatorServer(AggregatorConfig config, log::Logger* logger)
    : config_(std::move(config)), logger_(logger), log_(logger, "aggregator") {}

AggregatorServer::~AggregatorServer() = default;

int AggregatorServer::Run() {
  if (uv_loop_init(&loop_) != 0) {
    log_.Error("cannot create the event loop");
    return 1;
  }
  int exit_code = 0;
  Status started = Start();
  if (!started.ok()) {
    log_.Error("cannot start", {{"error", started}});
    exit_code = 1;
    listener_.reset();
    syslog_.reset();
    CloseSignals();
  }
  uv_run(&loop_, UV_RUN_DEFAULT);
  listener_.reset();
  syslog_.reset();
  uv_run(&loop_, UV_RUN_DEFAULT);  // frees what the listener's destruction closed
  if (!StopEngine()) exit_code = 1;
  const int rc = uv_loop_close(&loop_);
  if (rc != 0) {
    log_.Error("event loop closed with handles still open", {{"error", uv_strerror(rc)}});
    return 1;
  }
  log_.Info("stopped", {{"exit_code", exit_code}});
  return exit_code;
}

Status AggregatorServer::Start() {
  // Signals first: a SIGTERM during recovery (which can take a while on a large data dir) waits
  // in libuv until the loop runs, then drains and stops cleanly instead of killing the process.
  AddSignal(SIGINT);
  AddSignal(SIGTERM);
  AddSignal(SIGHUP);
  engine::EngineOptions options = config_.storage;
  options.fs = &fs_;
  options.clock = &clock_;
  options.logger = logger_;
  options.data_dir = config_.data_dir;
  SILT_ASSIGN_OR_RETURN(engine_, engine::StorageEngine::Open(options));
  engine::StorageEngine* engine = engine_.get();
  auto push = [engine](engine::PushRequest request, engine::PushCallback done) {
    return engine->Push(std::move(request), std::move(done));
  };
  SILT_ASSIGN_OR_RETURN(listener_, server::AgentListener::Start(&loop_, config_.agent_listener,
                                                                push, &registry_, logger_,
                                                                &clock_));
  const auto& listen = config_.agent_listener.listen;
  log_.Info("agent listener ready",
            {{"address", listener_->address()},
             {"tls", listen.tls.has_value()},
             {"data_dir", config_.data_dir}});
  if (config_.syslog.tcp_enabled || config_.syslog.udp_enabled) {
    SILT_ASSIGN_OR_RETURN(syslog_, ingest::SyslogService::Start(&loop_, config_.syslog, push,
                                                                &registry_, logger_, &clock_));
  }
  return Status::Ok();
}

void AggregatorServer::AddSignal(int signum) {
  auto* handle = new uv_signal_t;
  uv_signal_init(&loop_, handle);
  handle->data = this;
  uv_signal_start(
      handle,
      [](uv_signal_t* signal, int number) {
        static_cast<AggregatorServer*>(signal->data)->OnSignal(number);
      },
      signum);
  signals_.push_back(handle);
}

void AggregatorServer::OnSignal(int signum) {
  if (signum == SIGHUP) {
    Status reloaded = listener_->Reload();
    if (reloaded.ok() && syslog_ != nullptr) reloaded = syslog_->Reload();
    if (reloaded.ok()) {
      log_.Info("SIGHUP: agent listener TLS files reloaded");
    } else {
      log_.Error("SIGHUP: reload failed; the previous certificate stays in use",
                 {{"error", reloaded}});
    }
    return;
  }
  Shutdown(signum == SIGINT ? "SIGINT" : "SIGTERM");
}

void AggregatorServer::Shutdown(const char* reason) {
  if (stopping_) {
    log_.Info("already shutting down", {{"signal", reason}});
    return;
  }
  stopping_ = true;
  log_.Info("shutting down", {{"reason", reason}, {"sessions", listener_->session_count()}});
  // The signal handles stay until the drain is over, so a repeated SIGTERM is not fatal.
  drains_pending_ = syslog_ != nullptr ? 2 : 1;
  auto drained = [this](const char* what) {
    log_.Info(what);
    if (--drains_pending_ == 0) CloseSignals();
  };
  listener_->Drain([drained] { drained("agent connections drained"); });
  if (syslog_ != nullptr) syslog_->Drain([drained] { drained("syslog listeners drained"); });
}

void AggregatorServer::CloseSignals() {
  for (uv_signal_t* handle : signals_) {
    uv_close(reinterpret_cast<uv_handle_t*>(handle),
             [](uv_handle_t* closed) { delete reinterpret_cast<uv_signal_t*>(closed); });
  }
  signals_.clear();
}

bool AggregatorServer::StopEngine() {
  if (engine_ == nullptr) return true;
  bool ok = true;
  Status flushed = engine_->Flush(engine::StorageEngine::FlushScope::kAll);
  if (!flushed.ok()) {
    log_.Error("flush at shutdown failed; the WAL still holds the data", {{"error", flushed}});
    ok = false;
  }
  Status closed = engine_->Close();
  if (!closed.ok()) {
    log_.Error("storage engine closed with an error", {{"error", closed}});
    ok = false;
  }
  engine_.reset();
  return ok;
}

}  // namespace silt::aggregator
