#include "aggregator/tail/tail_request.h"

#include <charconv>
#include <variant>

#include "aggregator/engine/data_layout.h"
#include "aggregator/logql/query.h"
#include "shared/http/query_params.h"
#include "shared/time/duration.h"
#include "shared/time/timestamp.h"

namespace silt::tail {
namespace {

constexpr int64_t kDefaultLookback = time::kHour;

Result<int64_t> ParseInteger(std::string_view name, std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument("invalid " + std::string(name) + " '" + std::string(text) +
                                   "': expected an integer");
  }
  return value;
}

Status ParseQueryText(std::string_view text, TailRequest* out) {
  if (text.empty()) {
    return Status::InvalidArgument(
        "the query parameter is missing; pass a log query, e.g. query={job=\"api\"} |= \"error\"");
  }
  SILT_ASSIGN_OR_RETURN(logql::Query query, logql::ParseQuery(text));
  auto* log_query = std::get_if<logql::LogQuery>(&query.node);
  if (log_query == nullptr) {
    return Status::InvalidArgument(
        "only log selector is supported: /tail streams log lines, not a metric query's samples");
  }
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<logql::Pipeline> pipeline,
                        logql::Pipeline::Compile(log_query->pipeline));
  out->query_text = std::string(text);
  out->query = std::move(*log_query);
  out->pipeline = std::move(pipeline);
  return Status::Ok();
}

Status ParseLimits(const http::QueryParams& params, const TailLimits& limits, TailRequest* out) {
  const size_t max_limit = limits.max_limit;
  out->limit = limits.default_limit;
  if (std::optional<std::string_view> limit = params.Get("limit")) {
    SILT_ASSIGN_OR_RETURN(int64_t value, ParseInteger("limit", *limit));
    if (value <= 0) return Status::InvalidArgument("limit must be a positive value");
    if (max_limit > 0 && static_cast<uint64_t>(value) > max_limit) {
      return Status::InvalidArgument(
          "max entries limit per query exceeded, limit > "
          "max_entries_limit (" +
          std::to_string(value) + " > " + std::to_string(max_limit) + ")");
    }
    out->limit = static_cast<size_t>(value);
  }
  if (std::optional<std::string_view> delay = params.Get("delay_for")) {
    SILT_ASSIGN_OR_RETURN(int64_t seconds, ParseInteger("delay_for", *delay));
    if (seconds < 0) return Status::InvalidArgument("delay_for must not be negative");
    const int64_t max_seconds = limits.max_delay_for_ns / time::kSecond;
    if (seconds > max_seconds) {
      return Status::InvalidArgument("delay_for can't be greater than " +
                                     std::to_string(max_seconds) +
                                     " (seconds; the limit is http.tail_max_delay_for)");
    }
    out->delay_for_ns = seconds * time::kSecond;
  }
  return Status::Ok();
}

}  // namespace

Result<TailRequest> ParseTailRequest(const http::Request& request, const TailLimits& limits,
                                     int64_t now_ns) {
  SILT_ASSIGN_OR_RETURN(http::QueryParams params, http::QueryParams::FromRequest(request));
  TailRequest out;
  out.tenant = std::string(request.Header("X-Scope-OrgID").value_or("fake"));
  Status tenant = engine::ValidateTenantId(out.tenant);
  if (!tenant.ok()) return tenant.WithContext("X-Scope-OrgID");
  SILT_RETURN_IF_ERROR(ParseQueryText(params.GetOr("query", ""), &out));
  SILT_RETURN_IF_ERROR(ParseLimits(params, limits, &out));
  out.start_ns = now_ns - kDefaultLookback;
  if (std::optional<std::string_view> start = params.Get("start")) {
    Result<int64_t> parsed = time::ParseLokiTime(*start);
    if (!parsed.ok()) return parsed.status().WithContext("start");
    out.start_ns = *parsed;
  }
  return out;
}

}  // namespace silt::tail
