#include "agent/sink/jsonl_sink.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <utility>

#include "shared/json/json_string.h"
#include "shared/time/timestamp.h"

namespace silt::agent {
namespace {

Status OpenError(int error, const std::string& path) {
  Status status = Status::FromErrno(error, "open jsonl output " + path);
  if (error == EACCES || error == EPERM) {
    return Status::PermissionDenied(std::string(status.message()));
  }
  if (error == ENOENT) {
    return Status::NotFound(std::string(status.message()) + " (create its directory first)");
  }
  return status;
}

void AppendUint(uint64_t value, std::string* out) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof(digits), value);
  out->append(digits, result.ptr);
}

void AppendHex16(uint64_t value, std::string* out) {
  constexpr char kHex[] = "0123456789abcdef";
  for (int shift = 60; shift >= 0; shift -= 4) out->push_back(kHex[(value >> shift) & 0xF]);
}

// A previous run killed in the middle of a write leaves a last line without its '\n'; ending it
// keeps every later entry on a line of its own (the torn one fails to parse, and its entries were
// never confirmed, so they are written again whole).
Status EndTornLine(int fd, const std::string& path) {
  struct stat st;
  if (::fstat(fd, &st) != 0) return Status::FromErrno(errno, "stat jsonl output " + path);
  if (!S_ISREG(st.st_mode) || st.st_size == 0) return Status::Ok();
  char last = '\n';
  if (::pread(fd, &last, 1, st.st_size - 1) != 1) {
    return Status::FromErrno(errno, "read jsonl output " + path);
  }
  if (last != '\n' && ::write(fd, "\n", 1) != 1) {
    return Status::FromErrno(errno, "write jsonl output " + path);
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<JsonlSink>> JsonlSink::Open(const std::string& path,
                                                   PositionsStore* positions,
                                                   const time::Clock* clock, LabelLookup labels) {
  if (path == "-") {
    return std::make_unique<JsonlSink>(STDOUT_FILENO, false, "stdout", positions, clock,
                                       std::move(labels));
  }
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return OpenError(errno, path);
  Status ended = EndTornLine(fd, path);
  if (!ended.ok()) {
    ::close(fd);
    return ended;
  }
  return std::make_unique<JsonlSink>(fd, true, path, positions, clock, std::move(labels));
}

bool JsonlSink::IsRegularFile(int fd) {
  struct stat st;
  return ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

JsonlSink::JsonlSink(int fd, bool owns_fd, std::string name, PositionsStore* positions,
                     const time::Clock* clock, LabelLookup labels)
    : fd_(fd),
      owns_fd_(owns_fd),
      name_(std::move(name)),
      positions_(positions),
      clock_(clock),
      labels_(std::move(labels)),
      syncable_(IsRegularFile(fd)) {}

JsonlSink::~JsonlSink() { Close().IgnoreError(); }  // the owner calls Close() to learn errors

void JsonlSink::Deliver(Batch batch) {
  if (!status_.ok() || closed_ || batch.empty()) return;
  const std::string timestamp = time::FormatRfc3339Nano(clock_->WallNanos());
  buffer_.clear();
  marks_.clear();
  for (size_t c = 0; c < batch.chunks.size(); ++c) {
    const SourceChunk& chunk = batch.chunks[c];
    const std::string& labels = LabelsJson(chunk.path);
    for (size_t l = 0; l < chunk.lines.size(); ++l) {
      AppendEntry(timestamp, labels, chunk, chunk.lines[l]);
      const bool last = l + 1 == chunk.lines.size();
      marks_.push_back({buffer_.size(), c, last ? chunk.end_offset : chunk.lines[l].end_offset});
    }
    if (chunk.lines.empty()) marks_.push_back({buffer_.size(), c, chunk.end_offset});
  }
  const size_t written = WriteBuffer();
  if (written > 0 && syncable_) written_since_sync_ = true;
  ConfirmWritten(batch, written);
  ++stats_.batches;
  stats_.bytes += written;
  if (written == buffer_.size()) stats_.entries += batch.lines;
}

const std::string& JsonlSink::LabelsJson(const std::string& path) {
  auto it = labels_json_.find(path);
  if (it != labels_json_.end()) return it->second;
  std::string json = "{";
  if (labels_) {
    for (const labels::LabelView label : labels_(path)) {
      if (json.size() > 1) json.push_back(',');
      json::AppendJsonString(label.name, &json);
      json.push_back(':');
      json::AppendJsonString(label.value, &json);
    }
  }
  json.push_back('}');
  return labels_json_.emplace(path, std::move(json)).first->second;
}

void JsonlSink::AppendEntry(const std::string& timestamp, const std::string& labels,
                            const SourceChunk& chunk, const Line& line) {
  buffer_.append("{\"timestamp\":\"");
  buffer_.append(timestamp);
  buffer_.append("\",\"labels\":");
  buffer_.append(labels);
  buffer_.append(",\"line\":");
  json::AppendJsonString(line.text, &buffer_);
  buffer_.append(",\"path\":");
  json::AppendJsonString(chunk.path, &buffer_);
  buffer_.append(",\"offset\":");
  AppendUint(line.start_offset, &buffer_);
  buffer_.append(",\"source\":\"");
  AppendHex16(chunk.source_id, &buffer_);
  buffer_.append("\"}\n");
}

size_t JsonlSink::WriteBuffer() {
  size_t written = 0;
  while (written < buffer_.size()) {
    const ssize_t n = ::write(fd_, buffer_.data() + written, buffer_.size() - written);
    if (n > 0) {
      written += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      struct pollfd wait = {fd_, POLLOUT, 0};
      ::poll(&wait, 1, -1);
      continue;
    }
    ++stats_.write_errors;
    status_ = n < 0 ? Status::FromErrno(errno, "write jsonl output " + name_)
                    : Status::IOError("write jsonl output " + name_ + ": wrote nothing");
    break;
  }
  return written;
}

void JsonlSink::ConfirmWritten(const Batch& batch, size_t written) {
  if (positions_ == nullptr) return;
  if (written == buffer_.size()) {
    for (const SourceChunk& chunk : batch.chunks) {
      Confirm(chunk.source_id, chunk.start_offset, chunk.end_offset);
    }
    return;
  }
  // A short write: confirm, per chunk, up to the end of its last line written whole.
  std::vector<uint64_t> ends(batch.chunks.size(), 0);
  std::vector<bool> any(batch.chunks.size(), false);
  for (const Mark& mark : marks_) {
    if (mark.buffer_end > written) break;
    ends[mark.chunk] = mark.line_end;
    any[mark.chunk] = true;
  }
  for (size_t c = 0; c < batch.chunks.size(); ++c) {
    if (!any[c]) continue;
    const SourceChunk& chunk = batch.chunks[c];
    Confirm(chunk.source_id, chunk.start_offset, ends[c]);
  }
}

void JsonlSink::Confirm(uint64_t source_id, uint64_t start_offset, uint64_t end_offset) {
  if (syncable_) {
    unsynced_.push_back({source_id, start_offset, end_offset});
  } else {
    positions_->Confirm(source_id, start_offset, end_offset);
  }
}

Status JsonlSink::SyncWritten() {
  if (written_since_sync_ && ::fdatasync(fd_) != 0) {
    Status failed = Status::FromErrno(errno, "fdatasync jsonl output " + name_);
    ++stats_.write_errors;
    unsynced_.clear();  // never confirmed: read again after a restart
    if (status_.ok()) status_ = failed;
    return failed;
  }
  written_since_sync_ = false;
  for (const Unsynced& range : unsynced_) {
    positions_->Confirm(range.source_id, range.start, range.end);
  }
  unsynced_.clear();
  return Status::Ok();
}

Status JsonlSink::Sync() {
  if (closed_) return status_;
  return SyncWritten();
}

Status JsonlSink::Close() {
  if (closed_) return status_;
  closed_ = true;
  SyncWritten().IgnoreError();  // kept in status_
  if (owns_fd_ && ::close(fd_) != 0 && status_.ok()) {
    status_ = Status::FromErrno(errno, "close jsonl output " + name_);
  }
  return status_;
}

}  // namespace silt::agent
