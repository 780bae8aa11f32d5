#include "aggregator/app/aggregator_server.h"

#include <signal.h>

#include <utility>

#include "aggregator/api/status_routes.h"
#include "aggregator/app/engine_metrics.h"
#include "aggregator/config/aggregator_config_yaml.h"

namespace silt::aggregator {

AggregatorServer::AggregatorServer(AggregatorConfig config, log::Logger* logger)
    : config_(std::move(config)), logger_(logger), log_(logger, "aggregator") {}

AggregatorServer::~AggregatorServer() = default;

int AggregatorServer::Run() {
  if (uv_loop_init(&loop_) != 0) {
    log_.Error("cannot create the event loop");
    return 1;
  }
  Status started = Start();
  if (!started.ok()) Fail(started);
  uv_run(&loop_, UV_RUN_DEFAULT);
  if (opener_.joinable()) opener_.join();
  listener_.reset();
  listener_.reset();
  syslog_.reset();
  http_.reset();
  uv_run(&loop_, UV_RUN_DEFAULT);  // frees what the listeners' destruction closed
  // Tails and queries still running end before the engine closes; their answers go nowhere.
  if (tail_ != nullptr) tail_->Shutdown();
  if (query_pool_ != nullptr) query_pool_->Stop();
  if (loki_api_ != nullptr) loki_api_->SetEngine(nullptr);
  push_.reset();
  tail_.reset();
  if (!StopEngine()) exit_code_ = 1;
  const int rc = uv_loop_close(&loop_);
  if (rc != 0) {
    log_.Error("event loop closed with handles still open", {{"error", uv_strerror(rc)}});
    return 1;
  }
  log_.Info("stopped", {{"exit_code", exit_code_}});
  return exit_code_;
}

Status AggregatorServer::Start() {
  // Signals first: a SIGTERM during recovery (which can take a while on a large data dir) waits
  // until recovery is over, then drains and stops cleanly instead of killing the process.
  AddSignal(SIGINT);
  AddSignal(SIGTERM);
  AddSignal(SIGHUP);
  SILT_RETURN_IF_ERROR(RegisterEngineMetrics([this] { return engine_.get(); }, &registry_));
  // HTTP before the engine: /ready (503 until recovery is over) and /metrics answer meanwhile.
  SILT_RETURN_IF_ERROR(StartHttp());
  OpenEngine();
  return Status::Ok();
}

void AggregatorServer::OpenEngine() {
  engine::EngineOptions options = config_.storage;
  options.fs = &fs_;
  options.clock = &clock_;
  options.logger = logger_;
  options.data_dir = config_.data_dir;
  opened_ = new uv_async_t;
  uv_async_init(&loop_, opened_, [](uv_async_t* handle) {
    static_cast<AggregatorServer*>(handle->data)->OnEngineOpened();
  });
  opened_->data = this;
  // Recovery (chunk files, WAL replay) runs on its own thread so the loop keeps serving HTTP.
  opener_ = std::thread([this, options] {
    Result<std::unique_ptr<engine::StorageEngine>> opened = engine::StorageEngine::Open(options);
    open_status_ = opened.status();
    if (opened.ok()) opened_engine_ = std::move(*opened);
    uv_async_send(opened_);
  });
}

void AggregatorServer::OnEngineOpened() {
  opener_.join();
  uv_close(reinterpret_cast<uv_handle_t*>(opened_),
           [](uv_handle_t* closed) { delete reinterpret_cast<uv_async_t*>(closed); });
  opened_ = nullptr;
  engine_ = std::move(opened_engine_);
  Status started = open_status_;
  if (started.ok() && stopping_) {
    log_.Info("storage engine open; stopping as asked during recovery");
    StopHttp([this] { CloseSignals(); });
    return;
  }
  if (started.ok()) started = StartListeners();
  if (!started.ok()) Fail(started);
}

Status AggregatorServer::StartListeners() {
  engine::StorageEngine* engine = engine_.get();
  if (loki_api_ != nullptr) loki_api_->SetEngine(engine);
  auto push = [engine](engine::PushRequest request, engine::PushCallback done) {
    return engine->Push(std::move(request), std::move(done));
  };
  SILT_ASSIGN_OR_RETURN(
      listener_, server::AgentListener::Start(&loop_, config_.agent_listener, push, &registry_,
                                              logger_, &clock_));
  const auto& listen = config_.agent_listener.listen;
  log_.Info("agent listener ready", {{"address", listener_->address()},
                                     {"tls", listen.tls.has_value()},
                                     {"data_dir", config_.data_dir}});
  if (config_.syslog.tcp_enabled || config_.syslog.udp_enabled) {
    SILT_ASSIGN_OR_RETURN(syslog_, ingest::SyslogService::Start(&loop_, config_.syslog, push,
                                                                &registry_, logger_, &clock_));
  }
  if (http_ != nullptr) SILT_RETURN_IF_ERROR(StartHttpIngest());
  return Status::Ok();
}

void AggregatorServer::Fail(const Status& why) {
  log_.Error("cannot start", {{"error", why}});
  exit_code_ = 1;
  stopping_ = true;
  listener_.reset();
  syslog_.reset();
  http_.reset();
  CloseSignals();
}

Status AggregatorServer::StartHttp() {
  const HttpApiConfig& c = config_.http;
  if (!c.enabled) return Status::Ok();
  const size_t workers = c.query_workers != 0 ? c.query_workers : api::DefaultQueryWorkers();
  query_pool_ = std::make_unique<api::QueryPool>(workers);
  api::LokiApiOptions options;
  options.pool = query_pool_.get();
  options.query.clock = &clock_;
  options.query.timeout_ns = c.query_timeout_ns;
  options.query.max_query_memory_bytes = c.max_query_memory_bytes;
  options.query.max_query_memory_name = "http.max_query_memory";
  options.query.max_entries_limit = c.max_entries_limit_per_query;
  loki_api_ = std::make_unique<api::LokiApi>(std::move(options));
  http::Router router;
  SILT_RETURN_IF_ERROR(AddRoutes(&router));
  http::ServerOptions server = c.server;
  server.logger = logger_;
  server.metrics = &registry_;
  server.clock = &clock_;
  SILT_ASSIGN_OR_RETURN(http_,
                        http::HttpServer::Start(&loop_, std::move(server), std::move(router)));
  log_.Info("http listener ready", {{"address", http_->address()}, {"query_workers", workers}});
  return Status::Ok();
}

Status AggregatorServer::AddRoutes(http::Router* router) {
  SILT_RETURN_IF_ERROR(loki_api_->AddRoutes(router));
  // Push and tail need the storage engine: until recovery is over they answer 503, as /ready.
  auto starting = [](http::Responder& responder) {
    http::Response response = http::Response::Error(
        503, "the storage engine is still recovering (WAL replay); retry when /ready says ready");
    response.headers.Set("Retry-After", "1");
    responder.Respond(std::move(response));
  };
  SILT_RETURN_IF_ERROR(router->Add("POST", "/loki/api/v1/push",
                                   [this, starting](http::Request r, http::Responder a) {
                                     if (push_ == nullptr) return starting(a);
                                     push_->HandleLokiPush(std::move(r), std::move(a));
                                   }));
  SILT_RETURN_IF_ERROR(
      router->Add("POST", "/api/v1/logs", [this, starting](http::Request r, http::Responder a) {
        if (push_ == nullptr) return starting(a);
        push_->HandleSimpleLogs(std::move(r), std::move(a));
      }));
  SILT_RETURN_IF_ERROR(
      router->Add("GET", "/loki/api/v1/tail", [this, starting](http::Request r, http::Responder a) {
        if (tail_ == nullptr) return starting(a);
        tail_->Handle(std::move(r), std::move(a));
      }));
  api::StatusRoutesOptions status;
  status.registry = &registry_;
  status.config_yaml = EncodeAggregatorConfigYaml(config_);
  status.build = api::CurrentBuildInfo();
  return api::AddStatusRoutes(status, router);
}

Status AggregatorServer::StartHttpIngest() {
  const HttpApiConfig& c = config_.http;
  ingest::PushHandlerOptions push;
  push.engine = engine_.get();
  push.clock = &clock_;
  push.metrics = &registry_;
  push.limits = config_.limits;
  api::QueryPool* pool = query_pool_.get();
  // After Stop() the pool refuses jobs and the push handler answers 503.
  push.executor = [pool](std::function<void()> job) { return pool->Submit(std::move(job)); };
  push.max_decompressed_bytes = c.server.max_decoded_body_bytes;
  push.pipeline = c.push_pipeline;
  push.logger = logger_;
  SILT_ASSIGN_OR_RETURN(push_, ingest::PushHandler::Create(std::move(push)));
  tail::TailOptions tail;
  tail.clock = &clock_;
  tail.logger = logger_;
  tail.max_tails = c.tail_max_connections;
  tail.limits.default_limit = c.tail_default_limit;
  tail.limits.max_limit = c.tail_max_limit != 0 ? c.tail_max_limit : c.max_entries_limit_per_query;
  tail.limits.max_delay_for_ns = c.tail_max_delay_for_ns;
  tail.max_send_buffer_bytes = c.tail_send_buffer_bytes;
  tail.max_queued_entries = c.tail_max_queued_entries;
  tail.max_query_memory_bytes = c.max_query_memory_bytes;
  tail_ = std::make_unique<tail::TailHandler>(engine_.get(), tail);
  return Status::Ok();
}

void AggregatorServer::StopHttp(std::function<void()> done) {
  if (http_ == nullptr) return done();
  http_->Shutdown([this, done = std::move(done)] {
    log_.Info("http listener stopped");
    done();
  });
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
  if (signum == SIGHUP && listener_ == nullptr) {
    log_.Info("SIGHUP ignored: still starting");
    return;
  }
  if (signum == SIGHUP) {
    Status reloaded = listener_->Reload();
    if (reloaded.ok() && syslog_ != nullptr) reloaded = syslog_->Reload();
    if (reloaded.ok() && http_ != nullptr) reloaded = http_->ReloadTls();
    if (reloaded.ok()) {
      log_.Info("SIGHUP: TLS files reloaded (agent listener, syslog, HTTP)");
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
  if (listener_ == nullptr) {
    // Recovery is still running; OnEngineOpened finishes the shutdown.
    log_.Info("shutting down after recovery", {{"reason", reason}});
    return;
  }
  log_.Info("shutting down", {{"reason", reason}, {"sessions", listener_->session_count()}});
  // The signal handles stay until the drain is over, so a repeated SIGTERM is not fatal.
  drains_pending_ = syslog_ != nullptr ? 2 : 1;
  auto drained = [this](const char* what) {
    log_.Info(what);
    if (--drains_pending_ > 0) return;
    // Live tails get close 1001 before the HTTP server stops answering.
    if (tail_ != nullptr) tail_->Shutdown();
    StopHttp([this] { CloseSignals(); });
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
