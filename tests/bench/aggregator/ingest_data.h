// The input of the durable ingest benchmark, generated once and replayed by every contender:
// silt-loggen entries written as the raw log text (each entry and '\n', what `lz4 -1` and
// `zstd -3` compress) plus a side file of fixed-size entry records (timestamp, stream, length).
// BatchReader replays them in generation order as agent-sized batches with bounded memory, and
// AgentPushBuilder turns a batch into the PushRequest an agent tailing one file per stream would
// send (one source per stream, file offsets as in the raw text of that stream).
//
// Thread-safety: none; each object is used by one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "aggregator/engine/push_request.h"
#include "shared/labels/label_set.h"
#include "shared/status/result.h"
#include "tests/bench/loggen/generator.h"

namespace silt::bench {

struct DataFiles {
  std::string raw_path;      // the entries as a log file holds them
  std::string entries_path;  // one EntryRecord per entry, in the same order
};

// 16 bytes, host byte order (the file never leaves the run that wrote it).
struct EntryRecord {
  int64_t timestamp_ns = 0;
  uint32_t stream = 0;  // index into the generator's StreamSet
  uint32_t length = 0;  // of the entry's text, without the '\n'
};

struct GeneratedData {
  uint64_t raw_bytes = 0;  // size of the raw file, newlines included
  uint64_t entries = 0;
  uint64_t physical_lines = 0;  // more than entries when Java stack traces span lines
};

// Writes entries from a generator built with `options` until the raw text reaches `bytes` (the
// entry crossing it included, as `silt-loggen --bytes` does). IOError naming the file when a write
// fails; InvalidArgument for bad generator options.
Result<GeneratedData> GenerateData(const loggen::GeneratorOptions& options, uint64_t bytes,
                                   const DataFiles& files);

// The stream label sets of the generator options (they depend only on format and stream count).
Result<std::vector<labels::LabelSet>> StreamLabels(const loggen::GeneratorOptions& options);

// Consecutive entries with their text back to back, each followed by '\n'.
struct Batch {
  std::string text;
  std::vector<EntryRecord> entries;
  // Per entry: the offset just past its '\n' in the raw text of its stream alone (the agent's
  // file for that stream).
  std::vector<uint64_t> end_offsets;
};

class BatchReader {
 public:
  // IOError naming the file when one cannot be opened.
  static Result<std::unique_ptr<BatchReader>> Open(const DataFiles& files);
  ~BatchReader();
  BatchReader(const BatchReader&) = delete;
  BatchReader& operator=(const BatchReader&) = delete;

  // Replaces `batch` with the next entries, until its text holds at least `target_bytes` or the
  // data ends. False once no entry is left. IOError or Corruption (files that do not match)
  // naming the file.
  Result<bool> Next(size_t target_bytes, Batch* batch);

 private:
  BatchReader(int raw_fd, int entries_fd, DataFiles files);
  Status Refill();

  int raw_fd_;
  int entries_fd_;
  DataFiles files_;
  std::vector<EntryRecord> pending_;  // read ahead from the entries file
  size_t next_ = 0;                   // first unused record in pending_
  std::vector<uint64_t> stream_offsets_;
};

class AgentPushBuilder {
 public:
  // `streams[i]` are the labels of stream i. Source ids are derived from the stream index.
  AgentPushBuilder(std::vector<labels::LabelSet> streams, std::string tenant, std::string agent_id);

  // One PushStream per stream present in `batch` (in order of first appearance) and one
  // SourceRange per stream. The request views `batch.text`, which must outlive its use.
  engine::PushRequest Build(const Batch& batch);

 private:
  std::vector<labels::LabelSet> streams_;
  std::string tenant_;
  std::string agent_id_;
  std::vector<int32_t> slot_;  // per stream: its index in the request being built, or -1
};

}  // namespace silt::bench
