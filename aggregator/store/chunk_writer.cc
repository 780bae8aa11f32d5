#include "aggregator/store/chunk_writer.h"

#include <utility>

#include "shared/hash/xxh3.h"

namespace silt::store {
namespace {

constexpr size_t kMinTargetBlockSize = 4 * 1024;

}  // namespace

Status ValidateChunkWriterOptions(const ChunkWriterOptions& options) {
  SILT_RETURN_IF_ERROR(ValidateTenant(options.tenant));
  if (options.partition_start >= options.partition_end) {
    return Status::InvalidArgument(
        "chunk partition start " + std::to_string(options.partition_start) +
        " must be before its end " + std::to_string(options.partition_end));
  }
  if (static_cast<uint8_t>(options.codec) > kMaxCodec) {
    return Status::InvalidArgument("unknown chunk codec " +
                                   std::to_string(static_cast<int>(options.codec)));
  }
  SILT_RETURN_IF_ERROR(ValidateCompressionLevel(options.codec, options.zstd_level));
  if (options.target_block_size < kMinTargetBlockSize ||
      options.target_block_size > kMaxBlockSize) {
    return Status::InvalidArgument("target block size " +
                                   std::to_string(options.target_block_size) +
                                   " bytes is outside 4 KiB .. 64 MiB; 256 KiB is the default");
  }
  if (options.build_blooms &&
      !(options.bloom_false_positive_rate > 0 && options.bloom_false_positive_rate <= 0.5)) {
    return Status::InvalidArgument("bloom false-positive rate " +
                                   std::to_string(options.bloom_false_positive_rate) +
                                   " is outside (0, 0.5]; 0.01 is the default");
  }
  return Status::Ok();
}

ChunkWriter::ChunkWriter(fs::WritableFile* file, ChunkWriterOptions options)
    : file_(file),
      options_(std::move(options)),
      compressor_(options_.codec, options_.zstd_level),
      builder_(options_.build_blooms) {}

Result<std::unique_ptr<ChunkWriter>> ChunkWriter::Create(fs::WritableFile* file,
                                                         ChunkWriterOptions options) {
  SILT_RETURN_IF_ERROR(ValidateChunkWriterOptions(options));
  std::unique_ptr<ChunkWriter> writer(new ChunkWriter(file, std::move(options)));
  std::string header;
  EncodeHeader(ChunkHeader{writer->options_.codec, writer->options_.tenant,
                           writer->options_.partition_start, writer->options_.partition_end},
               &header);
  writer->footer_.header_size = header.size();
  writer->footer_.header_checksum = hash::Xxh3(header);
  SILT_RETURN_IF_ERROR(writer->Write(header));
  return writer;
}

Status ChunkWriter::CheckUsable(std::string_view call) const {
  if (!io_status_.ok()) return io_status_;
  if (finished_) {
    return Status::InvalidArgument(std::string(call) + " on chunk " + file_->path() +
                                   " after Finish");
  }
  return Status::Ok();
}

Status ChunkWriter::Write(std::string_view bytes) {
  Status status = file_->Append(bytes);
  if (!status.ok()) {
    io_status_ = std::move(status).WithContext("writing chunk " + file_->path());
    return io_status_;
  }
  stats_.file_bytes += bytes.size();
  return Status::Ok();
}

Status ChunkWriter::BeginStream(const labels::LabelSet& labels) {
  SILT_RETURN_IF_ERROR(CheckUsable("BeginStream"));
  if (in_stream_) {
    return Status::InvalidArgument("BeginStream " + labels.ToString() + " on chunk " +
                                   file_->path() + ": stream " + current_.labels.ToString() +
                                   " is still open; call EndStream first");
  }
  if (labels.empty()) {
    return Status::InvalidArgument("chunk " + file_->path() + ": a stream needs labels");
  }
  uint64_t fingerprint = labels.Fingerprint();
  if (fingerprints_.count(fingerprint) != 0) {
    return Status::InvalidArgument("chunk " + file_->path() + ": stream " + labels.ToString() +
                                   " (or one with its fingerprint) was already written");
  }
  current_ = StreamInfo{};
  current_.labels = labels;
  current_.fingerprint = fingerprint;
  in_stream_ = true;
  return Status::Ok();
}

Status ChunkWriter::CheckEntry(int64_t timestamp, size_t encoded_size) const {
  if (!in_stream_) {
    return Status::InvalidArgument("Append on chunk " + file_->path() +
                                   ": no open stream; call BeginStream first");
  }
  int64_t previous = builder_.empty() ? current_.max_ts : builder_.max_ts();
  bool has_previous = !builder_.empty() || !current_.blocks.empty();
  if (has_previous && timestamp < previous) {
    return Status::InvalidArgument(
        "chunk " + file_->path() + ", stream " + current_.labels.ToString() + ": timestamp " +
        std::to_string(timestamp) + " is before the previous entry's " + std::to_string(previous) +
        "; entries of a stream must be appended in timestamp order");
  }
  if (timestamp < options_.partition_start || timestamp >= options_.partition_end) {
    return Status::InvalidArgument("chunk " + file_->path() + ": timestamp " +
                                   std::to_string(timestamp) + " is outside the partition [" +
                                   std::to_string(options_.partition_start) + ", " +
                                   std::to_string(options_.partition_end) + ")");
  }
  if (encoded_size > kMaxBlockSize - kBlockTrailerSize) {
    return Status::InvalidArgument("chunk " + file_->path() + ": an entry of " +
                                   std::to_string(encoded_size) +
                                   " encoded bytes exceeds the 64 MiB block limit");
  }
  return Status::Ok();
}

Status ChunkWriter::PrepareAppend(int64_t timestamp, size_t encoded_size) {
  SILT_RETURN_IF_ERROR(CheckUsable("Append"));
  SILT_RETURN_IF_ERROR(CheckEntry(timestamp, encoded_size));
  if (!builder_.empty() && builder_.size() + encoded_size > options_.target_block_size) {
    SILT_RETURN_IF_ERROR(SealBlock());
  }
  return Status::Ok();
}

Status ChunkWriter::Append(int64_t timestamp, std::string_view line,
                           std::span<const labels::LabelView> metadata) {
  SILT_RETURN_IF_ERROR(
      PrepareAppend(timestamp, ChunkBlockBuilder::EncodedSizeBound(line, metadata)));
  builder_.Add(timestamp, line, metadata);
  ++stats_.entries;
  stats_.line_bytes += line.size();
  return Status::Ok();
}

Status ChunkWriter::AppendEncoded(int64_t timestamp, std::string_view encoded,
                                  std::string_view line,
                                  std::span<const labels::LabelView> metadata) {
  SILT_RETURN_IF_ERROR(
      PrepareAppend(timestamp, ChunkBlockBuilder::EncodedSizeBound(encoded.size())));
  builder_.AddEncoded(timestamp, encoded, line, metadata);
  ++stats_.entries;
  stats_.line_bytes += line.size();
  return Status::Ok();
}

Status ChunkWriter::SealBlock() {
  const std::string_view data = builder_.Finish();
  BlockInfo block;
  block.offset = stats_.file_bytes;
  block.uncompressed_size = static_cast<uint32_t>(data.size());
  block.min_ts = builder_.min_ts();
  block.max_ts = builder_.max_ts();
  block.entry_count = builder_.entry_count();
  Status compressed = compressor_.Compress(data, &scratch_);
  if (!compressed.ok()) {
    io_status_ = std::move(compressed).WithContext("writing chunk " + file_->path());
    return io_status_;
  }
  size_t compressed_size = scratch_.size();
  block.compressed_size = static_cast<uint32_t>(compressed_size);
  block.checksum = hash::Xxh3(scratch_);
  if (options_.build_blooms) {
    builder_.AppendBloom(options_.bloom_false_positive_rate, &scratch_);
    std::string_view bloom = std::string_view(scratch_).substr(compressed_size);
    block.bloom_offset = block.offset + compressed_size;
    block.bloom_size = static_cast<uint32_t>(bloom.size());
    block.bloom_checksum = hash::Xxh3(bloom);
  }
  SILT_RETURN_IF_ERROR(Write(scratch_));
  ++stats_.blocks;
  stats_.uncompressed_bytes += block.uncompressed_size;
  stats_.compressed_bytes += block.compressed_size;
  stats_.bloom_bytes += block.bloom_size;
  if (current_.blocks.empty()) current_.min_ts = block.min_ts;
  current_.max_ts = block.max_ts;
  current_.entry_count += block.entry_count;
  current_.blocks.push_back(block);
  builder_.Reset();
  return Status::Ok();
}

Status ChunkWriter::EndStream() {
  SILT_RETURN_IF_ERROR(CheckUsable("EndStream"));
  if (!in_stream_) {
    return Status::InvalidArgument("EndStream on chunk " + file_->path() + ": no open stream");
  }
  if (!builder_.empty()) SILT_RETURN_IF_ERROR(SealBlock());
  in_stream_ = false;
  if (current_.blocks.empty()) return Status::Ok();
  if (footer_.stream_count == 0 || current_.min_ts < footer_.min_ts) {
    footer_.min_ts = current_.min_ts;
  }
  if (footer_.stream_count == 0 || current_.max_ts > footer_.max_ts) {
    footer_.max_ts = current_.max_ts;
  }
  ++footer_.stream_count;
  footer_.block_count += static_cast<uint32_t>(current_.blocks.size());
  footer_.entry_count += current_.entry_count;
  fingerprints_.insert(current_.fingerprint);
  streams_.push_back(std::move(current_));
  ++stats_.streams;
  return Status::Ok();
}

Status ChunkWriter::Finish(uint64_t wal_seq_hi) {
  SILT_RETURN_IF_ERROR(CheckUsable("Finish"));
  if (in_stream_) {
    return Status::InvalidArgument("Finish on chunk " + file_->path() + ": stream " +
                                   current_.labels.ToString() + " is still open");
  }
  scratch_.clear();
  EncodeDirectory(streams_, &scratch_);
  footer_.directory_offset = stats_.file_bytes;
  footer_.directory_size = scratch_.size();
  footer_.directory_checksum = hash::Xxh3(scratch_);
  footer_.wal_seq_hi = wal_seq_hi;
  EncodeFooter(footer_, &scratch_);
  SILT_RETURN_IF_ERROR(Write(scratch_));
  finished_ = true;
  return Status::Ok();
}

Result<ChunkWriterStats> WriteChunkFile(fs::FileSystem* fs, const std::string& dir,
                                        const std::string& name, const ChunkWriterOptions& options,
                                        uint64_t wal_seq_hi,
                                        const std::function<Status(ChunkWriter&)>& fill) {
  const std::string path = fs::JoinPath(dir, name);
  const std::string temp = fs::FileSystem::TempPathFor(path);
  ChunkWriterStats stats;
  Status status = [&]() -> Status {
    SILT_ASSIGN_OR_RETURN(std::unique_ptr<fs::WritableFile> file,
                          fs->NewWritableFile(temp, fs::OpenMode::kTruncate));
    SILT_ASSIGN_OR_RETURN(std::unique_ptr<ChunkWriter> writer,
                          ChunkWriter::Create(file.get(), options));
    SILT_RETURN_IF_ERROR(fill(*writer));
    SILT_RETURN_IF_ERROR(writer->Finish(wal_seq_hi));
    stats = writer->stats();
    SILT_RETURN_IF_ERROR(file->Sync());
    SILT_RETURN_IF_ERROR(file->Close());
    return fs->RenameFile(temp, path);
  }();
  if (!status.ok()) {
    // Best effort: the temp file holds nothing anyone needs, and directory scans skip *.tmp.
    fs->DeleteFile(temp).IgnoreError();
    return status;
  }
  SILT_RETURN_IF_ERROR(fs->SyncDir(dir));
  return stats;
}

}  // namespace silt::store
