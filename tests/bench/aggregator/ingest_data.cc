#include "tests/bench/aggregator/ingest_data.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cstring>
#include <utility>

#include "tests/bench/aggregator/fd_io.h"

namespace silt::bench {
namespace {

static_assert(sizeof(EntryRecord) == 16, "the entries file holds 16-byte records");

constexpr size_t kWriteBufferBytes = size_t{1} << 20;
constexpr size_t kRecordsPerRead = 64 * 1024;
constexpr uint64_t kSourceIdBase = 0x51175EED00000000ULL;

Result<int> OpenFile(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
  if (fd < 0) return Status::FromErrno(errno, "opening " + path);
  return fd;
}

// Buffers appends to one file descriptor.
class BufferedFile {
 public:
  BufferedFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {
    buffer_.reserve(kWriteBufferBytes + 64 * 1024);
  }
  ~BufferedFile() { ::close(fd_); }

  Status Append(std::string_view data) {
    buffer_.append(data);
    return buffer_.size() >= kWriteBufferBytes ? Flush() : Status::Ok();
  }
  Status Flush() {
    SILT_RETURN_IF_ERROR(WriteAll(fd_, buffer_, path_));
    buffer_.clear();
    return Status::Ok();
  }

 private:
  int fd_;
  std::string path_;
  std::string buffer_;
};

}  // namespace

Result<GeneratedData> GenerateData(const loggen::GeneratorOptions& options, uint64_t bytes,
                                   const DataFiles& files) {
  SILT_ASSIGN_OR_RETURN(auto generator, loggen::Generator::Create(options));
  SILT_ASSIGN_OR_RETURN(int raw_fd, OpenFile(files.raw_path, O_WRONLY | O_CREAT | O_TRUNC));
  BufferedFile raw(raw_fd, files.raw_path);
  SILT_ASSIGN_OR_RETURN(int entries_fd, OpenFile(files.entries_path, O_WRONLY | O_CREAT | O_TRUNC));
  BufferedFile entries(entries_fd, files.entries_path);
  GeneratedData data;
  while (data.raw_bytes < bytes) {
    const loggen::Entry& entry = generator->Next();
    EntryRecord record{entry.timestamp_ns, entry.stream->index,
                       static_cast<uint32_t>(entry.line.size())};
    SILT_RETURN_IF_ERROR(raw.Append(entry.line));
    SILT_RETURN_IF_ERROR(raw.Append("\n"));
    SILT_RETURN_IF_ERROR(
        entries.Append(std::string_view(reinterpret_cast<const char*>(&record), sizeof(record))));
    data.raw_bytes += entry.line.size() + 1;
    data.physical_lines += entry.lines;
    ++data.entries;
  }
  SILT_RETURN_IF_ERROR(raw.Flush());
  SILT_RETURN_IF_ERROR(entries.Flush());
  return data;
}

Result<std::vector<labels::LabelSet>> StreamLabels(const loggen::GeneratorOptions& options) {
  SILT_ASSIGN_OR_RETURN(auto generator, loggen::Generator::Create(options));
  std::vector<labels::LabelSet> out;
  const loggen::StreamSet& streams = generator->streams();
  for (size_t s = 0; s < streams.size(); ++s) {
    std::vector<labels::LabelView> views;
    for (const auto& [name, value] : streams[s].labels) views.push_back({name, value});
    SILT_ASSIGN_OR_RETURN(labels::LabelSet labels, labels::LabelSet::FromSorted(views));
    out.push_back(std::move(labels));
  }
  return out;
}

Result<std::unique_ptr<BatchReader>> BatchReader::Open(const DataFiles& files) {
  SILT_ASSIGN_OR_RETURN(int raw_fd, OpenFile(files.raw_path, O_RDONLY));
  Result<int> entries_fd = OpenFile(files.entries_path, O_RDONLY);
  if (!entries_fd.ok()) {
    ::close(raw_fd);
    return entries_fd.status();
  }
  return std::unique_ptr<BatchReader>(new BatchReader(raw_fd, *entries_fd, files));
}

BatchReader::BatchReader(int raw_fd, int entries_fd, DataFiles files)
    : raw_fd_(raw_fd), entries_fd_(entries_fd), files_(std::move(files)) {}

BatchReader::~BatchReader() {
  ::close(raw_fd_);
  ::close(entries_fd_);
}

Status BatchReader::Refill() {
  pending_.resize(kRecordsPerRead);
  SILT_ASSIGN_OR_RETURN(size_t n,
                        ReadFull(entries_fd_, reinterpret_cast<char*>(pending_.data()),
                                 kRecordsPerRead * sizeof(EntryRecord), files_.entries_path));
  if (n % sizeof(EntryRecord) != 0) {
    return Status::Corruption(files_.entries_path + " ends inside a record: regenerate the data");
  }
  pending_.resize(n / sizeof(EntryRecord));
  next_ = 0;
  return Status::Ok();
}

Result<bool> BatchReader::Next(size_t target_bytes, Batch* batch) {
  batch->entries.clear();
  batch->end_offsets.clear();
  size_t text_bytes = 0;
  while (text_bytes < target_bytes) {
    if (next_ == pending_.size()) {
      SILT_RETURN_IF_ERROR(Refill());
      if (pending_.empty()) break;
    }
    const EntryRecord& record = pending_[next_++];
    if (record.stream >= stream_offsets_.size()) stream_offsets_.resize(record.stream + 1, 0);
    stream_offsets_[record.stream] += record.length + 1;
    batch->entries.push_back(record);
    batch->end_offsets.push_back(stream_offsets_[record.stream]);
    text_bytes += record.length + 1;
  }
  batch->text.resize(text_bytes);
  SILT_ASSIGN_OR_RETURN(size_t n,
                        ReadFull(raw_fd_, batch->text.data(), text_bytes, files_.raw_path));
  if (n != text_bytes) {
    return Status::Corruption(files_.raw_path + " is shorter than " + files_.entries_path +
                              " says: regenerate the data");
  }
  return !batch->entries.empty();
}

AgentPushBuilder::AgentPushBuilder(std::vector<labels::LabelSet> streams, std::string tenant,
                                   std::string agent_id)
    : streams_(std::move(streams)),
      tenant_(std::move(tenant)),
      agent_id_(std::move(agent_id)),
      slot_(streams_.size(), -1) {}

engine::PushRequest AgentPushBuilder::Build(const Batch& batch) {
  engine::PushRequest request;
  request.tenant = tenant_;
  request.agent_id = agent_id_;
  std::fill(slot_.begin(), slot_.end(), -1);
  size_t offset = 0;
  for (size_t i = 0; i < batch.entries.size(); ++i) {
    const EntryRecord& record = batch.entries[i];
    assert(record.stream < slot_.size());
    int32_t& slot = slot_[record.stream];
    if (slot < 0) {
      slot = static_cast<int32_t>(request.streams.size());
      request.streams.push_back({streams_[record.stream], {}});
      const uint64_t start = batch.end_offsets[i] - record.length - 1;
      request.sources.push_back({kSourceIdBase + record.stream, start, start});
    }
    request.streams[slot].entries.push_back(
        {record.timestamp_ns,
         std::string_view(batch.text).substr(offset, record.length),
         {},
         static_cast<uint32_t>(slot),
         batch.end_offsets[i]});
    request.sources[slot].end = batch.end_offsets[i];
    offset += record.length + 1;
  }
  return request;
}

}  // namespace silt::bench
