#include "aggregator/api/loki_api.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <variant>
#include <vector>

#include "aggregator/engine/data_layout.h"
#include "aggregator/logql/query.h"
#include "shared/json/json_string.h"
#include "shared/time/duration.h"
#include "shared/time/timestamp.h"

namespace silt::api {
namespace {

// Loki's default range for labels, label values, series and index stats.
constexpr int64_t kMetadataSince = 6 * 3600 * time::kSecond;
// Loki's default range of the volume endpoints (its query_range default).
constexpr int64_t kVolumeSince = 3600 * time::kSecond;

// One request and its responder, moved to a pool task (std::function needs a copyable callable).
struct Call {
  http::Request request;
  http::Responder responder;
};

struct TimeBounds {
  int64_t from = 0;     // inclusive
  int64_t through = 0;  // exclusive
};

Result<int64_t> ParamTime(std::string_view name, std::string_view text) {
  Result<int64_t> parsed = time::ParseLokiTime(text);
  if (!parsed.ok()) return parsed.status().WithContext(std::string(name));
  return parsed;
}

// start, end and since as Loki reads them for the metadata endpoints; `default_since` is the
// range without start and since.
Result<TimeBounds> BoundsOf(const http::QueryParams& params, int64_t now,
                            int64_t default_since = kMetadataSince) {
  TimeBounds bounds{now - default_since, now};
  if (auto end = params.Get("end")) {
    SILT_ASSIGN_OR_RETURN(bounds.through, ParamTime("end", *end));
  }
  int64_t since = default_since;
  if (auto text = params.Get("since")) {
    Result<int64_t> parsed = time::ParseDuration(*text);
    if (!parsed.ok()) return parsed.status().WithContext("since");
    since = *parsed;
  }
  bounds.from = bounds.through - since;
  if (auto start = params.Get("start")) {
    SILT_ASSIGN_OR_RETURN(bounds.from, ParamTime("start", *start));
  }
  if (bounds.through < bounds.from) {
    return Status::InvalidArgument("end timestamp must not be before or equal to start time");
  }
  return bounds;
}

// A stream selector without a pipeline (match[], the query of labels and index stats).
Result<std::vector<labels::Matcher>> ParseMatchers(std::string_view name, std::string_view text) {
  Result<logql::Query> query = logql::ParseQuery(text);
  if (!query.ok()) return query.status().WithContext(std::string(name));
  const auto* log_query = std::get_if<logql::LogQuery>(&query->node);
  if (log_query == nullptr || !log_query->pipeline.empty()) {
    return Status::InvalidArgument(std::string(name) + " '" + std::string(text) +
                                   "': only label matchers are supported, e.g. {job=\"api\"}");
  }
  return log_query->selector;
}

// Loki's match-all selector of the volume endpoints: `{}` (blanks allowed).
bool IsMatchAll(std::string_view query) {
  std::string compact;
  for (char c : query) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') compact += c;
  }
  return compact == "{}";
}

std::string StringArrayResponse(const std::vector<std::string>& values) {
  std::string out = R"({"status":"success","data":[)";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i != 0) out += ',';
    json::AppendJsonString(values[i], &out);
  }
  out += "]}";
  return out;
}

void AppendLabelObject(const labels::LabelSet& set, std::string* out) {
  *out += '{';
  bool first = true;
  for (labels::LabelView label : set) {
    if (!first) *out += ',';
    first = false;
    json::AppendJsonString(label.name, out);
    *out += ':';
    json::AppendJsonString(label.value, out);
  }
  *out += '}';
}

// What index/stats reports; chunk counts are whole blocks overlapping the range.
struct IndexTotals {
  uint64_t streams = 0;
  uint64_t chunks = 0;
  uint64_t bytes = 0;
  uint64_t entries = 0;
};

void AddStream(const engine::StreamSelection& stream, const TimeBounds& bounds,
               IndexTotals* totals) {
  ++totals->streams;
  for (const engine::ChunkPiece& piece : stream.chunks) {
    ++totals->chunks;
    for (const index::BlockRef& block : piece.blocks) {
      totals->entries += block.entry_count;
      totals->bytes += block.uncompressed_size;
    }
  }
  if (!stream.head.has_value()) return;
  ++totals->chunks;
  for (auto it = stream.head->NewIterator(bounds.from, bounds.through, store::Direction::kForward);
       it.Valid(); it.Next()) {
    ++totals->entries;
    totals->bytes += it.line().size();
  }
}

}  // namespace

Result<std::string> TenantOf(const http::Request& request) {
  std::optional<std::string_view> header = request.Header(kTenantHeader);
  if (!header.has_value()) return std::string(kDefaultTenant);
  Status valid = engine::ValidateTenantId(*header);
  if (!valid.ok()) return valid.WithContext("X-Scope-OrgID header");
  return std::string(*header);
}

http::Response QueryErrorResponse(const Status& status) {
  int code = http::HttpStatusFor(status.code());
  if (status.code() == StatusCode::kResourceExhausted) {
    const bool timeout = status.message().find("context deadline exceeded") != std::string::npos;
    code = timeout ? 504 : 400;
  }
  return http::Response::Error(code, status.message());
}

LokiApi::LokiApi(LokiApiOptions options) : options_(std::move(options)) {}

Status LokiApi::AddRoutes(http::Router* router) {
  SILT_RETURN_IF_ERROR(router->Add("GET", "/loki/api/v1/query", OnPool(&LokiApi::Query)));
  SILT_RETURN_IF_ERROR(
      router->Add("GET", "/loki/api/v1/query_range", OnPool(&LokiApi::QueryRange)));
  SILT_RETURN_IF_ERROR(router->Add("GET", "/loki/api/v1/labels", OnPool(&LokiApi::Labels)));
  SILT_RETURN_IF_ERROR(
      router->Add("GET", "/loki/api/v1/label/{name}/values", OnPool(&LokiApi::LabelValues)));
  SILT_RETURN_IF_ERROR(router->Add("GET", "/loki/api/v1/series", OnPool(&LokiApi::Series)));
  SILT_RETURN_IF_ERROR(router->Add("POST", "/loki/api/v1/series", OnPool(&LokiApi::Series)));
  for (const char* method : {"GET", "POST"}) {
    SILT_RETURN_IF_ERROR(
        router->Add(method, "/loki/api/v1/index/stats", OnPool(&LokiApi::IndexStats)));
    SILT_RETURN_IF_ERROR(
        router->Add(method, "/loki/api/v1/index/volume", OnPool(&LokiApi::Volume)));
    SILT_RETURN_IF_ERROR(
        router->Add(method, "/loki/api/v1/index/volume_range", OnPool(&LokiApi::VolumeRange)));
  }
  return router->Add("GET", "/ready", [this](http::Request, http::Responder responder) {
    if (ready()) return responder.Respond(http::Response::Text(200, "ready\n"));
    responder.Respond(http::Response::Error(
        503, "not ready: the storage engine is still replaying its write-ahead log"));
  });
}

http::Handler LokiApi::OnPool(Work work) {
  return [this, work](http::Request request, http::Responder responder) {
    auto call = std::make_shared<Call>(Call{std::move(request), std::move(responder)});
    // A refused task drops the responder, which answers 500 (the server is shutting down).
    options_.pool->Submit([this, work, call] { Serve(work, call->request, &call->responder); });
  };
}

void LokiApi::Serve(Work work, const http::Request& request, http::Responder* responder) const {
  if (responder->Cancelled()) return;
  const engine::StorageEngine* engine = engine_.load();
  if (engine == nullptr) {
    return responder->Respond(http::Response::Error(
        503, "not ready: the storage engine is still replaying its write-ahead log; retry later"));
  }
  Result<std::string> tenant = TenantOf(request);
  if (!tenant.ok()) return responder->Respond(http::Response::FromStatus(tenant.status()));
  Result<http::QueryParams> params = http::QueryParams::FromRequest(request);
  if (!params.ok()) return responder->Respond(http::Response::FromStatus(params.status()));
  Result<std::string> body = (this->*work)(*engine, *tenant, request, *params);
  if (!body.ok()) return responder->Respond(QueryErrorResponse(body.status()));
  responder->Respond(http::Response::Json(200, std::move(*body)));
}

Result<std::string> LokiApi::Query(const engine::StorageEngine& engine, const std::string& tenant,
                                   const http::Request&, const http::QueryParams& params) const {
  LokiQueryRequest query;
  query.instant = true;
  query.query = params.GetOr("query", "");
  query.time = params.GetOr("time", "");
  query.limit = params.GetOr("limit", "");
  query.direction = params.GetOr("direction", "");
  return RunLokiQuery(engine, tenant, query, options_.query);
}

Result<std::string> LokiApi::QueryRange(const engine::StorageEngine& engine,
                                        const std::string& tenant, const http::Request&,
                                        const http::QueryParams& params) const {
  LokiQueryRequest query;
  query.query = params.GetOr("query", "");
  query.start = params.GetOr("start", "");
  query.end = params.GetOr("end", "");
  query.since = params.GetOr("since", "");
  query.limit = params.GetOr("limit", "");
  query.direction = params.GetOr("direction", "");
  query.step = params.GetOr("step", "");
  query.interval = params.GetOr("interval", "");
  return RunLokiQuery(engine, tenant, query, options_.query);
}

Result<std::string> LokiApi::Labels(const engine::StorageEngine& engine, const std::string& tenant,
                                    const http::Request&, const http::QueryParams& params) const {
  SILT_ASSIGN_OR_RETURN(const TimeBounds bounds,
                        BoundsOf(params, options_.query.clock->WallNanos()));
  std::vector<labels::Matcher> matchers;
  if (auto query = params.Get("query"); query.has_value() && !query->empty()) {
    SILT_ASSIGN_OR_RETURN(matchers, ParseMatchers("query", *query));
  }
  SILT_ASSIGN_OR_RETURN(std::vector<std::string> names,
                        engine.LabelNames(tenant, matchers, bounds.from, bounds.through));
  return StringArrayResponse(names);
}

Result<std::string> LokiApi::LabelValues(const engine::StorageEngine& engine,
                                         const std::string& tenant, const http::Request& request,
                                         const http::QueryParams& params) const {
  SILT_ASSIGN_OR_RETURN(const TimeBounds bounds,
                        BoundsOf(params, options_.query.clock->WallNanos()));
  std::vector<labels::Matcher> matchers;
  if (auto query = params.Get("query"); query.has_value() && !query->empty()) {
    SILT_ASSIGN_OR_RETURN(matchers, ParseMatchers("query", *query));
  }
  SILT_ASSIGN_OR_RETURN(
      std::vector<std::string> values,
      engine.LabelValues(tenant, request.PathParam("name"), matchers, bounds.from, bounds.through));
  return StringArrayResponse(values);
}

Result<std::string> LokiApi::Series(const engine::StorageEngine& engine, const std::string& tenant,
                                    const http::Request&, const http::QueryParams& params) const {
  SILT_ASSIGN_OR_RETURN(const TimeBounds bounds,
                        BoundsOf(params, options_.query.clock->WallNanos()));
  std::vector<std::string_view> groups = params.GetAll("match[]");
  for (std::string_view group : params.GetAll("match")) groups.push_back(group);
  if (groups.empty()) {
    return Status::InvalidArgument(
        "match[] is required: give at least one stream selector, e.g. match[]={job=\"api\"}");
  }
  // Each match[] is a selector of its own; the answer is the union, sorted and unique.
  std::vector<labels::LabelSet> all;
  for (std::string_view group : groups) {
    SILT_ASSIGN_OR_RETURN(std::vector<labels::Matcher> matchers, ParseMatchers("match[]", group));
    SILT_ASSIGN_OR_RETURN(std::vector<labels::LabelSet> found,
                          engine.Series(tenant, matchers, bounds.from, bounds.through));
    for (labels::LabelSet& set : found) all.push_back(std::move(set));
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  std::string out = R"({"status":"success","data":[)";
  for (size_t i = 0; i < all.size(); ++i) {
    if (i != 0) out += ',';
    AppendLabelObject(all[i], &out);
  }
  out += "]}";
  return out;
}

Result<std::string> LokiApi::IndexStats(const engine::StorageEngine& engine,
                                        const std::string& tenant, const http::Request&,
                                        const http::QueryParams& params) const {
  SILT_ASSIGN_OR_RETURN(const TimeBounds bounds,
                        BoundsOf(params, options_.query.clock->WallNanos()));
  SILT_ASSIGN_OR_RETURN(std::vector<labels::Matcher> matchers,
                        ParseMatchers("query", params.GetOr("query", "")));
  SILT_ASSIGN_OR_RETURN(std::vector<engine::StreamSelection> streams,
                        engine.Select(tenant, matchers, bounds.from, bounds.through));
  IndexTotals totals;
  for (const engine::StreamSelection& stream : streams) AddStream(stream, bounds, &totals);
  return R"({"streams":)" + std::to_string(totals.streams) + R"(,"chunks":)" +
         std::to_string(totals.chunks) + R"(,"bytes":)" + std::to_string(totals.bytes) +
         R"(,"entries":)" + std::to_string(totals.entries) + "}";
}

Result<std::string> LokiApi::Volume(const engine::StorageEngine& engine, const std::string& tenant,
                                    const http::Request&, const http::QueryParams& params) const {
  return AnyVolume(engine, tenant, params, /*range=*/false);
}

Result<std::string> LokiApi::VolumeRange(const engine::StorageEngine& engine,
                                         const std::string& tenant, const http::Request&,
                                         const http::QueryParams& params) const {
  return AnyVolume(engine, tenant, params, /*range=*/true);
}

Result<std::string> LokiApi::AnyVolume(const engine::StorageEngine& engine,
                                       const std::string& tenant, const http::QueryParams& params,
                                       bool range) const {
  VolumeQueryRequest request;
  const std::string_view query = params.GetOr("query", "");
  if (query.empty()) {
    return Status::InvalidArgument(
        "query is required: give a stream selector, e.g. query={job=\"api\"}, or {} for every "
        "stream");
  }
  if (!IsMatchAll(query)) {
    SILT_ASSIGN_OR_RETURN(request.matchers, ParseMatchers("query", query));
  }
  SILT_ASSIGN_OR_RETURN(const TimeBounds bounds,
                        BoundsOf(params, options_.query.clock->WallNanos(), kVolumeSince));
  request.from = bounds.from;
  request.through = bounds.through;
  SILT_RETURN_IF_ERROR(ParseVolumeParams(params, range, &request));
  VolumeQueryOptions options;
  options.clock = options_.query.clock;
  options.timeout_ns = options_.query.timeout_ns;
  options.max_series = options_.query.max_series;
  SILT_ASSIGN_OR_RETURN(const std::vector<VolumeSeries> series,
                        RunVolumeQuery(engine, tenant, request, options));
  return EncodeVolumeResponse(series, range);
}

}  // namespace silt::api
