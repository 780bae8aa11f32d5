#include "shared/fs/fault_injection_file_system.h"

#include <algorithm>
#include <cassert>
#include <utility>

namespace silt::fs {
namespace {

constexpr std::string_view kOpNames[kOpCount] = {
    "open",  "read",    "append", "sync",    "close",    "rename", "delete",
    "mkdir", "listdir", "stat",   "syncdir", "truncate", "lock",
};

static_assert(static_cast<size_t>(Op::kLock) + 1 == kOpCount, "kOpNames must name every Op");

size_t Index(Op op) { return static_cast<size_t>(op); }

// Lexical clean-up so one file has one key: drops empty and "." components and trailing slashes.
std::string Normalize(std::string_view path) {
  std::string out = !path.empty() && path.front() == '/' ? "/" : "";
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = std::min(path.find('/', start), path.size());
    std::string_view part = path.substr(start, end - start);
    if (!part.empty() && part != ".") {
      if (!out.empty() && out.back() != '/') out += '/';
      out += part;
    }
    start = end + 1;
  }
  return out.empty() ? "." : out;
}

}  // namespace

std::string_view OpName(Op op) { return kOpNames[Index(op)]; }

class FaultInjectionFileSystem::WritableFileImpl final : public WritableFile {
 public:
  WritableFileImpl(FaultInjectionFileSystem* fs, std::unique_ptr<WritableFile> target, NodeId node)
      : fs_(fs), target_(std::move(target)), path_(target_->path()), node_(node) {}

  ~WritableFileImpl() override {
    std::lock_guard lock(fs_->mu_);
    fs_->open_files_.erase(this);
    target_.reset();
  }

  Status Append(std::string_view data) override {
    std::lock_guard lock(fs_->mu_);
    SILT_RETURN_IF_ERROR(CheckUsable("append"));
    SILT_RETURN_IF_ERROR(fs_->CheckFault(Op::kWrite, path_));
    std::optional<uint64_t>& space = fs_->free_space_;
    std::string_view fits = data;
    if (space && data.size() > *space) fits = data.substr(0, *space);
    uint64_t before = target_->Size();
    Status status = target_->Append(fits);
    if (status.ok()) status = target_->Flush();
    if (space) *space -= std::min(*space, target_->Size() - before);
    if (!status.ok()) return status;
    if (fits.size() < data.size()) {
      return Status::ResourceExhausted("append " + path_ + ": no space left on device (injected: " +
                                       std::to_string(fits.size()) + " of " +
                                       std::to_string(data.size()) + " bytes written)");
    }
    return Status::Ok();
  }

  // Appends were flushed already; this only notices a closed file or a gone device.
  Status Flush() override {
    std::lock_guard lock(fs_->mu_);
    SILT_RETURN_IF_ERROR(CheckUsable("flush"));
    SILT_RETURN_IF_ERROR(fs_->CheckDeviceGone("flush", path_));
    return target_->Flush();
  }

  Status Sync() override {
    std::lock_guard lock(fs_->mu_);
    SILT_RETURN_IF_ERROR(CheckUsable("sync"));
    SILT_RETURN_IF_ERROR(fs_->CheckFault(Op::kSync, path_));
    SILT_RETURN_IF_ERROR(target_->Sync());
    auto it = fs_->nodes_.find(node_);
    if (it != fs_->nodes_.end()) it->second.synced_size = target_->Size();
    return Status::Ok();
  }

  void DropSyncedPages() override {
    std::lock_guard lock(fs_->mu_);
    if (!closed_ && !dead_) target_->DropSyncedPages();
  }

  Status Close() override {
    std::lock_guard lock(fs_->mu_);
    if (closed_) return Status::Ok();
    closed_ = true;
    if (dead_) return Status::Ok();
    Status injected = fs_->CheckFault(Op::kClose, path_);
    Status status = target_->Close();
    return injected.ok() ? status : injected;
  }

  uint64_t Size() const override {
    std::lock_guard lock(fs_->mu_);
    return target_->Size();
  }

  const std::string& path() const override { return path_; }

  // The power went out: the owner's handle stops working. Called with the mutex held.
  void Kill() {
    if (!closed_) target_->Close().IgnoreError();  // nothing is buffered: appends were flushed
    dead_ = true;
  }

 private:
  Status CheckUsable(std::string_view op) const {
    if (dead_) {
      return Status::IOError(std::string(op) + " " + path_ +
                             ": file was open during a simulated power loss; reopen it");
    }
    if (closed_) return Status::IOError(std::string(op) + " " + path_ + ": file is already closed");
    return Status::Ok();
  }

  FaultInjectionFileSystem* const fs_;
  std::unique_ptr<WritableFile> target_;
  const std::string path_;
  const NodeId node_;
  bool closed_ = false;
  bool dead_ = false;
};

class FaultInjectionFileSystem::RandomAccessFileImpl final : public RandomAccessFile {
 public:
  RandomAccessFileImpl(FaultInjectionFileSystem* fs, std::unique_ptr<RandomAccessFile> target)
      : fs_(fs), target_(std::move(target)) {}

  Result<size_t> Read(uint64_t offset, size_t n, char* scratch) const override {
    {
      std::lock_guard lock(fs_->mu_);
      SILT_RETURN_IF_ERROR(fs_->CheckFault(Op::kRead, target_->path()));
    }
    return target_->Read(offset, n, scratch);
  }

  Result<uint64_t> Size() const override {
    {
      std::lock_guard lock(fs_->mu_);
      SILT_RETURN_IF_ERROR(fs_->CheckFault(Op::kStat, target_->path()));
    }
    return target_->Size();
  }

  const std::string& path() const override { return target_->path(); }

 private:
  FaultInjectionFileSystem* const fs_;
  const std::unique_ptr<RandomAccessFile> target_;
};

FaultInjectionFileSystem::FaultInjectionFileSystem(FileSystem* target) : target_(target) {}

FaultInjectionFileSystem::~FaultInjectionFileSystem() {
  assert(open_files_.empty() && "destroy WritableFiles before their FaultInjectionFileSystem");
}

Result<std::unique_ptr<WritableFile>> FaultInjectionFileSystem::NewWritableFile(
    const std::string& path, OpenMode mode) {
  std::lock_guard lock(mu_);
  std::string p = Normalize(path);
  SILT_RETURN_IF_ERROR(CheckFault(Op::kOpen, p));
  bool existed = target_->Stat(p).ok();
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, target_->NewWritableFile(p, mode));
  NodeId node;
  auto it = live_.find(p);
  if (it != live_.end()) {
    node = it->second;
    uint64_t& synced = nodes_[node].synced_size;
    synced = mode == OpenMode::kTruncate ? 0 : std::min(synced, file->Size());
  } else {
    node = NewNode(existed && mode == OpenMode::kAppend ? file->Size() : 0);
    live_[p] = node;
  }
  if (!existed) durable_.try_emplace(p, DurableEntry{DurableEntry::Kind::kAbsent});
  auto impl = std::make_unique<WritableFileImpl>(this, std::move(file), node);
  open_files_.insert(impl.get());
  return std::unique_ptr<WritableFile>(std::move(impl));
}

Result<std::unique_ptr<RandomAccessFile>> FaultInjectionFileSystem::NewRandomAccessFile(
    const std::string& path) {
  std::lock_guard lock(mu_);
  std::string p = Normalize(path);
  SILT_RETURN_IF_ERROR(CheckFault(Op::kOpen, p));
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, target_->NewRandomAccessFile(p));
  return std::unique_ptr<RandomAccessFile>(
      std::make_unique<RandomAccessFileImpl>(this, std::move(file)));
}

Status FaultInjectionFileSystem::RenameFile(const std::string& from, const std::string& to) {
  std::lock_guard lock(mu_);
  std::string f = Normalize(from);
  std::string t = Normalize(to);
  SILT_RETURN_IF_ERROR(CheckFault(Op::kRename, f + " to " + t));
  std::optional<NodeId> from_node = f == t ? std::nullopt : TrackFile(f);
  // Missing sources fail in the target; directory renames are passed through unmodelled.
  if (!from_node) return target_->RenameFile(f, t);
  std::optional<NodeId> to_node = TrackFile(t);
  if (to_node) SILT_RETURN_IF_ERROR(SaveBeforeUnlink(t, *to_node));
  SILT_RETURN_IF_ERROR(target_->RenameFile(f, t));
  durable_.try_emplace(f, DurableEntry{DurableEntry::Kind::kFile, *from_node});
  durable_.try_emplace(t, to_node ? DurableEntry{DurableEntry::Kind::kFile, *to_node}
                                  : DurableEntry{DurableEntry::Kind::kAbsent});
  live_.erase(f);
  live_[t] = *from_node;
  ForgetUnusedNodes();
  return Status::Ok();
}

Status FaultInjectionFileSystem::DeleteFile(const std::string& path) {
  std::lock_guard lock(mu_);
  std::string p = Normalize(path);
  SILT_RETURN_IF_ERROR(CheckFault(Op::kDelete, p));
  std::optional<NodeId> node = TrackFile(p);
  if (node) SILT_RETURN_IF_ERROR(SaveBeforeUnlink(p, *node));
  SILT_RETURN_IF_ERROR(target_->DeleteFile(p));
  if (node) {
    durable_.try_emplace(p, DurableEntry{DurableEntry::Kind::kFile, *node});
    live_.erase(p);
    ForgetUnusedNodes();
  }
  return Status::Ok();
}

Status FaultInjectionFileSystem::CreateDir(const std::string& path) {
  std::lock_guard lock(mu_);
  std::string p = Normalize(path);
  SILT_RETURN_IF_ERROR(CheckFault(Op::kCreateDir, p));
  bool existed = target_->Stat(p).ok();
  SILT_RETURN_IF_ERROR(target_->CreateDir(p));
  if (!existed) durable_.try_emplace(p, DurableEntry{DurableEntry::Kind::kAbsent});
  return Status::Ok();
}

Status FaultInjectionFileSystem::DeleteDir(const std::string& path) {
  std::lock_guard lock(mu_);
  std::string p = Normalize(path);
  SILT_RETURN_IF_ERROR(CheckFault(Op::kDelete, p));
  SILT_RETURN_IF_ERROR(target_->DeleteDir(p));
  durable_.try_emplace(p, DurableEntry{DurableEntry::Kind::kDirectory});
  return Status::Ok();
}

Result<std::vector<std::string>> FaultInjectionFileSystem::ListDir(const std::string& path) {
  std::lock_guard lock(mu_);
  std::string p = Normalize(path);
  SILT_RETURN_IF_ERROR(CheckFault(Op::kListDir, p));
  return target_->ListDir(p);
}

Result<FileInfo> FaultInjectionFileSystem::Stat(const std::string& path) {
  std::lock_guard lock(mu_);
  std::string p = Normalize(path);
  SILT_RETURN_IF_ERROR(CheckFault(Op::kStat, p));
  return target_->Stat(p);
}

Status FaultInjectionFileSystem::SyncDir(const std::string& path) {
  std::lock_guard lock(mu_);
  std::string p = Normalize(path);
  SILT_RETURN_IF_ERROR(CheckFault(Op::kSyncDir, p));
  SILT_RETURN_IF_ERROR(target_->SyncDir(p));
  std::erase_if(durable_, [&](const auto& entry) { return ParentDir(entry.first) == p; });
  ForgetUnusedNodes();
  return Status::Ok();
}

Status FaultInjectionFileSystem::TruncateFile(const std::string& path, uint64_t size) {
  std::lock_guard lock(mu_);
  std::string p = Normalize(path);
  SILT_RETURN_IF_ERROR(CheckFault(Op::kTruncate, p));
  SILT_RETURN_IF_ERROR(target_->TruncateFile(p, size));
  auto it = live_.find(p);
  if (it != live_.end()) {
    uint64_t& synced = nodes_[it->second].synced_size;
    synced = std::min(synced, size);
  }
  return Status::Ok();
}

Result<std::unique_ptr<FileLock>> FaultInjectionFileSystem::LockFile(const std::string& path) {
  std::lock_guard lock(mu_);
  std::string p = Normalize(path);
  SILT_RETURN_IF_ERROR(CheckFault(Op::kLock, p));
  return target_->LockFile(p);
}

Status FaultInjectionFileSystem::DropUnsyncedData() {
  std::lock_guard lock(mu_);
  for (WritableFileImpl* file : open_files_) file->Kill();
  Status first_error;
  auto note = [&first_error](Status status) {
    if (first_error.ok() && !status.ok()) first_error = std::move(status);
  };
  // Read the durable bytes of every file that must come back under a changed entry while the
  // files still hold them (a renamed file is read from its new name).
  for (const auto& [path, entry] : durable_) {
    if (entry.kind != DurableEntry::Kind::kFile) continue;
    Node& node = nodes_[entry.node];
    if (node.saved) continue;
    for (const auto& [live_path, id] : live_) {
      if (id != entry.node) continue;
      Result<std::string> bytes = ReadDurableBytes(live_path, node.synced_size);
      if (bytes.ok()) node.saved = std::move(*bytes);
      note(bytes.status());
      break;
    }
  }
  for (const auto& [path, entry] : durable_) note(RemoveTree(path));
  // std::map order visits a directory before the entries inside it.
  for (const auto& [path, entry] : durable_) note(RestoreEntry(path, entry));
  for (const auto& [path, id] : live_) {
    if (durable_.count(path) != 0) continue;
    Result<FileInfo> info = target_->Stat(path);
    if (!info.ok()) continue;  // went away with an undone directory
    uint64_t synced = nodes_[id].synced_size;
    if (info->size > synced) note(target_->TruncateFile(path, synced));
  }
  nodes_.clear();
  live_.clear();
  durable_.clear();
  return first_error;
}

void FaultInjectionFileSystem::FailNth(Op op, uint64_t n) {
  assert(n >= 1 && "FailNth counts from 1 (the next call)");
  std::lock_guard lock(mu_);
  fail_at_[Index(op)].insert(calls_[Index(op)] + n);
}

void FaultInjectionFileSystem::RunBeforeNth(Op op, uint64_t n, std::function<void()> action) {
  assert(n >= 1 && "RunBeforeNth counts from 1 (the next call)");
  std::lock_guard lock(mu_);
  run_at_[Index(op)][calls_[Index(op)] + n] = std::move(action);
}

void FaultInjectionFileSystem::FailAllOperations(bool fail) {
  std::lock_guard lock(mu_);
  fail_all_ = fail;
}

void FaultInjectionFileSystem::SetFreeSpace(uint64_t bytes) {
  std::lock_guard lock(mu_);
  free_space_ = bytes;
}

void FaultInjectionFileSystem::ClearFaults() {
  std::lock_guard lock(mu_);
  for (std::set<uint64_t>& calls : fail_at_) calls.clear();
  for (auto& actions : run_at_) actions.clear();
  free_space_.reset();
  fail_all_ = false;
}

uint64_t FaultInjectionFileSystem::CallCount(Op op) const {
  std::lock_guard lock(mu_);
  return calls_[Index(op)];
}

Status FaultInjectionFileSystem::CheckFault(Op op, std::string_view what) {
  uint64_t call = ++calls_[Index(op)];
  auto action = run_at_[Index(op)].find(call);
  if (action != run_at_[Index(op)].end()) {
    std::function<void()> run = std::move(action->second);
    run_at_[Index(op)].erase(action);
    run();
  }
  std::string prefix = std::string(OpName(op)) + " " + std::string(what);
  if (fail_all_) return Status::IOError(prefix + ": injected I/O error (device gone)");
  if (fail_at_[Index(op)].erase(call) != 0) return Status::IOError(prefix + ": injected I/O error");
  return Status::Ok();
}

Status FaultInjectionFileSystem::CheckDeviceGone(std::string_view op, std::string_view what) const {
  if (!fail_all_) return Status::Ok();
  return Status::IOError(std::string(op) + " " + std::string(what) +
                         ": injected I/O error (device gone)");
}

FaultInjectionFileSystem::NodeId FaultInjectionFileSystem::NewNode(uint64_t synced_size) {
  NodeId id = next_node_++;
  nodes_[id].synced_size = synced_size;
  return id;
}

std::optional<FaultInjectionFileSystem::NodeId> FaultInjectionFileSystem::TrackFile(
    const std::string& path) {
  auto it = live_.find(path);
  if (it != live_.end()) return it->second;
  Result<FileInfo> info = target_->Stat(path);
  if (!info.ok() || info->is_directory) return std::nullopt;
  // A file this object never wrote is taken as durable as it stands.
  NodeId node = NewNode(info->size);
  live_[path] = node;
  return node;
}

Status FaultInjectionFileSystem::SaveBeforeUnlink(const std::string& path, NodeId node) {
  Node& n = nodes_[node];
  if (n.saved) return Status::Ok();
  SILT_ASSIGN_OR_RETURN(std::string bytes, ReadDurableBytes(path, n.synced_size));
  n.saved = std::move(bytes);
  return Status::Ok();
}

Result<std::string> FaultInjectionFileSystem::ReadDurableBytes(const std::string& path,
                                                               uint64_t size) {
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, target_->NewRandomAccessFile(path));
  std::string bytes(size, '\0');
  SILT_ASSIGN_OR_RETURN(size_t n, file->Read(0, bytes.size(), bytes.data()));
  bytes.resize(n);
  return bytes;
}

void FaultInjectionFileSystem::ForgetUnusedNodes() {
  std::set<NodeId> used;
  for (const auto& [path, id] : live_) used.insert(id);
  for (const auto& [path, entry] : durable_) {
    if (entry.kind == DurableEntry::Kind::kFile) used.insert(entry.node);
  }
  std::erase_if(nodes_, [&used](const auto& node) { return used.count(node.first) == 0; });
}

// Removes whatever is at `path`: a file or symlink (never followed), or a directory tree.
Status FaultInjectionFileSystem::RemoveTree(const std::string& path) {
  Status status = target_->DeleteFile(path);
  if (status.ok() || status.code() == StatusCode::kNotFound) return Status::Ok();
  Result<FileInfo> info = target_->Stat(path);
  if (!info.ok() || !info->is_directory) return status;
  SILT_ASSIGN_OR_RETURN(std::vector<std::string> names, target_->ListDir(path));
  for (const std::string& name : names) SILT_RETURN_IF_ERROR(RemoveTree(JoinPath(path, name)));
  return target_->DeleteDir(path);
}

Status FaultInjectionFileSystem::RestoreEntry(const std::string& path, const DurableEntry& entry) {
  if (entry.kind == DurableEntry::Kind::kAbsent) return Status::Ok();
  Result<FileInfo> parent = target_->Stat(ParentDir(path));
  if (!parent.ok() || !parent->is_directory) return Status::Ok();  // its directory was undone
  if (entry.kind == DurableEntry::Kind::kDirectory) return target_->CreateDir(path);
  auto it = nodes_.find(entry.node);
  if (it == nodes_.end() || !it->second.saved) return Status::Ok();
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file,
                        target_->NewWritableFile(path, OpenMode::kTruncate));
  SILT_RETURN_IF_ERROR(file->Append(*it->second.saved));
  return file->Close();
}

}  // namespace silt::fs
