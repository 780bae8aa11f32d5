#include "tests/bench/api/query_load.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/bench/api/http_client.h"
#include "tests/bench/api/push_body.h"
#include "tests/bench/loggen/generator.h"

namespace silt::bench {
namespace {

constexpr int kHosts = 10;
constexpr const char* kLevels[] = {"debug", "info", "warn", "error"};
constexpr int kLevelCount = 4;

// The index in kLevels of the line's "level" member (info when absent or unknown).
int LevelOf(std::string_view line) {
  const size_t at = line.find("\"level\":\"");
  if (at == std::string_view::npos) return 1;
  const std::string_view rest = line.substr(at + 9);
  for (int i = 0; i < kLevelCount; ++i) {
    if (rest.starts_with(kLevels[i]) &&
        rest.substr(std::string_view(kLevels[i]).size()).starts_with("\"")) {
      return i;
    }
  }
  return 1;
}

struct Shared {
  const LoadOptions* options;
  int port;
  int64_t start_ns;
  double step_ns;
  uint64_t entries;
  std::mutex mu;
  Status error;  // the first failure; guarded by mu
  std::atomic<bool> failed{false};
  std::atomic<uint64_t> line_bytes{0}, body_bytes{0}, retries{0};
};

// One body: entries [first, last) in kHosts x kLevelCount streams.
std::string MakeBody(loggen::Generator& generator, const Shared& shared, uint64_t first,
                     uint64_t last, uint64_t* line_bytes) {
  std::vector<BodyStream> streams(kHosts * kLevelCount);
  for (int h = 0; h < kHosts; ++h) {
    for (int l = 0; l < kLevelCount; ++l) {
      streams[h * kLevelCount + l].labels = {
          {"job", "x"}, {"host", "h" + std::to_string(h)}, {"level", kLevels[l]}};
    }
  }
  for (uint64_t i = first; i < last; ++i) {
    const int64_t ts =
        shared.start_ns + static_cast<int64_t>(static_cast<double>(i) * shared.step_ns);
    const std::string_view line = generator.NextAt(ts).line;
    *line_bytes += line.size();
    streams[(i % kHosts) * kLevelCount + LevelOf(line)].entries.emplace_back(ts, line);
  }
  std::erase_if(streams, [](const BodyStream& s) { return s.entries.empty(); });
  return LokiProtoBody(streams);
}

Status PushWithRetry(HttpClient& client, const std::string& body, Shared& shared) {
  for (;;) {
    SILT_ASSIGN_OR_RETURN(HttpReply reply,
                          client.Request("POST", "/loki/api/v1/push",
                                         {"Content-Type: application/x-protobuf"}, body));
    if (reply.status == 204) return Status::Ok();
    if (reply.status != 429 && reply.status != 503) {
      return Status::IOError("protobuf push answered " + std::to_string(reply.status) + ": " +
                             reply.body.substr(0, 300));
    }
    ++shared.retries;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void PushThread(Shared& shared, int thread) {
  loggen::GeneratorOptions generator_options;
  generator_options.format = loggen::Format::kJson;
  generator_options.seed = 1 + static_cast<uint64_t>(thread);
  auto generator = loggen::Generator::Create(generator_options);
  Status status = generator.status();
  HttpClient client(shared.port);
  const uint64_t per_body = shared.options->entries_per_body;
  const uint64_t stride = per_body * static_cast<uint64_t>(shared.options->threads);
  for (uint64_t first = per_body * static_cast<uint64_t>(thread);
       status.ok() && first < shared.entries && !shared.failed; first += stride) {
    uint64_t line_bytes = 0;
    const std::string body = MakeBody(**generator, shared, first,
                                      std::min(first + per_body, shared.entries), &line_bytes);
    shared.line_bytes += line_bytes;
    shared.body_bytes += body.size();
    status = PushWithRetry(client, body, shared);
  }
  if (!status.ok()) {
    std::lock_guard<std::mutex> lock(shared.mu);
    if (!shared.failed.exchange(true)) shared.error = status;
  }
}

}  // namespace

Result<LoadResult> LoadHour(int http_port, const LoadOptions& options) {
  const auto entries = static_cast<uint64_t>(options.duration_s * options.rate);
  if (entries == 0 || options.threads < 1 || options.entries_per_body == 0) {
    return Status::InvalidArgument(
        "query: --duration x --rate must give at least one line, with --push-threads >= 1");
  }
  Shared shared;
  shared.options = &options;
  shared.port = http_port;
  shared.entries = entries;
  shared.step_ns = 1e9 / options.rate;
  const int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  shared.start_ns = now - 10'000'000'000 - static_cast<int64_t>(options.duration_s * 1e9);
  const auto begin = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < options.threads; ++t) {
    threads.emplace_back([&shared, t] { PushThread(shared, t); });
  }
  for (std::thread& thread : threads) thread.join();
  if (shared.failed) return shared.error;
  LoadResult result;
  result.entries = entries;
  result.line_bytes = shared.line_bytes;
  result.body_bytes = shared.body_bytes;
  result.retries = shared.retries;
  result.start_ns = shared.start_ns;
  result.end_ns =
      shared.start_ns + static_cast<int64_t>(static_cast<double>(entries - 1) * shared.step_ns);
  result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  return result;
}

}  // namespace silt::bench
