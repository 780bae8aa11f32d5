#include "tests/bench/logql/contenders.h"

#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "aggregator/engine/data_layout.h"
#include "aggregator/index/index_loader.h"
#include "aggregator/store/block_compression.h"
#include "aggregator/store/chunk_reader.h"
#include "shared/fs/posix_file_system.h"
#include "tests/bench/logql/scan_data.h"

namespace silt::bench {
namespace {

// Quotes `text` for a POSIX shell, for the printed command only (the argv passes it as is).
std::string ShellQuoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The count in what `command` printed (trailing newlines and spaces allowed); `where` ends the
// error message, e.g. naming the file it was read from.
Result<uint64_t> ParseCount(std::string s, const std::string& command, const std::string& where) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  uint64_t count = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), count);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
    return Status::IOError("'" + command + "' printed \"" + s.substr(0, 80) +
                           "\" instead of a count" + where);
  }
  return count;
}

Result<uint64_t> ReadCount(const std::string& path, const std::string& command) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return ParseCount(text.str(), command, " (see " + path + ")");
}

// Runs `script` with `sh -c script sh args...`; its stdout is the count.
Contender ShellCountContender(const std::string& name, const std::string& script,
                              const std::vector<std::string>& args, const std::string& shown,
                              const std::string& scratch_dir) {
  std::vector<std::string> argv = {"sh", "-c", script, "sh"};
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string out_path = scratch_dir + "/count.txt";
  return {name, shown, [argv, out_path, shown]() -> Result<Measurement> {
            Measurement m;
            SILT_ASSIGN_OR_RETURN(m.usage, RunCommand(argv, out_path));
            SILT_ASSIGN_OR_RETURN(m.count, ReadCount(out_path, shown));
            return m;
          }};
}

// Reads and decompresses every block of every chunk file of the bench tenant under `data_dir`;
// returns how many blocks.
Result<uint64_t> DecompressEveryBlock(const std::string& data_dir) {
  fs::PosixFileSystem fs;
  const std::string tenant_dir = engine::TenantDir(data_dir, kBenchTenant);
  SILT_ASSIGN_OR_RETURN(std::vector<std::string> partitions, fs.ListDir(tenant_dir));
  std::string compressed;
  std::string block;
  uint64_t blocks = 0;
  for (const std::string& partition : partitions) {
    SILT_ASSIGN_OR_RETURN(std::vector<std::string> names, fs.ListDir(tenant_dir + "/" + partition));
    for (const std::string& name : names) {
      if (!index::IsChunkFileName(name)) continue;
      SILT_ASSIGN_OR_RETURN(std::unique_ptr<fs::RandomAccessFile> file,
                            fs.NewRandomAccessFile(tenant_dir + "/" + partition + "/" + name));
      SILT_ASSIGN_OR_RETURN(std::unique_ptr<store::ChunkReader> reader,
                            store::ChunkReader::Open(file.get()));
      for (const store::StreamInfo& stream : reader->streams()) {
        for (const store::BlockInfo& info : stream.blocks) {
          compressed.resize(info.compressed_size);
          block.resize(info.uncompressed_size);
          SILT_ASSIGN_OR_RETURN(size_t n,
                                file->Read(info.offset, info.compressed_size, compressed.data()));
          if (n != info.compressed_size) {
            return Status::IOError(file->path() + ": short read of a block at offset " +
                                   std::to_string(info.offset));
          }
          SILT_RETURN_IF_ERROR(store::DecompressBlock(reader->header().codec, compressed,
                                                      info.uncompressed_size, block.data()));
          ++blocks;
        }
      }
    }
  }
  return blocks;
}

}  // namespace

Contender GrepContender(const std::string& raw_path, const std::string& literal,
                        const std::string& scratch_dir) {
  return ShellCountContender("grep -F -c raw.log", "grep -F -c -- \"$1\" \"$2\" || [ $? -eq 1 ]",
                             {literal, raw_path},
                             "grep -F -c -- " + ShellQuoted(literal) + " " + raw_path, scratch_dir);
}

Contender Lz4GrepContender(const std::string& lz4_path, const std::string& literal,
                           const std::string& scratch_dir) {
  return ShellCountContender(
      "lz4 -dc | grep -F -c", "lz4 -dc -- \"$2\" | grep -F -c -- \"$1\" || [ $? -eq 1 ]",
      {literal, lz4_path}, "lz4 -dc " + lz4_path + " | grep -F -c -- " + ShellQuoted(literal),
      scratch_dir);
}

Contender SiltContender(const std::string& name, const std::string& data_dir,
                        const SiltQuery& query) {
  const std::string shown = query.text + (query.use_blooms ? "  (blooms on)" : "  (blooms off)");
  return {name, shown, [data_dir, query, name]() -> Result<Measurement> {
            Measurement m;
            m.is_silt = true;
            SILT_ASSIGN_OR_RETURN(
                ChildOutput out, RunInChild(name, [&]() -> Result<std::string> {
                  SILT_ASSIGN_OR_RETURN(SiltFigures f, RunSiltQuery(data_dir, kBenchTenant, query));
                  return std::string(reinterpret_cast<const char*>(&f), sizeof(f));
                }));
            if (out.message.size() != sizeof(SiltFigures)) {
              return Status::IOError(name + " sent " + std::to_string(out.message.size()) +
                                     " bytes of figures instead of " +
                                     std::to_string(sizeof(SiltFigures)));
            }
            std::memcpy(&m.silt, out.message.data(), sizeof(SiltFigures));
            m.usage = out.usage;
            m.count = m.silt.count;
            return m;
          }};
}

Contender DecompressionFloorContender(const std::string& data_dir) {
  const std::string name = "silt's blocks, decompressed only";
  return {name, "read and decompress every block of " + data_dir + " (nothing else)",
          [data_dir, name]() -> Result<Measurement> {
            Measurement m;
            SILT_ASSIGN_OR_RETURN(ChildOutput out, RunInChild(name, [&]() -> Result<std::string> {
                                    SILT_ASSIGN_OR_RETURN(uint64_t blocks,
                                                          DecompressEveryBlock(data_dir));
                                    return std::to_string(blocks);
                                  }));
            m.usage = out.usage;
            SILT_ASSIGN_OR_RETURN(m.count, ParseCount(out.message, name, ""));
            return m;
          },
          false};
}

}  // namespace silt::bench
