#include "aggregator/cli/export_job.h"

#include <fcntl.h>
#include <unistd.h>
#include <zstd.h>

#include <sys/stat.h>
#include <cerrno>
#include <cinttypes>
#include <cstring>
#include <fstream>
#include <sstream>

#include "aggregator/cli/entry_printer.h"
#include "aggregator/cli/log_query_runner.h"
#include "shared/json/json_string.h"

namespace silt::cli {
namespace {

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

int64_t FileSize(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? st.st_size : 0;
}

// A file written through one zstd frame, fsync'd on Finish. The helper of ExportPart.
class ZstdFile {
 public:
  ZstdFile() : cctx_(ZSTD_createCCtx()) {}
  ~ZstdFile() {
    ZSTD_freeCCtx(cctx_);
    if (fd_ >= 0) close(fd_);
  }

  Status Open(const std::string& path, int level) {
    path_ = path;
    fd_ = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) return Status::FromErrno(errno, "creating " + path);
    ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, level);
    ZSTD_CCtx_setParameter(cctx_, ZSTD_c_checksumFlag, 1);
    return Status::Ok();
  }

  // Compresses `data`; `end` closes the frame. Returns the compressed bytes written.
  Result<int64_t> Write(std::string_view data, bool end) {
    ZSTD_inBuffer in = {data.data(), data.size(), 0};
    int64_t written = 0;
    const ZSTD_EndDirective mode = end ? ZSTD_e_end : ZSTD_e_continue;
    size_t remaining = 0;
    do {
      out_.resize(ZSTD_CStreamOutSize());
      ZSTD_outBuffer out = {out_.data(), out_.size(), 0};
      remaining = ZSTD_compressStream2(cctx_, &out, &in, mode);
      if (ZSTD_isError(remaining)) {
        return Status::IOError("compressing " + path_ + ": " + ZSTD_getErrorName(remaining));
      }
      SILT_RETURN_IF_ERROR(WriteAll(std::string_view(out_.data(), out.pos)));
      written += static_cast<int64_t>(out.pos);
    } while (end ? remaining != 0 : in.pos < in.size);
    return written;
  }

  Status Finish() {
    if (fsync(fd_) != 0) return Status::FromErrno(errno, "syncing " + path_);
    close(fd_);
    fd_ = -1;
    return Status::Ok();
  }

 private:
  Status WriteAll(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = write(fd_, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Status::FromErrno(errno, "writing " + path_);
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return Status::Ok();
  }

  ZSTD_CCtx* cctx_;
  int fd_ = -1;
  std::string path_;
  std::string out_;
};

Status RenameSynced(const std::string& from, const std::string& to) {
  if (rename(from.c_str(), to.c_str()) != 0) {
    return Status::FromErrno(errno, "renaming " + from + " to " + to);
  }
  const size_t slash = to.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : to.substr(0, slash + 1);
  const int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
  return Status::Ok();
}

}  // namespace

ExportJob::ExportJob(HttpClient* client, ExportOptions options)
    : client_(client), options_(std::move(options)) {}

std::string ExportJob::PartPath(int64_t index) const {
  char suffix[32];
  std::snprintf(suffix, sizeof(suffix), ".part%04" PRId64, index);
  return options_.output + suffix;
}

std::string ExportJob::ManifestText() const {
  std::string text = "silt export 1\nquery ";
  json::AppendJsonString(options_.query, &text);
  text += "\nfrom " + std::to_string(options_.range.start_ns) + "\nto " +
          std::to_string(options_.range.end_ns) + "\npart " + std::to_string(options_.part_ns) +
          "\n";
  return text;
}

Status ExportJob::CheckManifest() {
  const std::string path = options_.output + ".manifest";
  const std::string want = ManifestText();
  if (Exists(path)) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream have;
    have << in.rdbuf();
    if (have.str() != want) {
      return Status::InvalidArgument(
          path +
          " belongs to an export with another query, range or --part: rerun it with the "
          "same flags (absolute --from/--to), or delete " +
          options_.output + ".part* and the manifest to start over");
    }
    return Status::Ok();
  }
  {
    std::ofstream out(path + ".tmp", std::ios::binary | std::ios::trunc);
    out << want;
    if (!out.flush()) return Status::IOError("writing " + path + ".tmp failed");
  }
  return RenameSynced(path + ".tmp", path);
}

Status ExportJob::Prepare() {
  if (Exists(options_.output)) {
    return Status::InvalidArgument(options_.output +
                                   " already exists: remove it or choose another -o");
  }
  return CheckManifest();
}

Status ExportJob::Run() {
  started_ns_ = WallClockNanos();
  const int64_t span = options_.range.end_ns - options_.range.start_ns;
  const int64_t count = (span + options_.part_ns - 1) / options_.part_ns;
  for (int64_t i = 0; i < count; ++i) {
    if (Exists(PartPath(i))) ++parts_skipped_;
  }
  if (parts_skipped_ > 0) {
    std::fprintf(stderr, "silt: resuming %s: %" PRId64 " of %" PRId64 " parts already done\n",
                 options_.output.c_str(), parts_skipped_, count);
  }
  for (int64_t i = 0; i < count; ++i) {
    if (Exists(PartPath(i))) {
      bytes_ += FileSize(PartPath(i));
      continue;
    }
    SILT_RETURN_IF_ERROR(ExportPart(i, count));
  }
  SILT_RETURN_IF_ERROR(JoinParts(count));
  DrawProgress(count, count, /*final=*/true);
  return Status::Ok();
}

Status ExportJob::ExportPart(int64_t index, int64_t count) {
  RangeQuery query;
  query.query = options_.query;
  query.range.start_ns = options_.range.start_ns + index * options_.part_ns;
  query.range.end_ns = std::min(options_.range.end_ns, query.range.start_ns + options_.part_ns);
  query.direction = Direction::kForward;
  query.limit = 0;
  query.batch = options_.batch;
  const std::string temp = PartPath(index) + ".tmp";
  ZstdFile file;
  SILT_RETURN_IF_ERROR(file.Open(temp, options_.zstd_level));
  const EntryPrinter printer(PrintOptions{OutputMode::kJsonl, false, {}, false});
  std::string text;
  const EntrySink sink = [&](std::vector<FlatEntry>&& entries) -> Status {
    text.clear();
    for (const FlatEntry& entry : entries) printer.Append(entry, &text);
    Result<int64_t> written = file.Write(text, /*end=*/false);
    if (!written.ok()) return written.status();
    lines_ += static_cast<int64_t>(entries.size());
    bytes_ += *written;
    DrawProgress(index, count, /*final=*/false);
    return Status::Ok();
  };
  QueryResult metric;
  SILT_RETURN_IF_ERROR(RunRangeQuery(client_, query, sink, &metric));
  if (metric.type != ResultType::kStreams) {
    return Status::InvalidArgument("export needs a log query; '" + options_.query +
                                   "' is a metric query: use silt query for it");
  }
  Result<int64_t> written = file.Write("", /*end=*/true);
  if (!written.ok()) return written.status();
  bytes_ += *written;
  SILT_RETURN_IF_ERROR(file.Finish());
  return RenameSynced(temp, PartPath(index));
}

Status ExportJob::JoinParts(int64_t count) {
  const std::string temp = options_.output + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    for (int64_t i = 0; i < count; ++i) {
      std::ifstream in(PartPath(i), std::ios::binary);
      out << in.rdbuf();
    }
    if (!out.flush()) return Status::IOError("writing " + temp + " failed (disk full?)");
  }
  const int fd = open(temp.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fsync(fd) != 0) {
    if (fd >= 0) close(fd);
    return Status::FromErrno(errno, "syncing " + temp);
  }
  close(fd);
  SILT_RETURN_IF_ERROR(RenameSynced(temp, options_.output));
  for (int64_t i = 0; i < count; ++i) unlink(PartPath(i).c_str());
  unlink((options_.output + ".manifest").c_str());
  return Status::Ok();
}

void ExportJob::DrawProgress(int64_t index, int64_t count, bool final) {
  if (!options_.progress) return;
  const int64_t now = WallClockNanos();
  if (!final && now - last_draw_ns_ < 200'000'000) return;  // five times a second at most
  last_draw_ns_ = now;
  const double seconds = std::max(1e-3, static_cast<double>(now - started_ns_) / 1e9);
  std::fprintf(stderr,
               "\r\x1b[Kexport: part %" PRId64 "/%" PRId64 ", %" PRId64
               " lines, %.1f MiB, %.0f lines/s",
               std::min(index + 1, count), count, lines_, static_cast<double>(bytes_) / 1048576.0,
               static_cast<double>(lines_) / seconds);
  if (final) std::fputc('\n', stderr);
}

}  // namespace silt::cli
