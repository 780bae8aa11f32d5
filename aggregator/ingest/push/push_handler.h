// PushHandler: the HTTP handlers of the push endpoints (docs/http-api.md "Push"):
//
//   POST /loki/api/v1/push  Loki push: Content-Type application/json (loki_json_decoder.h) or
//                           application/x-protobuf, also when absent (loki_proto_decoder.h)
//   POST /api/v1/logs       simple JSON entries (simple_logs_decoder.h)
//
// gzip/deflate Content-Encoding is undone by the HTTP server before the handler runs. The tenant
// is X-Scope-OrgID (absent: `default_tenant`, "fake" as in Loki). Decoding, validation
// (push_validator.h) and the storage engine's Push run on `executor`; the answer is given from the
// engine's callback, so 204 means the entries are in a synced WAL record. Answers:
//   204  every entry stored
//   400  something refused (bad body, labels, limits): the valid entries are stored anyway and
//        the body lists the first problems in Loki's words, then "N of M entries rejected"
//   413  protobuf body that decompresses past max_decompressed_bytes, or valid entries that do
//        not fit one WAL record (storage.max_record_size); nothing stored
//   415  a Content-Type the endpoint does not take
//   429  the engine is out of head memory or WAL queue (Retry-After: 1); nothing stored
//   503  the engine is closed or unavailable (Retry-After: 1); nothing stored
//   500  the WAL failed; nothing acknowledged
//
// With a pipeline (options.pipeline), it runs after decoding and before validation, on the
// executor's thread: validation applies to its output (docs/pipelines.md "Where it runs").
//
// Thread-safety: the Handle* methods run on the server's loop thread (they only dispatch); the
// rest runs on the executor's threads and the engine's WAL thread. The handler must outlive the
// server's last request; engine callbacks use only the metrics (which live in the Registry) and
// the responder.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "aggregator/engine/storage_engine.h"
#include "aggregator/ingest/pipeline/listener_pipeline.h"
#include "aggregator/ingest/pipeline/pipeline_config.h"
#include "aggregator/ingest/push/decoded_push.h"
#include "aggregator/ingest/push/push_limits.h"
#include "aggregator/ingest/push/push_metrics.h"
#include "shared/http/router.h"
#include "shared/log/logger.h"
#include "shared/metrics/registry.h"
#include "shared/status/result.h"
#include "shared/time/clock.h"

namespace silt::ingest {

struct PushHandlerOptions {
  engine::StorageEngine* engine = nullptr;  // required
  const time::Clock* clock = nullptr;       // required: "now" for the timestamp window
  metrics::Registry* metrics = nullptr;     // required
  PushLimits limits;
  // Runs decoding and the push off the loop thread; returns false when it takes no more work
  // (shutting down), and the request is then answered 503. Empty: inline on the loop thread.
  std::function<bool(std::function<void()>)> executor;
  // Largest protobuf body after snappy decompression (413 beyond).
  size_t max_decompressed_bytes = size_t{64} << 20;
  std::string default_tenant = "fake";
  // http.push.pipeline, run on every decoded entry before validation (push_pipeline.h); no
  // stages: none, and no cost.
  PipelineConfig pipeline;
  log::Logger* logger = nullptr;  // the pipeline's warnings; null: none
};

class PushHandler {
 public:
  // InvalidArgument naming the missing option, a bad limit or tenant; the registry's error when
  // a metric name is taken with another shape.
  static Result<std::unique_ptr<PushHandler>> Create(PushHandlerOptions options);

  PushHandler(const PushHandler&) = delete;
  PushHandler& operator=(const PushHandler&) = delete;

  // POST /loki/api/v1/push.
  void HandleLokiPush(http::Request request, http::Responder responder);
  // POST /api/v1/logs.
  void HandleSimpleLogs(http::Request request, http::Responder responder);

  const PushMetrics& metrics() const { return metrics_; }

 private:
  struct Job;
  PushHandler(PushHandlerOptions options, PushMetrics metrics,
              std::unique_ptr<ListenerPipeline> pipeline)
      : options_(std::move(options)), metrics_(metrics), pipeline_(std::move(pipeline)) {}

  // Checks the tenant and hands `job` to the executor; answers at once when the tenant is bad.
  void Dispatch(std::shared_ptr<Job> job);
  void Run(const std::shared_ptr<Job>& job);
  // Decodes the job's body; false (answered) when the body is refused whole.
  bool Decode(const std::shared_ptr<Job>& job, DecodedPush* decoded);
  void Answer(const std::shared_ptr<Job>& job, int status, std::string_view message);
  // OK when `request` fits one WAL record; otherwise ResourceExhausted naming the record size,
  // the limit (storage.max_record_size) and how to get under it (answered 413).
  Status FitsOneRecord(const engine::PushRequest& request) const;

  PushHandlerOptions options_;
  PushMetrics metrics_;
  std::unique_ptr<ListenerPipeline> pipeline_;  // null without a pipeline
};

// Registers POST /loki/api/v1/push and POST /api/v1/logs on `router`, calling `handler` (which
// must outlive the router's server). The router's error for a route already taken.
Status AddPushRoutes(http::Router* router, PushHandler* handler);

}  // namespace silt::ingest
