// Ingest pipeline throughput on one core: lines/s (items_per_second) and MB/s for
//   - JsonLabelsTimestamp: json with paths -> labels (guard) -> timestamp -> structured_metadata,
//     the example of docs/pipelines.md, on ~200-byte JSON lines;
//   - JsonAll: json of every top-level member only;
//   - Regex: an access-log regex with four named groups -> labels;
//   - Logfmt: logfmt of every pair -> labels.
// And the push listener's path per line (a 1000-line Loki JSON body of logfmt lines):
//   - PushDecodeValidate: DecodeLokiPushJson + ValidatePush, no pipeline (the unconfigured path);
//   - PushDecodePipelineValidate: the same with ApplyPushPipeline (logfmt -> labels level) between
//     them: the regrouping into two streams included.
// One PipelineEntry is reused as a listener thread would; OutputLabels() is called per entry, as
// a listener must, so the cost of building promoted label sets is included.
//
//   cmake -S . -B build-bench -G Ninja -DSILT_BUILD_BENCH=ON -DCMAKE_BUILD_TYPE=Release
//   ninja -C build-bench pipeline_bench && build-bench/tests/pipeline_bench
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "aggregator/ingest/pipeline/listener_pipeline.h"
#include "aggregator/ingest/pipeline/pipeline.h"
#include "aggregator/ingest/push/loki_json_decoder.h"
#include "aggregator/ingest/push/push_pipeline.h"
#include "aggregator/ingest/push/push_validator.h"

namespace silt::ingest {
namespace {

constexpr int kLines = 4096;

std::vector<std::string> JsonLines() {
  std::vector<std::string> lines;
  const char* levels[] = {"info", "warn", "error", "debug"};
  for (int i = 0; i < kLines; ++i) {
    char buf[256];
    int n = std::snprintf(buf, sizeof(buf),
                          R"({"time":"2023-11-14T22:13:%02d.%06dZ","level":"%s","msg":"request )"
                          R"(done","ctx":{"user":"u%d","path":"/api/v1/items/%d"},"status":200})",
                          i % 60, i * 7 % 1000000, levels[i % 4], i % 500, i);
    lines.emplace_back(buf, static_cast<size_t>(n));
  }
  return lines;
}

std::vector<std::string> AccessLines() {
  std::vector<std::string> lines;
  const char* methods[] = {"GET", "POST", "PUT"};
  for (int i = 0; i < kLines; ++i) {
    char buf[256];
    int n = std::snprintf(buf, sizeof(buf),
                          "10.0.%d.%d - - [14/Nov/2023:22:13:20 +0000] \"%s /api/v1/items/%d "
                          "HTTP/1.1\" %d 512 \"-\" \"curl/8.0\"",
                          i % 256, i % 200, methods[i % 3], i, i % 7 == 0 ? 500 : 200);
    lines.emplace_back(buf, static_cast<size_t>(n));
  }
  return lines;
}

std::vector<std::string> LogfmtLines() {
  std::vector<std::string> lines;
  for (int i = 0; i < kLines; ++i) {
    char buf[256];
    int n = std::snprintf(buf, sizeof(buf),
                          "ts=2023-11-14T22:13:20Z level=%s msg=\"request done\" user=u%d "
                          "path=/api/v1/items/%d status=200 took=%dms",
                          i % 2 ? "info" : "warn", i % 500, i, i % 300);
    lines.emplace_back(buf, static_cast<size_t>(n));
  }
  return lines;
}

void Run(benchmark::State& state, std::string_view yaml, const std::vector<std::string>& lines) {
  metrics::Registry registry;
  Result<PipelineConfig> config = ParsePipelineConfig(yaml, "bench.yaml");
  if (!config.ok()) {
    state.SkipWithError(config.status().ToString().c_str());
    return;
  }
  Result<std::unique_ptr<Pipeline>> pipeline =
      Pipeline::Create(std::move(*config), {.name = "bench", .registry = &registry});
  if (!pipeline.ok()) {
    state.SkipWithError(pipeline.status().ToString().c_str());
    return;
  }
  labels::LabelSet stream = labels::LabelSet::Of({{"job", "bench"}, {"host", "h1"}});
  PipelineEntry entry;
  size_t i = 0;
  int64_t bytes = 0;
  for (auto _ : state) {
    const std::string& line = lines[i++ % lines.size()];
    entry.Reset(stream, 1, line);
    bool keep = (*pipeline)->Apply(entry);
    labels::LabelSet out = entry.OutputLabels();
    benchmark::DoNotOptimize(keep);
    benchmark::DoNotOptimize(out);
    bytes += static_cast<int64_t>(line.size());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetBytesProcessed(bytes);
}

void BM_JsonLabelsTimestamp(benchmark::State& state) {
  static const std::vector<std::string> lines = JsonLines();
  Run(state,
      "pipeline:\n"
      "  - json: {fields: {level: level, user: ctx.user, ts: time}}\n"
      "  - labels: {names: [level], max_values_per_label: 50}\n"
      "  - timestamp: {source: ts, format: RFC3339Nano}\n"
      "  - structured_metadata: {names: [user]}\n",
      lines);
}
BENCHMARK(BM_JsonLabelsTimestamp);

void BM_JsonAll(benchmark::State& state) {
  static const std::vector<std::string> lines = JsonLines();
  Run(state, "pipeline:\n  - json: {}\n", lines);
}
BENCHMARK(BM_JsonAll);

void BM_Regex(benchmark::State& state) {
  static const std::vector<std::string> lines = AccessLines();
  Run(state,
      "pipeline:\n"
      "  - regex: {expression: '^(?P<ip>\\S+) \\S+ \\S+ \\[(?P<ts>[^\\]]+)\\] \"(?P<method>\\S+) "
      "(?P<path>\\S+) [^\"]*\" (?P<status>\\d+)'}\n"
      "  - labels: {names: [method, status]}\n"
      "  - timestamp: {source: ts, format: '02/Jan/2006:15:04:05 -0700'}\n",
      lines);
}
BENCHMARK(BM_Regex);

void BM_Logfmt(benchmark::State& state) {
  static const std::vector<std::string> lines = LogfmtLines();
  Run(state, "pipeline:\n  - logfmt: {}\n  - labels: {names: [level]}\n", lines);
}
BENCHMARK(BM_Logfmt);

// A Loki JSON push body of 1000 logfmt lines of stream {job="bench"}, recent timestamps.
std::string PushBody() {
  const std::vector<std::string> lines = LogfmtLines();
  const int64_t now = time::SystemClock().WallNanos();
  std::string body = R"({"streams":[{"stream":{"job":"bench"},"values":[)";
  for (int i = 0; i < 1000; ++i) {
    std::string escaped;
    for (char c : lines[i]) {
      if (c == '"') escaped += '\\';
      escaped += c;
    }
    body += (i > 0 ? ",[\"" : "[\"") + std::to_string(now + i) + "\",\"" + escaped + "\"]";
  }
  return body + "]}]}";
}

void RunPush(benchmark::State& state, const ListenerPipeline* pipeline) {
  static const std::string body = PushBody();
  const int64_t now = time::SystemClock().WallNanos();
  const PushLimits limits;
  for (auto _ : state) {
    DecodedPush decoded = DecodeLokiPushJson(body);
    if (pipeline != nullptr) ApplyPushPipeline(*pipeline, &decoded);
    engine::PushRequest request;
    size_t bytes = ValidatePush(limits, now, &decoded, &request);
    if (request.EntryCount() != 1000) state.SkipWithError("entries were lost");
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * 1000);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}

void BM_PushDecodeValidate(benchmark::State& state) { RunPush(state, nullptr); }
BENCHMARK(BM_PushDecodeValidate);

void BM_PushDecodePipelineValidate(benchmark::State& state) {
  metrics::Registry registry;
  Result<PipelineConfig> config =
      ParsePipelineConfig("pipeline:\n  - logfmt: {}\n  - labels: {names: [level]}\n", "b.yaml");
  if (!config.ok()) return state.SkipWithError(config.status().ToString().c_str());
  Result<std::unique_ptr<ListenerPipeline>> pipeline =
      ListenerPipeline::Create(std::move(*config), {.listener = "push", .registry = &registry});
  if (!pipeline.ok()) return state.SkipWithError(pipeline.status().ToString().c_str());
  RunPush(state, pipeline->get());
}
BENCHMARK(BM_PushDecodePipelineValidate);

}  // namespace
}  // namespace silt::ingest

BENCHMARK_MAIN();
