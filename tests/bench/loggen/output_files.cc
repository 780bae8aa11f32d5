#include "tests/bench/loggen/output_files.h"

#include <utility>

namespace silt::loggen {

Result<std::unique_ptr<OutputFiles>> OutputFiles::Open(fs::FileSystem* fs,
                                                       const std::vector<std::string>& paths,
                                                       const OutputFilesOptions& options) {
  std::unique_ptr<OutputFiles> files(new OutputFiles(fs, options));
  const fs::OpenMode mode = options.append ? fs::OpenMode::kAppend : fs::OpenMode::kTruncate;
  files->targets_.reserve(paths.size());
  for (const std::string& path : paths) {
    SILT_ASSIGN_OR_RETURN(std::unique_ptr<fs::WritableFile> file, fs->NewWritableFile(path, mode));
    Target target{path, std::move(file), nullptr, TextBuffer(options.buffer_size)};
    target.file = target.owned.get();
    files->targets_.push_back(std::move(target));
  }
  return files;
}

std::unique_ptr<OutputFiles> OutputFiles::ForFile(fs::WritableFile* file, size_t buffer_size) {
  OutputFilesOptions options;
  options.buffer_size = buffer_size;
  std::unique_ptr<OutputFiles> files(new OutputFiles(nullptr, options));
  files->targets_.push_back(Target{file->path(), nullptr, file, TextBuffer(buffer_size)});
  return files;
}

Status OutputFiles::FlushTarget(Target& target) {
  if (target.buffer.empty()) return Status::Ok();
  Status status = target.file->Append(target.buffer.view());
  target.buffer.Clear();
  SILT_RETURN_IF_ERROR(status);
  return target.file->Flush();
}

Status OutputFiles::Write(size_t index, std::string_view record) {
  Target& target = targets_[index];
  if (target.buffer.size() + record.size() > options_.buffer_size) {
    SILT_RETURN_IF_ERROR(FlushTarget(target));
  }
  if (record.size() > options_.buffer_size) {
    SILT_RETURN_IF_ERROR(target.file->Append(record));
  } else {
    target.buffer.Append(record);
  }
  if (options_.rotate_every != 0 &&
      target.file->Size() + target.buffer.size() >= options_.rotate_every) {
    return Rotate(target);
  }
  return Status::Ok();
}

Status OutputFiles::Rotate(Target& target) {
  SILT_RETURN_IF_ERROR(FlushTarget(target));
  SILT_RETURN_IF_ERROR(target.file->Close());
  for (int i = options_.rotate_keep - 1; i >= 1; --i) {
    const std::string from = target.path + "." + std::to_string(i);
    if (!fs_->FileExists(from)) continue;
    SILT_RETURN_IF_ERROR(fs_->RenameFile(from, target.path + "." + std::to_string(i + 1)));
  }
  SILT_RETURN_IF_ERROR(fs_->RenameFile(target.path, target.path + ".1"));
  SILT_ASSIGN_OR_RETURN(target.owned,
                        fs_->NewWritableFile(target.path, fs::OpenMode::kMustNotExist));
  target.file = target.owned.get();
  ++rotations_;
  return Status::Ok();
}

Status OutputFiles::Flush() {
  for (Target& target : targets_) SILT_RETURN_IF_ERROR(FlushTarget(target));
  return Status::Ok();
}

Status OutputFiles::Close() {
  Status first;
  for (Target& target : targets_) {
    Status status = FlushTarget(target);
    Status closed = target.file->Close();
    if (first.ok()) first = !status.ok() ? std::move(status) : std::move(closed);
  }
  return first;
}

}  // namespace silt::loggen
