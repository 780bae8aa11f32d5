// Helpers shared by the WAL tests: options for a test directory, deterministic payloads, segment
// files built byte by byte (so damage can be placed at exact offsets), raw file access that
// bypasses the FileSystem under test, recovery that collects what it replayed, and small
// synchronisation aids (Gate, Completions) for holding the writer thread without sleeping.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aggregator/wal/checkpoint.h"
#include "aggregator/wal/open_wal.h"
#include "aggregator/wal/recovery_report.h"
#include "aggregator/wal/wal_format.h"
#include "aggregator/wal/wal_options.h"
#include "aggregator/wal/wal_recovery.h"
#include "aggregator/wal/wal_writer.h"
#include "shared/fs/file_system.h"

namespace silt::wal::test {

inline constexpr int64_t kTestWallNs = 1'700'000'000'000'000'000;

inline WalOptions TestOptions(fs::FileSystem* fs, const std::string& dir) {
  WalOptions options;
  options.fs = fs;
  options.dir = dir;
  options.wall_clock_ns = [] { return kTestWallNs; };
  return options;
}

// A payload that names its record and has the given size, so any mix-up shows.
inline std::string Payload(uint64_t id, size_t size = 24) {
  std::string out = "record-" + std::to_string(id) + ":";
  while (out.size() < size) out += static_cast<char>('a' + (out.size() + id) % 26);
  out.resize(size);
  return out;
}

struct ReplayedRecord {
  uint64_t sequence = 0;
  uint8_t type = 0;
  std::string payload;
  friend bool operator==(const ReplayedRecord&, const ReplayedRecord&) = default;
};

inline std::ostream& operator<<(std::ostream& os, const ReplayedRecord& r) {
  return os << "{" << r.sequence << ", type " << int{r.type} << ", \"" << r.payload << "\"}";
}

struct Recovered {
  CheckpointReadResult checkpoint;
  RecoveryReport report;
  std::vector<ReplayedRecord> records;
};

// Reads the checkpoint and recovers the WAL in `options.dir`; failures are test failures.
inline Recovered Recover(const WalOptions& options, RecoveryMode mode = RecoveryMode::kRepair) {
  Recovered out;
  Result<CheckpointReadResult> checkpoint = ReadCheckpoint(options.fs, options.dir);
  EXPECT_TRUE(checkpoint.ok()) << checkpoint.status();
  if (checkpoint.ok()) out.checkpoint = *checkpoint;
  Result<RecoveryReport> report = RecoverWal(
      options, out.checkpoint,
      [&out](const WalRecord& r) {
        out.records.push_back({r.sequence, r.type, std::string(r.payload)});
        return Status::Ok();
      },
      mode);
  EXPECT_TRUE(report.ok()) << report.status();
  if (report.ok()) out.report = std::move(*report);
  return out;
}

// The records 1..count as WalSegmentBuilder / the writer tests produce them.
inline std::vector<ReplayedRecord> ExpectedRecords(uint64_t first, uint64_t last,
                                                   size_t size = 24) {
  std::vector<ReplayedRecord> out;
  for (uint64_t seq = first; seq <= last; ++seq) {
    out.push_back({seq, static_cast<uint8_t>(seq % 7), Payload(seq, size)});
  }
  return out;
}

// Builds segment bytes: a header, then records, remembering where each record starts.
class SegmentBuilder {
 public:
  explicit SegmentBuilder(uint64_t first_sequence) : first_sequence_(first_sequence) {
    AppendSegmentHeader({first_sequence, kTestWallNs}, &bytes_);
  }
  // Appends record `sequence` with the standard type and payload of ExpectedRecords.
  SegmentBuilder& Add(uint64_t sequence, size_t size = 24) {
    offsets_.push_back(bytes_.size());
    AppendRecord(static_cast<uint8_t>(sequence % 7), sequence, Payload(sequence, size), &bytes_);
    return *this;
  }
  SegmentBuilder& AddRange(uint64_t first, uint64_t last, size_t size = 24) {
    for (uint64_t s = first; s <= last; ++s) Add(s, size);
    return *this;
  }
  std::string& bytes() { return bytes_; }
  uint64_t offset(size_t i) const { return offsets_.at(i); }
  std::string FileName() const { return SegmentFileName(first_sequence_); }

 private:
  uint64_t first_sequence_;
  std::string bytes_;
  std::vector<uint64_t> offsets_;
};

// Raw file access that bypasses every FileSystem under test.
inline std::string ReadRaw(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void WriteRaw(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << "writing " << path;
}

inline std::vector<std::string> SegmentNames(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (ParseSegmentFileName(name)) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

inline bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// A gate the test opens once: callbacks that wait on it hold up the writer thread, which lets a
// test fill the queue deterministically.
class Gate {
 public:
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  void Wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

// Counts callbacks and lets the test wait for a number of them.
class Completions {
 public:
  AppendCallback Callback() {
    return [this](const Status& status, uint64_t sequence) {
      std::lock_guard lock(mu_);
      results_.emplace_back(status, sequence);
      cv_.notify_all();
    };
  }
  std::vector<std::pair<Status, uint64_t>> WaitFor(size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return results_.size() >= n; });
    return results_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::pair<Status, uint64_t>> results_;
};

// Appends a record (type 0, `payload`) whose callback holds the writer thread until `release`
// opens, and returns once the record is durable and the writer is held: records appended until
// then are queued together and go out as one batch.
inline void HoldWriter(WalWriter& writer, Gate& release, std::string_view payload = "hold") {
  auto entered = std::make_shared<Gate>();
  Status status = writer.Append(0, payload, [entered, &release](const Status&, uint64_t) {
    entered->Open();
    release.Wait();
  });
  ASSERT_TRUE(status.ok()) << status;
  entered->Wait();
}

// Opens the WAL in options.dir (recovering it); failures are test failures (nullptr). What
// recovery found goes to `recovered` when given.
inline std::unique_ptr<WalWriter> OpenForTest(const WalOptions& options,
                                              Recovered* recovered = nullptr) {
  std::vector<ReplayedRecord> records;
  Checkpoint checkpoint;
  ReplayHandler handler;
  handler.on_checkpoint = [&](const Checkpoint& c) {
    EXPECT_TRUE(records.empty()) << "the checkpoint comes before any record";
    checkpoint = c;
    return Status::Ok();
  };
  handler.on_record = [&](const WalRecord& r) {
    records.push_back({r.sequence, r.type, std::string(r.payload)});
    return Status::Ok();
  };
  Result<OpenedWal> opened = OpenWal(options, handler);
  EXPECT_TRUE(opened.ok()) << opened.status();
  if (!opened.ok()) return nullptr;
  EXPECT_EQ(checkpoint.sequence, opened->checkpoint.checkpoint.sequence);
  EXPECT_EQ(checkpoint.state, opened->checkpoint.checkpoint.state);
  if (recovered != nullptr) {
    recovered->checkpoint = opened->checkpoint;
    recovered->report = opened->report;
    recovered->records = records;
  }
  return std::move(opened->writer);
}

// Appends records first..last (ExpectedRecords' types and payloads) one at a time, expecting
// each to get the sequence number it names.
inline void AppendRange(WalWriter& writer, uint64_t first, uint64_t last, size_t size = 24) {
  for (uint64_t seq = first; seq <= last; ++seq) {
    Result<uint64_t> got = writer.AppendSync(static_cast<uint8_t>(seq % 7), Payload(seq, size));
    ASSERT_TRUE(got.ok()) << got.status();
    ASSERT_EQ(*got, seq);
  }
}

}  // namespace silt::wal::test
