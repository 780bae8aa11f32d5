// Tailing throughput and memory of silt-agent.
//
// BM_TailToNull/files:F   one core reading, splitting and batching ~64 MiB of realistic syslog
//                         (RFC 5424) lines averaging 100 bytes (silt-loggen, fixed seed) over F
//                         files, through TailerSet into the null sink (positions confirmed, nothing
//                         written). items/s = lines/s, bytes/s = file bytes/s, per CPU second.
// BM_TailToJsonl/files:F  the same into the jsonl sink writing to /dev/null (JSON encoding cost).
// BM_RawReadLines         the peer on the same bytes: pread in 64 KiB chunks and memchr for
//                         newlines, nothing else. The ratio to it is the tailer's overhead.
// BM_AgentRss/files:F     the real build/bin/silt-agent (`--output null`) tailing F files of 100
//                         lines each; once every line is read, VmHWM and VmRSS of the process
//                         (KiB) from /proc/<pid>/status.
// Files live in a temp directory under $TMPDIR and are read from the page cache.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "agent/positions/positions_store.h"
#include "agent/sink/jsonl_sink.h"
#include "agent/sink/null_sink.h"
#include "agent/tailer/source_id_generator.h"
#include "agent/tailer/tailer_set.h"
#include "shared/fs/posix_file_system.h"
#include "shared/time/clock.h"
#include "tests/bench/loggen/generator.h"

extern char** environ;

namespace silt::agent {
namespace {

constexpr size_t kTotalBytes = size_t{64} << 20;

std::string MakeTempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/silt-tail-bench-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) std::abort();
  return pattern;
}

// Writes `files` files holding `total_bytes` of syslog lines (average 100 bytes with the '\n')
// round-robin; returns their paths and the line count.
std::vector<std::string> WriteFiles(const std::string& dir, int files, size_t total_bytes,
                                    uint64_t* lines) {
  loggen::GeneratorOptions options;
  options.format = loggen::Format::kSyslog5424;
  options.line_size = 99;
  auto generator = loggen::Generator::Create(options);
  if (!generator.ok()) std::abort();
  std::vector<std::string> texts(files);
  size_t written = 0;
  *lines = 0;
  for (size_t i = 0; written < total_bytes; ++i) {
    const loggen::Entry& entry = (*generator)->Next();
    std::string& text = texts[i % texts.size()];
    text.append(entry.line);
    text.push_back('\n');
    written += entry.line.size() + 1;
    ++*lines;
  }
  std::vector<std::string> paths;
  for (int f = 0; f < files; ++f) {
    paths.push_back(dir + "/f" + std::to_string(f) + ".log");
    std::ofstream(paths.back(), std::ios::binary) << texts[f];
  }
  return paths;
}

struct Corpus {
  std::string dir;
  std::vector<std::string> paths;
  uint64_t lines = 0;
  size_t bytes = 0;
};

// Corpora by file count, written once per process and removed at exit.
struct Corpora {
  ~Corpora() {
    for (const auto& [files, corpus] : by_files) std::filesystem::remove_all(corpus.dir);
  }
  std::map<int, Corpus> by_files;
};

const Corpus& CorpusOf(int files) {
  static Corpora corpora;
  Corpus& corpus = corpora.by_files[files];
  if (corpus.paths.empty()) {
    corpus.dir = MakeTempDir();
    corpus.paths = WriteFiles(corpus.dir, files, kTotalBytes, &corpus.lines);
    for (const std::string& path : corpus.paths) corpus.bytes += std::filesystem::file_size(path);
  }
  return corpus;
}

// Reads the whole corpus once through a fresh TailerSet into `sink`; returns the lines read.
uint64_t TailOnce(const Corpus& corpus, fs::FileSystem* fs, PositionsStore* store,
                  BatchSink* sink) {
  SeededSourceIdGenerator ids(1);
  TailerSet tailers(fs, store, &ids, sink, TailerSet::Options{});
  tailers.OnRescan(corpus.paths);
  while (true) {
    PollResult result = tailers.Poll(0);
    if (!result.more && result.lines == 0) break;
  }
  return tailers.stats().lines_read;
}

void BM_TailToNull(benchmark::State& state) {
  const Corpus& corpus = CorpusOf(static_cast<int>(state.range(0)));
  fs::PosixFileSystem fs;
  for (auto _ : state) {
    PositionsStore store(&fs, corpus.dir + "/positions");
    NullSink sink(&store);
    if (TailOnce(corpus, &fs, &store, &sink) != corpus.lines) state.SkipWithError("short read");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * corpus.lines));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus.bytes));
  state.counters["avg_line_bytes"] = static_cast<double>(corpus.bytes) / corpus.lines;
}
BENCHMARK(BM_TailToNull)->ArgName("files")->Arg(1)->Arg(100)->Unit(benchmark::kMillisecond);

void BM_TailToJsonl(benchmark::State& state) {
  const Corpus& corpus = CorpusOf(static_cast<int>(state.range(0)));
  fs::PosixFileSystem fs;
  time::SystemClock clock;
  for (auto _ : state) {
    PositionsStore store(&fs, corpus.dir + "/positions");
    auto sink = JsonlSink::Open("/dev/null", &store, &clock, [](const std::string&) {
      return labels::LabelSet::Of({{"job", "bench"}, {"host", "web-01"}});
    });
    if (!sink.ok()) std::abort();
    if (TailOnce(corpus, &fs, &store, sink->get()) != corpus.lines) {
      state.SkipWithError("short read");
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * corpus.lines));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus.bytes));
}
BENCHMARK(BM_TailToJsonl)->ArgName("files")->Arg(1)->Unit(benchmark::kMillisecond);

void BM_RawReadLines(benchmark::State& state) {
  const Corpus& corpus = CorpusOf(1);
  std::vector<char> buffer(64 * 1024);
  for (auto _ : state) {
    uint64_t lines = 0;
    for (const std::string& path : corpus.paths) {
      const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      off_t offset = 0;
      ssize_t n;
      while ((n = ::pread(fd, buffer.data(), buffer.size(), offset)) > 0) {
        offset += n;
        for (const char* p = buffer.data();
             (p = static_cast<const char*>(std::memchr(p, '\n', buffer.data() + n - p))) != nullptr;
             ++p) {
          ++lines;
        }
      }
      ::close(fd);
    }
    benchmark::DoNotOptimize(lines);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * corpus.lines));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus.bytes));
}
BENCHMARK(BM_RawReadLines)->Unit(benchmark::kMillisecond);

// The value of `key` ("VmHWM:") in /proc/<pid>/status, in KiB; -1 when absent.
long StatusKib(pid_t pid, const std::string& key) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) return std::strtol(line.c_str() + key.size(), nullptr, 10);
  }
  return -1;
}

bool LogShows(const std::string& log_path, const std::string& needle) {
  std::ifstream in(log_path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str().find(needle) != std::string::npos;
}

void BM_AgentRss(benchmark::State& state) {
  const int files = static_cast<int>(state.range(0));
  const std::string dir = MakeTempDir();
  uint64_t lines = 0;
  std::filesystem::create_directory(dir + "/logs");
  WriteFiles(dir + "/logs", files, static_cast<size_t>(files) * 100 * 100, &lines);
  std::ofstream(dir + "/agent.yaml")
      << "positions: {file: " << dir << "/positions}\nstatus: {log_interval: 100ms}\n"
      << "watches:\n  - paths: [" << dir << "/logs/*.log]\n    labels: {job: bench}\n";
  for (auto _ : state) {
    const std::string log = dir + "/agent.log";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::string config = dir + "/agent.yaml";
    char* argv[] = {
        const_cast<char*>(SILT_AGENT_BINARY), const_cast<char*>("--config"), config.data(),
        const_cast<char*>("--output"),        const_cast<char*>("null"),     nullptr};
    pid_t pid = -1;
    if (::posix_spawn(&pid, argv[0], &actions, nullptr, argv, environ) != 0) std::abort();
    posix_spawn_file_actions_destroy(&actions);
    const std::string done = "lines_read=" + std::to_string(lines) + " ";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!LogShows(log, done) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    state.counters["vm_hwm_kib"] = static_cast<double>(StatusKib(pid, "VmHWM:"));
    state.counters["vm_rss_kib"] = static_cast<double>(StatusKib(pid, "VmRSS:"));
    state.counters["lines"] = static_cast<double>(lines);
    ::kill(pid, SIGTERM);
    ::waitpid(pid, nullptr, 0);
    if (!LogShows(log, done)) state.SkipWithError("the agent did not read every line");
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_AgentRss)->ArgName("files")->Arg(100)->Arg(1000)->Iterations(1)->UseRealTime();

}  // namespace
}  // namespace silt::agent

BENCHMARK_MAIN();
