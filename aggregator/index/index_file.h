// The persisted partition index, `<partition dir>/index.silt` (index_format.h,
// docs/formats/index.md): encoding a PartitionIndex to bytes, decoding and fully checking bytes
// back into one, and writing or reading the file. A decoded index equals the encoded one
// (operator==). Loading with a fallback to rebuilding from chunk files is in index_loader.h.
// Stateless functions; thread-safe (distinct indexes and paths).
#pragma once

#include <string>
#include <string_view>

#include "aggregator/index/partition_index.h"
#include "shared/fs/file_system.h"
#include "shared/status/result.h"

namespace silt::index {

// The bytes of `index` as an index file.
std::string EncodeIndexFile(const PartitionIndex& index);

// Decodes an index file held whole in `bytes`. Corruption naming the section, the file offset
// and what is wrong when the file is truncated, has a wrong magic, version or checksum, or breaks
// an invariant of docs/formats/index.md (so a decoded index is always self-consistent). Never
// reads outside `bytes` and never allocates more than a small multiple of its size.
Result<PartitionIndex> DecodeIndexFile(std::string_view bytes);

// Writes `index` as `partition_dir`/index.silt so that after a crash the file holds the old or
// the new index, never a mix (temp file, fdatasync, rename, directory fsync). IOError or
// ResourceExhausted from the file system; the message names the path.
Status WriteIndexFile(fs::FileSystem* fs, const std::string& partition_dir,
                      const PartitionIndex& index);

// Reads and decodes `partition_dir`/index.silt. NotFound when it does not exist; IOError when it
// cannot be read; Corruption (prefixed with the path) as DecodeIndexFile.
Result<PartitionIndex> ReadIndexFile(fs::FileSystem* fs, const std::string& partition_dir);

}  // namespace silt::index
