#include "agent/tailer/file_tailer.h"

#include <string_view>
#include <utility>

namespace silt::agent {

FileTailer::FileTailer(std::unique_ptr<fs::RandomAccessFile> file, FileIdentity identity,
                       uint64_t source_id, uint64_t offset, LineSplitter::Options lines)
    : file_(std::move(file)),
      identity_(identity),
      source_id_(source_id),
      splitter_(lines, offset) {}

Result<FileTailer::ReadResult> FileTailer::Read(char* scratch, size_t scratch_size,
                                                std::vector<Line>* out) {
  const uint64_t offset = splitter_.offset();
  SILT_ASSIGN_OR_RETURN(size_t n, file_->Read(offset, scratch_size, scratch));
  if (n == 0) {
    SILT_ASSIGN_OR_RETURN(uint64_t size, file_->Size());
    return ReadResult{size < offset ? ReadOutcome::kTruncated : ReadOutcome::kEndOfFile, 0};
  }
  // Checked after the read: if the first bytes still match now, the chunk came from this
  // incarnation (a truncation after the read cannot have changed what was read before it).
  SILT_ASSIGN_OR_RETURN(FingerprintCheck check, CheckFingerprint(*file_, identity_.fingerprint));
  if (!check.matches) return ReadResult{ReadOutcome::kTruncated, 0};
  identity_.fingerprint = check.current;
  splitter_.Feed(std::string_view(scratch, n), out);
  return ReadResult{ReadOutcome::kData, n};
}

Result<bool> FileTailer::CheckTruncated() {
  SILT_ASSIGN_OR_RETURN(uint64_t size, file_->Size());
  if (size < splitter_.offset()) return true;
  SILT_ASSIGN_OR_RETURN(FingerprintCheck check, CheckFingerprint(*file_, identity_.fingerprint));
  if (!check.matches) return true;
  identity_.fingerprint = check.current;
  return false;
}

Status FileTailer::Restart(uint64_t source_id) {
  SILT_ASSIGN_OR_RETURN(identity_.fingerprint, ComputeFingerprint(*file_));
  source_id_ = source_id;
  splitter_.Reset(0);
  return Status::Ok();
}

}  // namespace silt::agent
