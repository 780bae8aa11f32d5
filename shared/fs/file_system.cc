#include "shared/fs/file_system.h"

#include <utility>

namespace silt::fs {
namespace {

constexpr size_t kReadChunk = 64 * 1024;

std::string_view StripTrailingSlashes(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return path;
}

}  // namespace

std::string ParentDir(std::string_view path) {
  path = StripTrailingSlashes(path);
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return std::string(StripTrailingSlashes(path.substr(0, slash)));
}

std::string JoinPath(std::string_view dir, std::string_view name) {
  std::string out(dir);
  if (out.empty() || out.back() != '/') out += '/';
  out += name;
  return out;
}

std::string FileSystem::TempPathFor(const std::string& path) { return path + ".tmp"; }

Result<std::string> FileSystem::ReadFileToString(const std::string& path) {
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, NewRandomAccessFile(path));
  std::string out;
  // Read until a short read rather than trusting a size taken up front: the file may grow.
  for (;;) {
    size_t old_size = out.size();
    out.resize(old_size + kReadChunk);
    SILT_ASSIGN_OR_RETURN(size_t n, file->Read(old_size, kReadChunk, out.data() + old_size));
    out.resize(old_size + n);
    if (n < kReadChunk) return out;
  }
}

Status FileSystem::WriteFileAtomically(const std::string& path, std::string_view data) {
  const std::string temp = TempPathFor(path);
  Status status = [&]() -> Status {
    SILT_ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file,
                          NewWritableFile(temp, OpenMode::kTruncate));
    SILT_RETURN_IF_ERROR(file->Append(data));
    SILT_RETURN_IF_ERROR(file->Sync());
    SILT_RETURN_IF_ERROR(file->Close());
    return RenameFile(temp, path);
  }();
  if (!status.ok()) {
    // Best effort: the temp file holds nothing anyone needs, and a leftover one is harmless.
    DeleteFile(temp).IgnoreError();
    return status;
  }
  return SyncDir(ParentDir(path));
}

Status FileSystem::CreateDirs(const std::string& path) {
  if (path.empty()) return Status::InvalidArgument("create directories: empty path");
  Result<FileInfo> info = Stat(path);
  if (info.ok()) {
    if (info->is_directory) return Status::Ok();
    return Status::IOError("mkdir " + path + ": exists and is not a directory");
  }
  if (info.status().code() != StatusCode::kNotFound) return info.status();
  std::string parent = ParentDir(path);
  if (parent != path) SILT_RETURN_IF_ERROR(CreateDirs(parent));
  return CreateDir(path);
}

bool FileSystem::FileExists(const std::string& path) { return Stat(path).ok(); }

Result<uint64_t> FileSystem::GetFileSize(const std::string& path) {
  SILT_ASSIGN_OR_RETURN(FileInfo info, Stat(path));
  return info.size;
}

}  // namespace silt::fs
