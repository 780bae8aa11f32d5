#include "agent/app/agent.h"

#include <signal.h>
#include <unistd.h>

#include <cassert>
#include <utility>

#include "agent/config/agent_config_yaml.h"
#include "agent/ship/agent_id.h"
#include "shared/net/stream_connector.h"
#include "shared/time/duration.h"

#ifndef SILT_VERSION
#define SILT_VERSION "unknown"
#endif

namespace silt::agent {
namespace {

constexpr uint64_t kMetricsRefreshMs = 1000;

Agent* Owner(uv_handle_t* handle) { return static_cast<Agent*>(handle->data); }

uint64_t ToMillis(int64_t ns) { return static_cast<uint64_t>((ns + 999'999) / 1'000'000); }

std::string HostName() {
  char name[256] = {};
  if (::gethostname(name, sizeof(name) - 1) != 0) return "unknown";
  return name;
}

net::ConnectOptions ConnectOptionsFor(const AggregatorConfig& a) {
  net::ConnectOptions connect;
  connect.host = a.host;
  connect.port = a.port;
  connect.timeout = std::chrono::milliseconds(ToMillis(a.connect_timeout_ns));
  if (a.tls.enabled) connect.tls = TlsClientOptionsOf(a);
  return connect;
}

ShipperSink::Options ShipperOptionsFor(const AggregatorConfig& a) {
  ShipperSink::Options options;
  options.host = HostName();
  options.agent_version = SILT_VERSION;
  options.token = a.token;
  options.address = a.address;
  options.batch_max_bytes = static_cast<size_t>(a.batch_max_bytes);
  options.linger_ns = a.linger_ns;
  options.max_inflight_batches = a.max_inflight_batches;
  options.max_buffered_bytes = static_cast<size_t>(a.max_buffered_bytes);
  options.backoff_min_ns = a.backoff_min_ns;
  options.backoff_max_ns = a.backoff_max_ns;
  options.handshake_timeout_ns = a.connect_timeout_ns;
  options.seed = EntropySeed();
  return options;
}

TailerSet::Options TailerOptions(const AgentConfig& config, int64_t started_wall_ns) {
  TailerSet::Options options;
  options.read_from = config.read_from;
  options.lines.max_line_size = static_cast<size_t>(config.max_line_size);
  options.lines.oversize_policy = config.max_line_size_policy;
  options.read_chunk_size = static_cast<size_t>(config.read.chunk_size);
  options.batch.max_lines = config.batch.max_lines;
  options.batch.max_bytes = static_cast<size_t>(config.batch.max_bytes);
  options.max_open_rotated = config.limits.max_open_rotated;
  options.rotate_wait_ns = config.limits.rotate_wait_ns;
  options.forget_after_ns = config.limits.forget_after_ns;
  options.ignored_suffixes = config.discovery.ignored_suffixes;
  options.started_wall_ns = started_wall_ns;
  return options;
}

std::vector<WatchRule> WatchRules(const AgentConfig& config) {
  std::vector<WatchRule> rules;
  for (const WatchConfig& watch : config.watches) {
    labels::LabelSetBuilder builder;
    for (const auto& [name, value] : config.labels) builder.Set(name, value);
    for (const auto& [name, value] : watch.labels) builder.Set(name, value);
    rules.push_back(WatchRule{watch.paths, watch.exclude, builder.Build(), watch.path_labels});
  }
  return rules;
}

}  // namespace

Agent::Agent(AgentConfig config, OutputSpec output, log::Logger* logger)
    : config_(std::move(config)),
      output_spec_(std::move(output)),
      logger_(logger),
      log_(logger, "agent"),
      events_(logger) {}

Agent::~Agent() {
  if (loop_ready_) {
    // Run() closed everything unless Build failed half way; close what is left.
    Shutdown(exit_code_, "destroyed");
    uv_run(&loop_, UV_RUN_DEFAULT);
    [[maybe_unused]] const int rc = uv_loop_close(&loop_);
    assert(rc == 0 && "every handle is closed");
  }
}

int Agent::Run() {
  if (uv_loop_init(&loop_) != 0) {
    log_.Error("cannot create the event loop");
    return 1;
  }
  loop_ready_ = true;
  Status built = Build();
  if (!built.ok()) {
    log_.Error("cannot start", {{"error", built}});
    Shutdown(1, "startup failed");
  } else {
    log_.Info("started", {{"watches", config_.watches.size()},
                          {"positions", config_.positions.file},
                          {"output", OutputName()}});
    StartTimers();
    if (shipper_ != nullptr) shipper_->Start();
    discovery_->Start();
  }
  uv_run(&loop_, UV_RUN_DEFAULT);
  const int rc = uv_loop_close(&loop_);
  loop_ready_ = false;
  if (rc != 0) {
    log_.Error("event loop closed with handles still open", {{"error", uv_strerror(rc)}});
    return 1;
  }
  return exit_code_;
}

Status Agent::Build() {
  const std::string dir = fs::ParentDir(config_.positions.file);
  Status made = fs_.CreateDirs(dir);
  if (!made.ok()) return made.WithContext("create the positions directory (positions.file)");
  SILT_ASSIGN_OR_RETURN(positions_lock_, fs_.LockFile(config_.positions.file + ".lock"));
  positions_ = std::make_unique<PositionsStore>(&fs_, config_.positions.file);
  Status loaded = positions_->Load();
  if (!loaded.ok()) {
    log_.Error("cannot load positions; starting from read_from for every file",
               {{"error", loaded}});
  }
  ids_ = std::make_unique<SeededSourceIdGenerator>(EntropySeed());
  SILT_ASSIGN_OR_RETURN(WatchSet watches,
                        WatchSet::Create(WatchRules(config_), config_.discovery.ignored_suffixes));
  watches_.emplace(std::move(watches));
  for (const WatchConfig& watch : config_.watches) {
    std::optional<MultilineRule> rule;
    if (watch.multiline.has_value()) {
      SILT_ASSIGN_OR_RETURN(MultilineRule compiled, MultilineRule::Create(*watch.multiline));
      rule.emplace(std::move(compiled));
    }
    multiline_rules_.push_back(std::move(rule));
  }
  timers_ = std::make_unique<time::UvTimerService>(&loop_);
  SILT_RETURN_IF_ERROR(BuildOutput());
  BuildTailing();
  SILT_ASSIGN_OR_RETURN(metrics_, SelfMetrics::Create(&registry_));
  if (!config_.status.metrics_listen.empty()) {
    SILT_ASSIGN_OR_RETURN(metrics_endpoint_, MetricsEndpoint::Start(
                                                 &loop_, config_.status.metrics_listen, &registry_,
                                                 [this] { metrics_->Update(CollectStats()); },
                                                 EncodeAgentConfigYaml(config_), logger_));
    log_.Info("serving metrics", {{"address", metrics_endpoint_->address()}, {"path", "/metrics"}});
  }
  return Status::Ok();
}

std::string Agent::OutputName() const {
  switch (output_spec_.kind) {
    case OutputSpec::Kind::kNull:
      return "null";
    case OutputSpec::Kind::kAggregator:
      return "aggregator:" + config_.aggregator.value_or(AggregatorConfig{}).address;
    case OutputSpec::Kind::kJsonl:
      break;
  }
  return "jsonl:" + output_spec_.path;
}

Status Agent::BuildShipper() {
  const AggregatorConfig aggregator = config_.aggregator.value_or(AggregatorConfig{});
  // Each connection loads the TLS files again (so renewed certificates are picked up), but files
  // that cannot load now stop the start rather than fail every connection attempt forever.
  SILT_RETURN_IF_ERROR(CheckTlsFiles(aggregator));
  ShipperSink::Options options = ShipperOptionsFor(aggregator);
  Result<std::string> id = LoadOrCreateAgentId(&fs_, fs::ParentDir(config_.positions.file));
  if (!id.ok()) return id.status().WithContext("agent id (next to positions.file)");
  options.agent_id = *id;
  SILT_ASSIGN_OR_RETURN(shipper_metrics_, ShipperMetrics::Create(&registry_));
  shipper_ = std::make_unique<ShipperSink>(
      std::move(options),
      [loop = &loop_, connect = ConnectOptionsFor(aggregator)](net::ConnectFn done) {
        return net::Connect(loop, connect, std::move(done));
      },
      positions_.get(), &clock_, timers_.get(), shipper_metrics_.get(),
      [this](const std::string& path) { return LabelsFor(path); }, logger_);
  log_.Info("shipping to the aggregator",
            {{"address", aggregator.address}, {"tls", aggregator.tls.enabled}, {"agent_id", *id}});
  return Status::Ok();
}

Status Agent::BuildOutput() {
  if (output_spec_.kind == OutputSpec::Kind::kAggregator) return BuildShipper();
  if (output_spec_.kind == OutputSpec::Kind::kNull) {
    null_ = std::make_unique<NullSink>(positions_.get());
    return Status::Ok();
  }
  SILT_ASSIGN_OR_RETURN(
      jsonl_, JsonlSink::Open(output_spec_.path, positions_.get(), &clock_,
                              [this](const std::string& path) { return LabelsFor(path); }));
  return Status::Ok();
}

void Agent::BuildTailing() {
  BatchSink* output = shipper_ != nullptr ? static_cast<BatchSink*>(shipper_.get())
                      : jsonl_ != nullptr ? static_cast<BatchSink*>(jsonl_.get())
                                          : null_.get();
  durable_ = std::make_unique<DurableSourceSink>(positions_.get(), output);
  output = durable_.get();
  const bool any_multiline = std::any_of(multiline_rules_.begin(), multiline_rules_.end(),
                                         [](const auto& rule) { return rule.has_value(); });
  if (any_multiline) {
    joiner_ = std::make_unique<MultilineJoiner>(
        output, timers_.get(), [this](const std::string& path) { return MultilineFor(path); });
    output = joiner_.get();
  }
  tailers_ = std::make_unique<TailerSet>(&fs_, positions_.get(), ids_.get(), output,
                                         TailerOptions(config_, clock_.WallNanos()));
  TailDriver::Options driver;
  driver.read_interval_ns = config_.read.interval_ns;
  driver.linger_ns = config_.batch.linger_ns;
  driver.save_interval_ns = config_.positions.save_interval_ns;
  // A failed sync stops the sink; AfterTailerCall, right after the save, then shuts down.
  if (jsonl_ != nullptr) driver.before_save = [this] { jsonl_->Sync().IgnoreError(); };
  driver_ = std::make_unique<TailDriver>(&loop_, tailers_.get(), &clock_, logger_, driver,
                                         [this] { AfterTailerCall(); });
  Discovery::Options discovery;
  discovery.method = config_.discovery.method;
  discovery.rescan_interval_ns = config_.discovery.rescan_interval_ns;
  discovery.poll_interval_ns = config_.discovery.poll_interval_ns;
  discovery.max_paths = config_.limits.max_open_files;
  discovery.max_inotify_directories = config_.discovery.inotify_max_directories;
  discovery_ = std::make_unique<Discovery>(&loop_, &*watches_, driver_.get(), logger_, discovery);
  if (shipper_ != nullptr) {
    shipper_->SetPauseCallback([this](bool paused) { driver_->SetPaused(paused); });
  }
}

void Agent::StartTimers() {
  AddSignal(SIGINT);
  AddSignal(SIGTERM);
  AddSignal(SIGHUP);
  AddTimer(kMetricsRefreshMs, [](uv_timer_t* timer) {
    Agent* agent = Owner(reinterpret_cast<uv_handle_t*>(timer));
    agent->metrics_->Update(agent->CollectStats());
  });
  if (config_.status.log_interval_ns > 0) {
    AddTimer(ToMillis(config_.status.log_interval_ns), [](uv_timer_t* timer) {
      Owner(reinterpret_cast<uv_handle_t*>(timer))->LogStatus("status");
    });
  }
  driver_->Start();
}

void Agent::AddSignal(int signum) {
  auto* handle = new uv_signal_t;
  uv_signal_init(&loop_, handle);
  handle->data = this;
  uv_signal_start(
      handle,
      [](uv_signal_t* signal, int number) {
        Agent* agent = Owner(reinterpret_cast<uv_handle_t*>(signal));
        if (number == SIGHUP) {
          agent->log_.Warn(
              "SIGHUP: reloading the configuration is not supported; restart "
              "silt-agent to apply changes");
          return;
        }
        agent->Shutdown(0, number == SIGINT ? "SIGINT" : "SIGTERM");
      },
      signum);
  handles_.push_back(reinterpret_cast<uv_handle_t*>(handle));
}

void Agent::AddTimer(uint64_t interval_ms, uv_timer_cb callback) {
  auto* timer = new uv_timer_t;
  uv_timer_init(&loop_, timer);
  timer->data = this;
  uv_timer_start(timer, callback, interval_ms, interval_ms);
  handles_.push_back(reinterpret_cast<uv_handle_t*>(timer));
}

void Agent::AfterTailerCall() {
  events_.Log(tailers_->TakeEvents());
  if (jsonl_ != nullptr && !jsonl_->status().ok() && !stopping_) {
    log_.Error(
        "the output failed; shutting down (unwritten lines are read again at the next "
        "start)",
        {{"error", jsonl_->status()}});
    Shutdown(1, "output failed");
  }
}

void Agent::Shutdown(int exit_code, const char* reason) {
  if (stopping_) return;
  stopping_ = true;
  exit_code_ = exit_code;
  if (tailers_ != nullptr) LogStatus("stopping");
  if (discovery_ != nullptr) discovery_->Close();
  if (driver_ != nullptr) {
    driver_->Close();
    driver_->SavePositions().IgnoreError();  // logged by the driver
    events_.Log(tailers_->TakeEvents());
  }
  log_.Info("shutting down", {{"reason", reason}, {"exit_code", exit_code}});
  if (shipper_ != nullptr) {
    const int64_t timeout = config_.aggregator.value_or(AggregatorConfig{}).shutdown_timeout_ns;
    shipper_->Drain(timeout, [this] { FinishShutdown(); });
    return;
  }
  FinishShutdown();
}

void Agent::FinishShutdown() {
  if (driver_ != nullptr && shipper_ != nullptr) {
    driver_->SavePositions().IgnoreError();  // what the last acks confirmed; logged
  }
  if (jsonl_ != nullptr) {
    Status closed = jsonl_->Close();
    if (!closed.ok()) log_.Error("output closed with an error", {{"error", closed}});
  }
  if (timers_ != nullptr) timers_->Close();
  metrics_endpoint_.reset();  // closes the port; the loop frees the handles
  for (uv_handle_t* handle : handles_) {
    uv_close(handle, [](uv_handle_t* closed) {
      if (closed->type == UV_SIGNAL) {
        delete reinterpret_cast<uv_signal_t*>(closed);
      } else {
        delete reinterpret_cast<uv_timer_t*>(closed);
      }
    });
  }
  handles_.clear();
}

AgentStats Agent::CollectStats() const {
  AgentStats stats;
  if (tailers_ != nullptr) stats.tailer = tailers_->stats();
  if (discovery_ != nullptr) stats.discovery = discovery_->stats();
  if (joiner_ != nullptr) stats.multiline = joiner_->stats();
  if (jsonl_ != nullptr) stats.output = jsonl_->stats();
  if (null_ != nullptr) stats.output = null_->stats();
  if (driver_ != nullptr) stats.positions_save_errors = driver_->save_errors();
  if (durable_ != nullptr) stats.positions_save_errors += durable_->save_errors();
  stats.label_values_rejected = label_values_rejected_;
  return stats;
}

void Agent::LogStatus(const char* message) {
  const AgentStats s = CollectStats();
  log_.Info(message, {{"watched_paths", s.discovery.watched_paths},
                      {"open_files", s.tailer.open_files},
                      {"open_rotated", s.tailer.open_rotated_files},
                      {"bytes_read", s.tailer.bytes_read},
                      {"lines_read", s.tailer.lines_read},
                      {"entries_out", s.output.entries},
                      {"rotations", s.tailer.rotations},
                      {"truncations", s.tailer.truncations},
                      {"dropped_bytes", s.tailer.bytes_dropped},
                      {"lag_bytes", s.tailer.lag_bytes},
                      {"inotify_dirs", s.discovery.inotify_directories},
                      {"polled_dirs", s.discovery.polled_directories},
                      {"errors", s.tailer.errors}});
}

labels::LabelSet Agent::LabelsFor(const std::string& path) {
  size_t rejected = 0;
  labels::LabelSet set = watches_->LabelsFor(path, &rejected);
  label_values_rejected_ += rejected;
  return set;
}

const MultilineRule* Agent::MultilineFor(const std::string& path) const {
  std::optional<size_t> rule = watches_->RuleFor(path);
  if (!rule.has_value() || !multiline_rules_[*rule].has_value()) return nullptr;
  return &*multiline_rules_[*rule];
}

}  // namespace silt::agent
