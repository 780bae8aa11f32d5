// Writes the seed corpus of index_file_fuzz: valid index files (empty; one chunk and a skipped
// one; several chunks with shared streams, many blocks and a skipped chunk),
// each as given and with checksum repair on, plus a few damaged ones. Byte 0 of every file is
// the fuzz target's mode byte (bit 0: repair checksums), the rest is the index file.
// Usage (see tests/fuzz/README.md): make_index_file_corpus <output dir>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "aggregator/index/index_file.h"
#include "aggregator/store/chunk_reader.h"
#include "aggregator/store/chunk_writer.h"
#include "tests/unit/aggregator/store/memory_file.h"

namespace silt::index {
namespace {

using labels::LabelSet;

void Must(const Status& status) {
  if (!status.ok()) {
    std::fprintf(stderr, "corpus: %s\n", status.ToString().c_str());
    std::exit(1);
  }
}

struct Entry {
  int64_t ts;
  std::string line;
};
struct Stream {
  LabelSet labels;
  std::vector<Entry> entries;
};

// Writes a chunk in memory and indexes it as `name`.
void AddChunk(const std::string& name, const store::ChunkWriterOptions& options,
              const std::vector<Stream>& streams, uint64_t wal_seq_hi, PartitionIndex* index) {
  store::testing::MemoryWritableFile out;
  auto writer = store::ChunkWriter::Create(&out, options);
  Must(writer.status());
  for (const Stream& stream : streams) {
    Must((*writer)->BeginStream(stream.labels));
    for (const Entry& entry : stream.entries) Must((*writer)->Append(entry.ts, entry.line));
    Must((*writer)->EndStream());
  }
  Must((*writer)->Finish(wal_seq_hi));
  store::testing::MemoryRandomAccessFile file(out.contents());
  auto reader = store::ChunkReader::Open(&file);
  Must(reader.status());
  Must(index->AddChunk(name, **reader));
}

constexpr int64_t kStart = 1'700'000'000'000'000'000;

store::ChunkWriterOptions Options() {
  store::ChunkWriterOptions options;
  options.tenant = "fake";
  options.partition_start = kStart;
  options.partition_end = kStart + 3'600'000'000'000;
  options.codec = store::Codec::kNone;
  options.target_block_size = 4096;
  return options;
}

PartitionIndex OneChunk() {
  PartitionIndex index;
  AddChunk("chunk-0000000000000007.silt", Options(),
           {{LabelSet::Of({{"job", "api"}}),
             {{kStart, "GET /health 200"}, {kStart + 250'000'000, "disk full"}}}},
           7, &index);
  Must(index.AddSkippedChunk({"chunk-0000000000000009.silt", 200, "bad footer"}));
  return index;
}

PartitionIndex SeveralChunks() {
  PartitionIndex index;
  for (int c = 0; c < 3; ++c) {
    std::vector<Stream> streams;
    for (int s = c; s < 8; s += 1 + c) {
      Stream stream{LabelSet::Of({{"app", "app" + std::to_string(s % 3)},
                                  {"pod", "pod-" + std::to_string(s)},
                                  {"zone", s % 2 ? "a" : ""}}),
                    {}};
      for (int e = 0; e < 4 + 6 * c; ++e) {
        stream.entries.push_back({kStart + (c * 100 + e) * 1'000'000'000LL,
                                  std::string(900, static_cast<char>('a' + e % 26))});
      }
      streams.push_back(std::move(stream));
    }
    AddChunk("chunk-000000000000000" + std::to_string(c + 1) + ".silt", Options(), streams, c + 1,
             &index);
  }
  Must(index.AddSkippedChunk({"chunk-0000000000000009.silt", 4096, "footer checksum mismatch"}));
  return index;
}

void Write(const std::string& dir, const std::string& name, char mode, const std::string& file) {
  std::ofstream out(dir + "/" + name, std::ios::binary | std::ios::trunc);
  out.put(mode);
  out.write(file.data(), static_cast<std::streamsize>(file.size()));
  if (!out) {
    std::fprintf(stderr, "corpus: cannot write %s/%s\n", dir.c_str(), name.c_str());
    std::exit(1);
  }
}

}  // namespace
}  // namespace silt::index

int main(int argc, char** argv) {
  namespace index = silt::index;
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_index_file_corpus <output dir>\n");
    return 2;
  }
  const std::string dir = argv[1];
  const std::vector<std::pair<std::string, std::string>> valid = {
      {"empty", index::EncodeIndexFile(index::PartitionIndex())},
      {"one-chunk", index::EncodeIndexFile(index::OneChunk())},
      {"several-chunks", index::EncodeIndexFile(index::SeveralChunks())},
  };
  for (const auto& [name, file] : valid) {
    index::Write(dir, name, 0, file);
    index::Write(dir, name + "-repair", 1, file);
  }
  const std::string& example = valid[1].second;
  index::Write(dir, "truncated-footer", 0, example.substr(0, example.size() - 10));
  std::string bad_magic = example;
  bad_magic[0] = 'X';
  index::Write(dir, "bad-header-magic-repair", 1, bad_magic);
  std::printf("corpus: wrote %zu files to %s\n", valid.size() * 2 + 2, dir.c_str());
  return 0;
}
