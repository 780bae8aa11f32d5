#include "aggregator/app/verify_command.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "aggregator/app/counted.h"
#include "aggregator/app/data_dir_walk.h"
#include "aggregator/engine/data_layout.h"
#include "aggregator/index/index_loader.h"
#include "aggregator/store/chunk_reader.h"
#include "aggregator/wal/segment_file.h"
#include "aggregator/wal/segment_reader.h"
#include "shared/fs/posix_file_system.h"

namespace silt::aggregator {
namespace {

// The largest record a server may be configured to write (aggregator.yaml max_record_size), so
// no intact record is taken for damage.
constexpr uint32_t kLargestRecord = uint32_t{1} << 31;

struct PartitionCounts {
  size_t chunk_files = 0;
  size_t blocks = 0;
  uint64_t entries = 0;
  std::vector<std::string> problems;
};

// Reads every block and bloom of the chunk file at `path`; IOError only when reading fails.
Status VerifyChunk(fs::FileSystem* fs, const std::string& path, PartitionCounts* counts) {
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<fs::RandomAccessFile> file, fs->NewRandomAccessFile(path));
  Result<std::unique_ptr<store::ChunkReader>> reader = store::ChunkReader::Open(file.get());
  if (!reader.ok()) {
    if (reader.status().code() != StatusCode::kCorruption) return reader.status();
    counts->problems.push_back(reader.status().ToString());
    return Status::Ok();
  }
  for (size_t s = 0; s < (*reader)->streams().size(); ++s) {
    for (size_t b = 0; b < (*reader)->streams()[s].blocks.size(); ++b) {
      ++counts->blocks;
      Result<std::shared_ptr<const store::ChunkBlock>> block =
          (*reader)->ReadBlock(s, b, store::BlockReadOptions{.fill_cache = false});
      if (block.ok()) {
        counts->entries += (*block)->size();
      } else if (block.status().code() == StatusCode::kCorruption) {
        counts->problems.push_back(block.status().ToString());
      } else {
        return block.status();
      }
      auto bloom = (*reader)->ReadBloom(s, b);
      if (!bloom.ok()) {
        if (bloom.status().code() != StatusCode::kCorruption) return bloom.status();
        counts->problems.push_back(bloom.status().ToString());
      }
    }
  }
  return Status::Ok();
}

Status VerifyPartition(fs::FileSystem* fs, const PartitionDir& partition, std::FILE* out,
                       VerifyReport* report) {
  PartitionCounts counts;
  SILT_ASSIGN_OR_RETURN(std::vector<std::string> names, fs->ListDir(partition.path));
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    if (!index::IsChunkFileName(name)) continue;
    ++counts.chunk_files;
    SILT_RETURN_IF_ERROR(VerifyChunk(fs, partition.path + "/" + name, &counts));
  }
  index::IndexLoadOptions load;
  load.write_rebuilt_index = false;
  SILT_ASSIGN_OR_RETURN(index::LoadedIndex loaded, index::LoadOrRebuild(fs, partition.path, load));
  const index::IndexLoadReport& index_report = loaded.report;
  const bool empty =
      counts.chunk_files == 0 && index_report.rebuild_reason == index::RebuildReason::kMissing;
  if (index_report.rebuild_reason != index::RebuildReason::kNone && !empty) {
    counts.problems.push_back(
        partition.path +
        "/index.silt: " + std::string(index::RebuildReasonName(index_report.rebuild_reason)) +
        (index_report.rebuild_detail.empty() ? "" : " (" + index_report.rebuild_detail + ")") +
        "; the server rebuilds it at start, or run silt-aggregator rebuild-index");
  }
  ++report->partitions;
  report->chunk_files += counts.chunk_files;
  report->blocks += counts.blocks;
  report->entries += counts.entries;
  report->problems += counts.problems.size();
  std::fprintf(out, "%s/%s: %s, %s, %s: %s\n", partition.tenant.c_str(), partition.name.c_str(),
               Counted(counts.chunk_files, "chunk file").c_str(),
               Counted(counts.blocks, "block").c_str(),
               Counted(counts.entries, "entry", "entries").c_str(),
               counts.problems.empty() ? "ok" : Counted(counts.problems.size(), "problem").c_str());
  for (const std::string& problem : counts.problems) std::fprintf(out, "  %s\n", problem.c_str());
  return Status::Ok();
}

Status VerifyWal(fs::FileSystem* fs, const std::string& data_dir, std::FILE* out,
                 VerifyReport* report) {
  const std::string dir = engine::WalDir(data_dir);
  if (!fs->FileExists(dir)) return Status::Ok();
  SILT_ASSIGN_OR_RETURN(std::vector<wal::SegmentFile> segments, wal::ListSegments(fs, dir));
  uint64_t last_sequence = 0;
  for (size_t i = 0; i < segments.size(); ++i) {
    const wal::SegmentFile& segment = segments[i];
    const bool newest = i + 1 == segments.size();
    SILT_ASSIGN_OR_RETURN(std::unique_ptr<wal::SegmentReader> reader,
                          wal::SegmentReader::Open(fs, segment.path, kLargestRecord, newest));
    SILT_ASSIGN_OR_RETURN(wal::SegmentReader::HeaderResult header,
                          reader->ReadHeader(segment.first_sequence));
    std::vector<std::string> problems;
    uint64_t records = 0;
    if (header.state != wal::SegmentReader::HeaderState::kOk) {
      problems.push_back("segment header: " + header.reason);
    } else {
      for (;;) {
        SILT_ASSIGN_OR_RETURN(wal::SegmentReader::Item item, reader->Next(last_sequence));
        if (item.kind == wal::SegmentReader::Item::Kind::kEnd) break;
        if (item.kind == wal::SegmentReader::Item::Kind::kRecord) {
          ++records;
          last_sequence = std::max(last_sequence, item.header.sequence);
          continue;
        }
        problems.push_back(std::string(wal::ProblemKindName(item.problem)) + " at offset " +
                           std::to_string(item.offset) + ", " + std::to_string(item.bytes) +
                           " bytes: " + item.reason +
                           (newest && item.is_tail ? " (recovery truncates it)" : ""));
      }
    }
    ++report->wal_segments;
    report->wal_records += records;
    report->problems += problems.size();
    std::fprintf(out, "wal %s: %s: %s\n", segment.path.c_str(), Counted(records, "record").c_str(),
                 problems.empty() ? "ok" : Counted(problems.size(), "problem").c_str());
    for (const std::string& problem : problems) std::fprintf(out, "  %s\n", problem.c_str());
  }
  return Status::Ok();
}

}  // namespace

Result<VerifyReport> RunVerify(const VerifyOptions& options, std::FILE* out, log::Logger* logger) {
  fs::PosixFileSystem fs;
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<fs::FileLock> lock, LockDataDir(&fs, options.data_dir));
  SILT_ASSIGN_OR_RETURN(std::vector<PartitionDir> partitions,
                        ListPartitionDirs(&fs, options.data_dir, options.tenant));
  VerifyReport report;
  for (const PartitionDir& partition : partitions) {
    SILT_RETURN_IF_ERROR(VerifyPartition(&fs, partition, out, &report));
  }
  if (options.tenant.empty()) SILT_RETURN_IF_ERROR(VerifyWal(&fs, options.data_dir, out, &report));
  std::fprintf(
      out, "%s, %s, %s, %s; %s, %s; %s\n", Counted(report.partitions, "partition").c_str(),
      Counted(report.chunk_files, "chunk file").c_str(), Counted(report.blocks, "block").c_str(),
      Counted(report.entries, "entry", "entries").c_str(),
      Counted(report.wal_segments, "WAL segment").c_str(),
      Counted(report.wal_records, "record").c_str(), Counted(report.problems, "problem").c_str());
  if (report.problems != 0) {
    logger->Warn("verify", Counted(report.problems, "problem") + " in " + options.data_dir);
  }
  return report;
}

}  // namespace silt::aggregator
