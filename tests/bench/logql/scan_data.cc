#include "tests/bench/logql/scan_data.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>
#include <type_traits>
#include <vector>

#include "aggregator/engine/storage_engine.h"
#include "aggregator/store/chunk_format.h"
#include "shared/fs/posix_file_system.h"
#include "shared/labels/label_set.h"
#include "shared/time/clock.h"
#include "tests/bench/aggregator/child_process.h"
#include "tests/bench/aggregator/fd_io.h"

namespace silt::bench {
namespace {

namespace stdfs = std::filesystem;

// What the generation + ingest child sends back. Trivially copyable: sent as bytes.
struct IngestFigures {
  uint64_t raw_bytes = 0;
  uint64_t entries = 0;
  uint64_t rare_entries = 0;
  int64_t first_ts = 0;
  int64_t last_ts = 0;
  uint64_t pushes = 0;
  uint64_t rejected = 0;  // entries the engine refused (must stay 0)
};
static_assert(std::is_trivially_copyable_v<IngestFigures>);

// One entry of a batch: where its line lies in the batch text.
struct BatchEntry {
  int64_t timestamp_ns = 0;
  uint32_t stream = 0;
  uint32_t length = 0;
  size_t offset = 0;
};

struct Batch {
  std::string text;  // each line and '\n'
  std::vector<BatchEntry> entries;
};

std::string ParamsText(const DataSetOptions& o) {
  const loggen::GeneratorOptions& g = o.generator;
  std::ostringstream out;
  out << "format=" << loggen::FormatName(g.format) << " seed=" << g.seed << " streams=" << g.streams
      << " line_size=" << g.line_size << " bytes=" << o.bytes << " start_ns=" << g.start_ns
      << " step_ns=" << g.step_ns << " jitter_ns=" << g.jitter_ns << " rare_token=" << g.rare_token
      << " rare_token_rate=" << g.rare_token_rate
      << " chunk_format=" << static_cast<int>(store::kChunkFormatVersion);
  return out.str();
}

Result<std::vector<labels::LabelSet>> StreamLabels(const loggen::Generator& generator) {
  std::vector<labels::LabelSet> out;
  const loggen::StreamSet& streams = generator.streams();
  for (size_t s = 0; s < streams.size(); ++s) {
    std::vector<labels::LabelView> views;
    for (const auto& [name, value] : streams[s].labels) views.push_back({name, value});
    SILT_ASSIGN_OR_RETURN(labels::LabelSet set, labels::LabelSet::FromSorted(views));
    out.push_back(std::move(set));
  }
  return out;
}

// Fills `batch` with the generator's next entries until it holds `batch_bytes` or the data
// set reaches `total` bytes (counted in `figures`).
void FillBatch(loggen::Generator* generator, size_t batch_bytes, uint64_t total, Batch* batch,
               IngestFigures* figures) {
  batch->text.clear();
  batch->entries.clear();
  while (batch->text.size() < batch_bytes && figures->raw_bytes < total) {
    const loggen::Entry& entry = generator->Next();
    batch->entries.push_back({entry.timestamp_ns, entry.stream->index,
                              static_cast<uint32_t>(entry.line.size()), batch->text.size()});
    batch->text.append(entry.line);
    batch->text.push_back('\n');
    if (figures->entries == 0) figures->first_ts = entry.timestamp_ns;
    figures->first_ts = std::min(figures->first_ts, entry.timestamp_ns);
    figures->last_ts = std::max(figures->last_ts, entry.timestamp_ns);
    figures->raw_bytes += entry.line.size() + 1;
    figures->rare_entries += entry.rare ? 1 : 0;
    ++figures->entries;
  }
}

// One PushStream per stream present in `batch`; the request views batch.text.
engine::PushRequest BuildRequest(const Batch& batch, const std::vector<labels::LabelSet>& streams,
                                 std::vector<int32_t>* slots) {
  engine::PushRequest request;
  request.tenant = kBenchTenant;
  slots->assign(streams.size(), -1);
  for (const BatchEntry& e : batch.entries) {
    int32_t& slot = (*slots)[e.stream];
    if (slot < 0) {
      slot = static_cast<int32_t>(request.streams.size());
      request.streams.push_back({streams[e.stream], {}});
    }
    engine::PushEntry entry;
    entry.timestamp = e.timestamp_ns;
    entry.line = std::string_view(batch.text).substr(e.offset, e.length);
    request.streams[slot].entries.push_back(entry);
  }
  return request;
}

// PushSync; a push refused because the head is full is retried once the background flusher
// has brought the head under its limit (polled every millisecond, as an agent backs off).
Status PushDurably(engine::StorageEngine* engine, const engine::PushRequest& request,
                   IngestFigures* figures) {
  for (;;) {
    Result<engine::PushOutcome> outcome = engine->PushSync(request);
    if (outcome.ok()) {
      ++figures->pushes;
      figures->rejected += outcome->rejected;
      if (outcome->rejected == 0) return Status::Ok();
      return Status::InvalidArgument("the engine rejected " + std::to_string(outcome->rejected) +
                                     " entries: " + outcome->rejections.front());
    }
    if (outcome.status().code() != StatusCode::kResourceExhausted) return outcome.status();
    while (engine->head().bytes() >= engine->options().head.max_bytes) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
}

// The child's body: generates the entries, appends them to raw.log and pushes them.
Result<IngestFigures> GenerateAndIngest(const DataSetOptions& o, const DataSet& paths) {
  SILT_ASSIGN_OR_RETURN(auto generator, loggen::Generator::Create(o.generator));
  SILT_ASSIGN_OR_RETURN(std::vector<labels::LabelSet> streams, StreamLabels(*generator));
  const int fd = ::open(paths.raw_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::FromErrno(errno, "creating " + paths.raw_path);
  fs::PosixFileSystem posix;
  time::SystemClock clock;
  engine::EngineOptions engine_options;
  engine_options.fs = &posix;
  engine_options.clock = &clock;
  engine_options.data_dir = paths.silt_dir;
  engine_options.chunk.build_blooms = true;
  Result<std::unique_ptr<engine::StorageEngine>> engine =
      engine::StorageEngine::Open(engine_options);
  if (!engine.ok()) {
    ::close(fd);
    return engine.status();
  }
  IngestFigures figures;
  Batch batch;
  std::vector<int32_t> slots;
  Status status;
  while (status.ok() && figures.raw_bytes < o.bytes) {
    FillBatch(generator.get(), o.batch_bytes, o.bytes, &batch, &figures);
    status = WriteAll(fd, batch.text, paths.raw_path);
    if (status.ok())
      status = PushDurably(engine->get(), BuildRequest(batch, streams, &slots), &figures);
  }
  if (::close(fd) != 0 && status.ok())
    status = Status::FromErrno(errno, "closing " + paths.raw_path);
  if (status.ok()) status = (*engine)->Flush(engine::StorageEngine::FlushScope::kAll);
  const Status closed = (*engine)->Close();
  SILT_RETURN_IF_ERROR(status);
  SILT_RETURN_IF_ERROR(closed);
  return figures;
}

uint64_t TreeBytes(const std::string& dir) {
  uint64_t total = 0;
  std::error_code error;
  for (auto it = stdfs::recursive_directory_iterator(dir, error);
       !error && it != stdfs::recursive_directory_iterator(); it.increment(error)) {
    if (it->is_regular_file(error)) total += it->file_size(error);
  }
  return total;
}

std::string ManifestPath(const DataSetOptions& o) { return o.dir + "/dataset.txt"; }

Status WriteManifest(const DataSetOptions& o, const DataSet& d) {
  const std::string path = ManifestPath(o);
  std::ofstream out(path, std::ios::trunc);
  out << "params " << ParamsText(o) << "\nraw_bytes " << d.raw_bytes << "\nentries " << d.entries
      << "\nrare_entries " << d.rare_entries << "\nfirst_ts " << d.first_ts << "\nlast_ts "
      << d.last_ts << "\nlz4_bytes " << d.lz4_bytes << "\n";
  out.close();
  if (!out) return Status::IOError("writing " + path + " (disk full?)");
  return Status::Ok();
}

// True when dataset.txt records the same parameters; then fills the figures of `d`.
bool ReadManifest(const DataSetOptions& o, DataSet* d) {
  std::ifstream in(ManifestPath(o));
  std::map<std::string, std::string> fields;
  std::string key, value;
  while (in >> key && std::getline(in >> std::ws, value)) fields[key] = value;
  if (fields["params"] != ParamsText(o)) return false;
  for (const char* name :
       {"raw_bytes", "entries", "rare_entries", "first_ts", "last_ts", "lz4_bytes"}) {
    if (fields[name].empty()) return false;
  }
  d->raw_bytes = std::stoull(fields["raw_bytes"]);
  d->entries = std::stoull(fields["entries"]);
  d->rare_entries = std::stoull(fields["rare_entries"]);
  d->first_ts = std::stoll(fields["first_ts"]);
  d->last_ts = std::stoll(fields["last_ts"]);
  d->lz4_bytes = std::stoull(fields["lz4_bytes"]);
  std::error_code error;
  return stdfs::file_size(d->raw_path, error) == d->raw_bytes && !error &&
         stdfs::file_size(d->lz4_path, error) == d->lz4_bytes && !error &&
         stdfs::is_directory(d->silt_dir, error);
}

Status Regenerate(const DataSetOptions& o, DataSet* d) {
  std::error_code error;
  for (const std::string& path : {ManifestPath(o), d->raw_path, d->lz4_path, d->silt_dir}) {
    stdfs::remove_all(path, error);
    if (error) return Status::FromErrno(error.value(), "removing the old " + path);
  }
  SILT_ASSIGN_OR_RETURN(ChildOutput output,
                        RunInChild("generation + ingest child", [&]() -> Result<std::string> {
                          SILT_ASSIGN_OR_RETURN(IngestFigures f, GenerateAndIngest(o, *d));
                          return std::string(reinterpret_cast<const char*>(&f), sizeof(f));
                        }));
  if (output.message.size() != sizeof(IngestFigures)) {
    return Status::IOError("the generation + ingest child sent " +
                           std::to_string(output.message.size()) + " bytes of figures");
  }
  IngestFigures f;
  std::memcpy(&f, output.message.data(), sizeof(f));
  std::printf("prepared %s entries in %s pushes: %.2f s CPU, peak RSS %.0f MiB (in no figure)\n",
              std::to_string(f.entries).c_str(), std::to_string(f.pushes).c_str(),
              output.usage.cpu_s(), static_cast<double>(output.usage.max_rss_kib) / 1024);
  SILT_ASSIGN_OR_RETURN(
      ChildUsage lz4, RunCommand({"lz4", "-1", "-q", "-f", d->raw_path, d->lz4_path}, "/dev/null"));
  d->raw_bytes = f.raw_bytes;
  d->entries = f.entries;
  d->rare_entries = f.rare_entries;
  d->first_ts = f.first_ts;
  d->last_ts = f.last_ts;
  d->lz4_bytes = stdfs::file_size(d->lz4_path, error);
  if (error) return Status::FromErrno(error.value(), "reading the size of " + d->lz4_path);
  d->prepare_cpu_s = output.usage.cpu_s() + lz4.cpu_s();
  return WriteManifest(o, *d);
}

}  // namespace

int64_t StepForSpan(uint64_t bytes, uint32_t line_size, int64_t span_ns) {
  const double entry_bytes = (line_size == 0 ? 160.0 : line_size) + 1.0;
  const double entries = std::max(1.0, static_cast<double>(bytes) / entry_bytes);
  return std::max<int64_t>(1, static_cast<int64_t>(static_cast<double>(span_ns) * 0.98 / entries));
}

Result<DataSet> PrepareDataSet(const DataSetOptions& options) {
  SILT_RETURN_IF_ERROR(loggen::ValidateGeneratorOptions(options.generator));
  std::error_code error;
  stdfs::create_directories(options.dir, error);
  if (error) {
    return Status::FromErrno(error.value(), "creating the work directory " + options.dir +
                                                " (pass a writable one with --dir)");
  }
  DataSet d;
  d.raw_path = options.dir + "/raw.log";
  d.lz4_path = d.raw_path + ".lz4";
  d.silt_dir = options.dir + "/silt-data";
  d.reused = ReadManifest(options, &d);
  if (!d.reused) SILT_RETURN_IF_ERROR(Regenerate(options, &d));
  d.silt_bytes = TreeBytes(d.silt_dir);
  return d;
}

}  // namespace silt::bench
