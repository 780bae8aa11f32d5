#include "aggregator/ingest/push/push_handler.h"

#include <utility>

#include "aggregator/engine/data_layout.h"
#include "aggregator/engine/push_record.h"
#include "aggregator/ingest/push/loki_json_decoder.h"
#include "aggregator/ingest/push/loki_proto_decoder.h"
#include "aggregator/ingest/push/push_pipeline.h"
#include "aggregator/ingest/push/push_validator.h"
#include "aggregator/ingest/push/simple_logs_decoder.h"

namespace silt::ingest {

// One request on its way through decoding, validation and the engine.
struct PushHandler::Job {
  http::Request request;
  http::Responder responder;
  std::string_view format;
  std::string tenant;
  Rejections rejections;
  size_t total_entries = 0;
};

namespace {

constexpr std::string_view kLokiPushPath = "/loki/api/v1/push";
constexpr std::string_view kSimpleLogsPath = "/api/v1/logs";

// The media type of the request's Content-Type, lower case, without parameters; "" when absent.
std::string MediaType(const http::Request& request) {
  std::string_view value = request.Header("Content-Type").value_or("");
  value = value.substr(0, value.find(';'));
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  std::string out(value);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

void Respond(http::Responder* responder, const PushMetrics& metrics, std::string_view format,
             int status, std::string_view message) {
  metrics.CountRequest(format, status);
  if (status == 204) {
    responder->Respond(http::Response{204, {}, {}});
    return;
  }
  http::Response response = http::Response::Error(status, message);
  if (status == 429 || status == 503) response.headers.Set("Retry-After", "1");
  responder->Respond(std::move(response));
}

// The HTTP status for an error of StorageEngine::Push.
int StatusForPushError(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

}  // namespace

Result<std::unique_ptr<PushHandler>> PushHandler::Create(PushHandlerOptions options) {
  auto missing = [](const char* field) {
    return Status::InvalidArgument(std::string("push handler option ") + field + " is required");
  };
  if (options.engine == nullptr) return missing("engine");
  if (options.clock == nullptr) return missing("clock");
  if (options.metrics == nullptr) return missing("metrics");
  if (options.max_decompressed_bytes == 0) {
    return Status::InvalidArgument("push handler option max_decompressed_bytes must be > 0");
  }
  SILT_RETURN_IF_ERROR(ValidatePushLimits(options.limits));
  SILT_RETURN_IF_ERROR(
      engine::ValidateTenantId(options.default_tenant).WithContext("push default tenant"));
  SILT_ASSIGN_OR_RETURN(PushMetrics metrics, PushMetrics::Register(options.metrics));
  SILT_ASSIGN_OR_RETURN(
      std::unique_ptr<ListenerPipeline> pipeline,
      ListenerPipeline::Create(std::move(options.pipeline), {.listener = "push",
                                                             .label_limits = options.limits.labels,
                                                             .registry = options.metrics,
                                                             .logger = options.logger,
                                                             .clock = options.clock}));
  return std::unique_ptr<PushHandler>(
      new PushHandler(std::move(options), metrics, std::move(pipeline)));
}

void PushHandler::HandleLokiPush(http::Request request, http::Responder responder) {
  auto job = std::make_shared<Job>();
  const std::string type = MediaType(request);
  job->request = std::move(request);
  job->responder = std::move(responder);
  if (type == "application/json") {
    job->format = kFormatJson;
  } else if (type == "application/x-protobuf" || type.empty()) {
    job->format = kFormatProtobuf;
  } else {
    job->format = kFormatUnknown;
    Answer(job, 415,
           "unsupported Content-Type '" + type + "' for " + std::string(kLokiPushPath) +
               ": send application/json or application/x-protobuf (snappy-compressed)");
    return;
  }
  Dispatch(std::move(job));
}

void PushHandler::HandleSimpleLogs(http::Request request, http::Responder responder) {
  auto job = std::make_shared<Job>();
  const std::string type = MediaType(request);
  job->request = std::move(request);
  job->responder = std::move(responder);
  job->format = kFormatSimple;
  if (type != "application/json" && !type.empty()) {
    job->format = kFormatUnknown;
    Answer(job, 415,
           "unsupported Content-Type '" + type + "' for " + std::string(kSimpleLogsPath) +
               ": send application/json");
    return;
  }
  Dispatch(std::move(job));
}

void PushHandler::Dispatch(std::shared_ptr<Job> job) {
  std::string_view tenant = job->request.Header("X-Scope-OrgID").value_or("");
  job->tenant = tenant.empty() ? options_.default_tenant : std::string(tenant);
  Status valid = engine::ValidateTenantId(job->tenant);
  if (!valid.ok()) {
    Answer(job, 400, "invalid X-Scope-OrgID header: " + std::string(valid.message()));
    return;
  }
  if (!options_.executor) return Run(job);
  if (!options_.executor([this, job] { Run(job); })) {
    Answer(job, 503, "the aggregator is shutting down and takes no more pushes; retry later");
  }
}

bool PushHandler::Decode(const std::shared_ptr<Job>& job, DecodedPush* decoded) {
  std::string body = std::move(job->request.body);
  if (job->format == kFormatJson) {
    *decoded = DecodeLokiPushJson(std::move(body));
  } else if (job->format == kFormatSimple) {
    *decoded = DecodeSimpleLogs(std::move(body), options_.clock->WallNanos());
  } else {
    Result<DecodedPush> proto = DecodeLokiPushProto(body, options_.max_decompressed_bytes);
    if (!proto.ok()) {
      const bool too_large = proto.status().code() == StatusCode::kResourceExhausted;
      Answer(job, too_large ? 413 : 400, proto.status().message());
      return false;
    }
    *decoded = std::move(*proto);
  }
  return true;
}

void PushHandler::Run(const std::shared_ptr<Job>& job) {
  DecodedPush decoded;
  if (!Decode(job, &decoded)) return;
  if (pipeline_ != nullptr) ApplyPushPipeline(*pipeline_, &decoded);
  engine::PushRequest request;
  request.tenant = job->tenant;
  const size_t bytes =
      ValidatePush(options_.limits, options_.clock->WallNanos(), &decoded, &request);
  job->total_entries = decoded.total_entries;
  job->rejections = std::move(decoded.rejections);
  metrics_.CountDiscarded(job->rejections);
  if (request.streams.empty()) {
    if (job->rejections.empty()) return Answer(job, 204, "");
    return Answer(job, 400, job->rejections.Summary(job->total_entries));
  }
  if (Status fits = FitsOneRecord(request); !fits.ok()) return Answer(job, 413, fits.message());
  const PushMetrics metrics = metrics_;
  const size_t pushed = request.EntryCount();
  Status status = options_.engine->Push(
      std::move(request),
      [job, metrics, pushed, bytes](const Status& s, const engine::PushOutcome& outcome) {
        if (!s.ok()) {
          Respond(&job->responder, metrics, job->format, 500,
                  "push for tenant '" + job->tenant +
                      "' was not stored: the write-ahead log failed: " + std::string(s.message()));
          return;
        }
        metrics.entries->WithLabels({job->format}).Inc(pushed - outcome.rejected);
        metrics.bytes->WithLabels({job->format}).Inc(bytes);
        metrics.CountDiscarded(kReasonTooFarBehind, outcome.rejected, 0);
        for (size_t i = 0; i < outcome.rejected; ++i) {
          job->rejections.Add(
              kReasonTooFarBehind, 1, 0,
              i < outcome.rejections.size() ? outcome.rejections[i] : std::string());
        }
        if (job->rejections.empty()) {
          Respond(&job->responder, metrics, job->format, 204, "");
        } else {
          Respond(&job->responder, metrics, job->format, 400,
                  job->rejections.Summary(job->total_entries));
        }
      });
  if (!status.ok()) {
    Answer(
        job, StatusForPushError(status),
        "push for tenant '" + job->tenant + "' was not stored: " + std::string(status.message()));
  }
}

Status PushHandler::FitsOneRecord(const engine::PushRequest& request) const {
  const size_t max_bytes = options_.engine->options().max_record_bytes;
  const size_t bytes = engine::PushRecordSize(request);
  if (bytes <= max_bytes) return Status::Ok();
  return Status::ResourceExhausted(
      "push for tenant '" + std::string(request.tenant) + "' was not stored: its " +
      std::to_string(request.EntryCount()) + " entries take " + std::to_string(bytes) +
      " bytes as one write-ahead log record, more than storage.max_record_size (" +
      std::to_string(max_bytes) +
      " bytes); send smaller batches or raise storage.max_record_size in the aggregator config");
}

void PushHandler::Answer(const std::shared_ptr<Job>& job, int status, std::string_view message) {
  Respond(&job->responder, metrics_, job->format, status, message);
}

Status AddPushRoutes(http::Router* router, PushHandler* handler) {
  SILT_RETURN_IF_ERROR(router->Add(
      "POST", kLokiPushPath, [handler](http::Request request, http::Responder responder) {
        handler->HandleLokiPush(std::move(request), std::move(responder));
      }));
  return router->Add("POST", kSimpleLogsPath,
                     [handler](http::Request request, http::Responder responder) {
                       handler->HandleSimpleLogs(std::move(request), std::move(responder));
                     });
}

}  // namespace silt::ingest
