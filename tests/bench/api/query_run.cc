#include "tests/bench/api/query_run.h"

#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <vector>

#include "shared/http/percent_encoding.h"
#include "tests/bench/aggregator/sample_spread.h"
#include "tests/bench/api/http_client.h"
#include "tests/bench/api/silt_server.h"
#include "tests/bench/system/proc_stat.h"

namespace silt::bench {
namespace {

struct Query {
  const char* name;
  const char* logql;
  bool log_query;  // sends limit=100
};

constexpr Query kQueries[] = {
    {"logs", "{job=\"x\"}", true},
    {"filter", "{job=\"x\"} |= \"error\"", true},
    {"json", "{job=\"x\"} | json | status >= 500", true},
    {"count_by_level", "sum by (level) (count_over_time({job=\"x\"}[1m]))", false},
    {"rate_filter", "rate({job=\"x\"} |= \"timeout\" [5m])", false},
};
constexpr size_t kQueryCount = sizeof(kQueries) / sizeof(kQueries[0]);

// What one answer held: streams and entries (log queries) or series and points (metric ones).
struct ResultSize {
  std::string type;
  uint64_t groups = 0;
  uint64_t items = 0;
  size_t bytes = 0;
  uint64_t lines_processed = 0;  // stats.summary.totalLinesProcessed
};

Result<ResultSize> SizeOf(const std::string& body, const std::string& what) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  std::string_view status, type;
  simdjson::dom::array result;
  if (parser.parse(body).get(doc) != simdjson::SUCCESS || doc["status"].get(status) ||
      doc["data"]["resultType"].get(type) || doc["data"]["result"].get(result) ||
      status != "success") {
    return Status::Corruption(what +
                              " did not answer a Loki success document: " + body.substr(0, 300));
  }
  ResultSize size;
  size.type = type;
  size.bytes = body.size();
  for (simdjson::dom::element group : result) {
    simdjson::dom::array items;  // "values" of a stream (entries) or of a series (points)
    if (group["values"].get(items) == simdjson::SUCCESS) size.items += items.size();
    ++size.groups;
  }
  int64_t processed = 0;
  if (doc["data"]["stats"]["summary"]["totalLinesProcessed"].get(processed) == simdjson::SUCCESS) {
    size.lines_processed = static_cast<uint64_t>(processed);
  }
  return size;
}

// The value at quantile q of sorted `values` (nearest rank).
double Quantile(const std::vector<double>& sorted, double q) {
  const size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

std::string Target(const Query& query, const QueryOptions& options, const LoadResult& load) {
  std::string target = "/loki/api/v1/query_range?query=" + http::PercentEncode(query.logql) +
                       "&start=" + std::to_string(load.start_ns) +
                       "&end=" + std::to_string(load.end_ns + 1);
  if (query.log_query) target += "&limit=100";
  if (!options.step.empty()) target += "&step=" + options.step;
  return target;
}

struct Samples {
  std::vector<double> latency_ms;  // answers 200
  std::vector<double> cpu_ms;
  ResultSize size;            // of the last answer 200
  std::map<int, int> errors;  // status -> count, for answers other than 200
  std::string first_error;
};

// Runs query `q` once and adds what it cost to `samples`.
Status RunOnce(SiltServer& server, HttpClient& client, const std::string& target,
               const Query& query, Samples* samples) {
  SILT_ASSIGN_OR_RETURN(const double cpu_before, CpuSeconds(server.pid()));
  const auto start = std::chrono::steady_clock::now();
  SILT_ASSIGN_OR_RETURN(HttpReply reply, client.Request("GET", target, {}, ""));
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  SILT_ASSIGN_OR_RETURN(const double cpu_after, CpuSeconds(server.pid()));
  const std::string what = std::string("query ") + query.logql;
  if (reply.status != 200) {
    if (samples->errors.empty()) {
      samples->first_error = what + " answered " + std::to_string(reply.status) + " after " +
                             std::to_string(static_cast<int64_t>(ms)) +
                             " ms: " + reply.body.substr(0, 300);
    }
    ++samples->errors[reply.status];
    return Status::Ok();
  }
  SILT_ASSIGN_OR_RETURN(samples->size, SizeOf(reply.body, what));
  samples->latency_ms.push_back(ms);
  samples->cpu_ms.push_back((cpu_after - cpu_before) * 1000);
  return Status::Ok();
}

// One report row: "name p50 p95 cpu lines result [errors]".
std::string Row(const Query& query, Samples& samples) {
  char row[320];
  if (samples.latency_ms.empty()) {
    std::snprintf(row, sizeof(row), "  %-15s %9s %9s %9s %12s  no answer 200", query.name, "-", "-",
                  "-", "-");
  } else {
    std::sort(samples.latency_ms.begin(), samples.latency_ms.end());
    const ResultSize& size = samples.size;
    const bool streams = size.type == "streams";
    std::snprintf(
        row, sizeof(row), "  %-15s %9.1f %9.1f %9.1f %12llu  %llu %s, %llu %s, %zu bytes",
        query.name, Quantile(samples.latency_ms, 0.5), Quantile(samples.latency_ms, 0.95),
        SpreadOf(samples.cpu_ms).median, static_cast<unsigned long long>(size.lines_processed),
        static_cast<unsigned long long>(size.groups), streams ? "streams" : "series",
        static_cast<unsigned long long>(size.items), streams ? "entries" : "points", size.bytes);
  }
  std::string text = row;
  for (const auto& [status, count] : samples.errors) {
    text += "; " + std::to_string(count) + " answered " + std::to_string(status);
  }
  return text + "\n";
}

Status RunQueries(SiltServer& server, const QueryOptions& options, const LoadResult& load,
                  std::ostream& out) {
  HttpClient client(server.http_port());
  std::vector<Samples> samples(kQueryCount);
  for (int round = 0; round < options.repeats; ++round) {
    for (size_t q = 0; q < kQueryCount; ++q) {
      SILT_RETURN_IF_ERROR(
          RunOnce(server, client, Target(kQueries[q], options, load), kQueries[q], &samples[q]));
    }
  }
  out << "query_range over " << (load.end_ns - load.start_ns) / 1'000'000'000 << " s, step "
      << (options.step.empty() ? "server default (max(1s, range/250))" : options.step)
      << ", query_timeout "
      << (options.query_timeout.empty() ? "product default (1m)" : options.query_timeout) << ", "
      << options.repeats << " runs each (p50/p95 of the answers 200):\n";
  char head[160];
  std::snprintf(head, sizeof(head), "  %-15s %9s %9s %9s %12s  %s\n", "query", "p50 ms", "p95 ms",
                "cpu ms", "lines read", "result");
  out << head;
  std::string first_error;
  for (size_t q = 0; q < kQueryCount; ++q) {
    out << Row(kQueries[q], samples[q]) << "    " << kQueries[q].logql << "\n";
    if (first_error.empty()) first_error = samples[q].first_error;
  }
  out.flush();
  if (!first_error.empty()) return Status::IOError(first_error);
  return Status::Ok();
}

}  // namespace

Status RunQueryBench(const QueryOptions& options, std::ostream& out) {
  if (options.repeats < 1) return Status::InvalidArgument("query: --repeats must be >= 1");
  const std::string root = options.dir + "/query";
  std::filesystem::create_directories(root);
  SiltServer server(root, {.query_timeout = options.query_timeout});
  SILT_RETURN_IF_ERROR(server.Start());
  SILT_ASSIGN_OR_RETURN(const double cpu_before, CpuSeconds(server.pid()));
  SILT_ASSIGN_OR_RETURN(LoadResult load, LoadHour(server.http_port(), options.load));
  SILT_ASSIGN_OR_RETURN(const double cpu_after, CpuSeconds(server.pid()));
  SILT_ASSIGN_OR_RETURN(const double stored,
                        server.Metric("silt_push_entries_received_total{format=\"protobuf\"}"));
  out << "load: " << Grouped(load.entries) << " JSON lines (" << load.line_bytes / load.entries
      << " bytes avg) over " << options.load.duration_s << " s at " << options.load.rate
      << " lines/s, pushed as protobuf+snappy (" << Grouped(load.body_bytes) << " body bytes) in "
      << load.wall_s << " s wall, aggregator cpu " << cpu_after - cpu_before << " s ("
      << Grouped(cpu_after > cpu_before ? static_cast<uint64_t>(static_cast<double>(load.entries) /
                                                                (cpu_after - cpu_before))
                                        : 0)
      << " lines/s per core), " << load.retries << " pushes retried after 429/503\n";
  if (static_cast<uint64_t>(stored) != load.entries) {
    return Status::IOError("silt_push_entries_received_total is " + std::to_string(stored) +
                           " after pushing " + std::to_string(load.entries) + " entries:\n" +
                           server.LogTail());
  }
  SILT_RETURN_IF_ERROR(RunQueries(server, options, load, out));
  SILT_RETURN_IF_ERROR(server.Stop());
  std::filesystem::remove_all(root);
  return Status::Ok();
}

}  // namespace silt::bench
