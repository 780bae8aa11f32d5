#include "aggregator/wal/open_wal.h"

#include <utility>

#include "aggregator/wal/wal_format.h"

namespace silt::wal {

Result<OpenedWal> OpenWal(const WalOptions& options, const ReplayHandler& handler) {
  SILT_RETURN_IF_ERROR(ValidateWalOptions(options));
  const std::string context = "opening WAL " + options.dir;
  fs::FileSystem* fs = options.fs;
  SILT_RETURN_IF_ERROR(fs->CreateDirs(options.dir).WithContext(context));
  // A newly created directory must itself survive a power loss before anything in it counts.
  SILT_RETURN_IF_ERROR(fs->SyncDir(fs::ParentDir(options.dir)).WithContext(context));
  Result<std::unique_ptr<fs::FileLock>> lock =
      fs->LockFile(fs::JoinPath(options.dir, kLockFileName));
  if (!lock.ok()) return lock.status().WithContext(context);

  OpenedWal opened;
  SILT_ASSIGN_OR_RETURN(opened.checkpoint, ReadCheckpoint(fs, options.dir));
  if (handler.on_checkpoint) {
    SILT_RETURN_IF_ERROR(handler.on_checkpoint(opened.checkpoint.checkpoint).WithContext(context));
  }
  Result<RecoveryReport> report =
      RecoverWal(options, opened.checkpoint, handler.on_record, RecoveryMode::kRepair);
  if (!report.ok()) return report.status().WithContext(context);
  opened.report = std::move(*report);
  SILT_ASSIGN_OR_RETURN(opened.writer,
                        WalWriter::Open(options, std::move(*lock), opened.report.next_sequence,
                                        opened.checkpoint.checkpoint.sequence));
  return opened;
}

}  // namespace silt::wal
