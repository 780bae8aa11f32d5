#include "aggregator/index/index_loader.h"

#include <map>
#include <memory>
#include <utility>

#include "aggregator/index/index_file.h"
#include "aggregator/index/index_format.h"
#include "aggregator/store/binary_coding.h"
#include "aggregator/store/chunk_format.h"

namespace silt::index {
namespace {

struct ChunkFile {
  std::string name;
  uint64_t size = 0;
};

// The chunk files of `dir` with their sizes, by name.
Result<std::vector<ChunkFile>> ListChunkFiles(fs::FileSystem* fs, const std::string& dir) {
  SILT_ASSIGN_OR_RETURN(std::vector<std::string> names, fs->ListDir(dir));
  std::vector<ChunkFile> files;
  for (std::string& name : names) {
    if (!IsChunkFileName(name)) continue;
    SILT_ASSIGN_OR_RETURN(fs::FileInfo info, fs->Stat(fs::JoinPath(dir, name)));
    if (info.is_directory) continue;
    files.push_back({std::move(name), info.size});
  }
  return files;
}

// The footer checksum field of the chunk file at `path` of `size` bytes.
Result<uint64_t> ReadFooterChecksum(fs::FileSystem* fs, const std::string& path, uint64_t size) {
  if (size < store::kFooterSize) return Status::Corruption(path + ": too short for a chunk file");
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<fs::RandomAccessFile> file, fs->NewRandomAccessFile(path));
  char bytes[8];
  SILT_ASSIGN_OR_RETURN(
      size_t n, file->Read(size - store::kFooterSize + store::kFooterChecksumOffset, 8, bytes));
  if (n != 8) return Status::Corruption(path + ": shorter than when it was listed");
  return store::DecodeFixed(bytes, 8);
}

// Empty when `index` covers exactly `files`; otherwise what changed (the first few differences).
std::string Staleness(fs::FileSystem* fs, const std::string& dir, const PartitionIndex& index,
                      const std::vector<ChunkFile>& files, bool verify_footers) {
  std::map<std::string, uint64_t, std::less<>> covered;
  for (const auto& chunk : index.chunks()) covered.emplace(chunk->file_name, chunk->file_size);
  for (const SkippedChunk& chunk : index.skipped_chunks()) {
    covered.emplace(chunk.file_name, chunk.file_size);
  }
  std::vector<std::string> changes;
  for (const ChunkFile& file : files) {
    auto it = covered.find(file.name);
    if (it == covered.end()) {
      changes.push_back(file.name + " was added");
      continue;
    }
    if (it->second != file.size) {
      changes.push_back(file.name + " changed size from " + std::to_string(it->second) + " to " +
                        std::to_string(file.size));
    }
    covered.erase(it);
  }
  for (const auto& [name, size] : covered) changes.push_back(name + " was removed");
  if (changes.empty() && verify_footers) {
    for (const auto& chunk : index.chunks()) {
      Result<uint64_t> checksum =
          ReadFooterChecksum(fs, fs::JoinPath(dir, chunk->file_name), chunk->file_size);
      if (!checksum.ok() || *checksum != chunk->footer_checksum) {
        changes.push_back(chunk->file_name + " has a different footer");
      }
    }
  }
  std::string text;
  for (size_t i = 0; i < changes.size() && i < 5; ++i) text += (i > 0 ? "; " : "") + changes[i];
  if (changes.size() > 5) text += "; and " + std::to_string(changes.size() - 5) + " more";
  return text;
}

// Empty when every chunk `index` lists as skipped still fails to open; otherwise names the first
// that opens now. A chunk skipped by an older build that did not know its format version (after
// a downgrade) reads again once a build that knows it starts, so it must rejoin the index.
std::string SkippedChunkThatNowOpens(fs::FileSystem* fs, const std::string& dir,
                                     const PartitionIndex& index,
                                     store::ChunkReaderOptions reader_options) {
  reader_options.counters = nullptr;  // a chunk still damaged was counted when it was skipped
  for (const SkippedChunk& chunk : index.skipped_chunks()) {
    Result<std::unique_ptr<fs::RandomAccessFile>> file =
        fs->NewRandomAccessFile(fs::JoinPath(dir, chunk.file_name));
    if (!file.ok()) continue;
    Result<std::unique_ptr<store::ChunkReader>> reader =
        store::ChunkReader::Open(file->get(), reader_options);
    // A readable chunk of another tenant or partition stays skipped (a rebuild would skip it
    // again, and every start would rebuild).
    if (!reader.ok() || !index.CheckBelongs(**reader).ok()) continue;
    return chunk.file_name + ", skipped when the index was built (" + chunk.reason +
           "), now reads";
  }
  return "";
}

void Skip(const std::string& path, const Status& why, IndexLoadReport* report) {
  ++report->chunks_skipped;
  report->problems.push_back(path + ": " + why.ToString());
}

// Indexes one chunk file into `index`, or records in `report` why not. Sets `*complete` to false
// when the file could not be read (as opposed to being damaged).
void IndexChunkFile(fs::FileSystem* fs, const std::string& dir, const ChunkFile& file,
                    const IndexLoadOptions& options, PartitionIndex* index, IndexLoadReport* report,
                    bool* complete) {
  const std::string path = fs::JoinPath(dir, file.name);
  Result<std::unique_ptr<fs::RandomAccessFile>> opened = fs->NewRandomAccessFile(path);
  if (!opened.ok()) {
    *complete = false;
    return Skip(path, opened.status(), report);
  }
  Result<std::unique_ptr<store::ChunkReader>> reader =
      store::ChunkReader::Open(opened->get(), options.reader);
  Status status = reader.ok() ? index->AddChunk(file.name, **reader) : reader.status();
  if (status.ok()) {
    ++report->chunks_indexed;
    return;
  }
  if (status.code() == StatusCode::kCorruption || status.code() == StatusCode::kInvalidArgument) {
    // Damage or a misplaced file: remembered, so the index still matches the directory.
    index->AddSkippedChunk({file.name, file.size, std::string(status.message())}).IgnoreError();
  } else {
    *complete = false;
  }
  Skip(path, status, report);
}

// Rebuilds from the chunk files; false in the second member when some could not be read.
std::pair<PartitionIndex, bool> Rebuild(fs::FileSystem* fs, const std::string& dir,
                                        const std::vector<ChunkFile>& files,
                                        const IndexLoadOptions& options, IndexLoadReport* report) {
  PartitionIndex index;
  bool complete = true;
  for (const ChunkFile& file : files) {
    IndexChunkFile(fs, dir, file, options, &index, report, &complete);
  }
  return {std::move(index), complete};
}

RebuildReason ReasonFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kNotFound:
      return RebuildReason::kMissing;
    case StatusCode::kCorruption:
      return RebuildReason::kCorrupt;
    default:
      return RebuildReason::kUnreadable;
  }
}

}  // namespace

bool IsChunkFileName(std::string_view name) {
  return name.size() > 11 && name.starts_with("chunk-") && name.ends_with(".silt");
}

std::string_view RebuildReasonName(RebuildReason reason) {
  switch (reason) {
    case RebuildReason::kNone:
      return "none";
    case RebuildReason::kMissing:
      return "missing";
    case RebuildReason::kUnreadable:
      return "unreadable";
    case RebuildReason::kCorrupt:
      return "corrupt";
    case RebuildReason::kStale:
      return "stale";
    case RebuildReason::kRequested:
      return "requested";
  }
  return "unknown";
}

Result<LoadedIndex> LoadOrRebuild(fs::FileSystem* fs, const std::string& partition_dir,
                                  const IndexLoadOptions& options) {
  SILT_ASSIGN_OR_RETURN(std::vector<ChunkFile> files, ListChunkFiles(fs, partition_dir));
  LoadedIndex loaded;
  IndexLoadReport& report = loaded.report;
  report.partition_dir = partition_dir;
  report.chunk_files = files.size();
  Result<PartitionIndex> stored = ReadIndexFile(fs, partition_dir);
  if (stored.ok()) {
    report.rebuild_detail =
        Staleness(fs, partition_dir, *stored, files, options.verify_chunk_footers);
    if (report.rebuild_detail.empty()) {
      report.rebuild_detail =
          SkippedChunkThatNowOpens(fs, partition_dir, *stored, options.reader);
    }
    if (report.rebuild_detail.empty()) {
      report.chunks_indexed = stored->chunks().size();
      for (const SkippedChunk& chunk : stored->skipped_chunks()) {
        Skip(fs::JoinPath(partition_dir, chunk.file_name),
             Status::Corruption("skipped when the index was built: " + chunk.reason), &report);
      }
      loaded.index = *std::move(stored);
      return loaded;
    }
    report.rebuild_reason = RebuildReason::kStale;
  } else {
    report.rebuild_reason = ReasonFor(stored.status());
    report.rebuild_detail = stored.status().ToString();
  }
  auto [index, complete] = Rebuild(fs, partition_dir, files, options, &report);
  loaded.index = std::move(index);
  report.complete = complete;
  // An empty directory gets no index file, but a stale one is replaced.
  const bool had_file = report.rebuild_reason != RebuildReason::kMissing;
  if (options.write_rebuilt_index && complete && (!files.empty() || had_file)) {
    report.write_status = WriteIndexFile(fs, partition_dir, loaded.index);
    report.index_written = report.write_status.ok();
  }
  return loaded;
}

Result<IndexLoadReport> RebuildIndex(fs::FileSystem* fs, const std::string& partition_dir,
                                     const IndexLoadOptions& options) {
  SILT_ASSIGN_OR_RETURN(std::vector<ChunkFile> files, ListChunkFiles(fs, partition_dir));
  IndexLoadReport report;
  report.partition_dir = partition_dir;
  report.chunk_files = files.size();
  report.rebuild_reason = RebuildReason::kRequested;
  auto [index, complete] = Rebuild(fs, partition_dir, files, options, &report);
  if (!complete) {
    return Status::Unavailable("rebuilding the index of " + partition_dir +
                               ": some chunk files could not be read, so the index was not "
                               "written; run again when the file system is healthy. First: " +
                               report.problems.front());
  }
  report.write_status = WriteIndexFile(fs, partition_dir, index);
  SILT_RETURN_IF_ERROR(report.write_status);
  report.index_written = true;
  return report;
}

}  // namespace silt::index
