// Test helpers for agent/tailer: a sink that records and confirms what it is given, and a
// harness that owns a temp dir, a positions store and a TailerSet and can "kill" and restart
// the agent (drop every in-memory object, keep only the positions file).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "agent/positions/positions_store.h"
#include "agent/tailer/batch.h"
#include "agent/tailer/source_id_generator.h"
#include "agent/tailer/tailer_set.h"
#include "shared/fs/fault_injection_file_system.h"
#include "shared/fs/posix_file_system.h"
#include "tests/support/temp_dir.h"

namespace silt::agent::testing {

// Records every chunk; confirms them only when told to.
class RecordingSink final : public BatchSink {
 public:
  void Deliver(Batch batch) override {
    batches_++;
    for (SourceChunk& chunk : batch.chunks) chunks_.push_back(std::move(chunk));
  }

  // Confirms every chunk delivered so far and not yet confirmed.
  void ConfirmAll(PositionsStore& store) {
    for (; confirmed_ < chunks_.size(); ++confirmed_) {
      const SourceChunk& c = chunks_[confirmed_];
      store.Confirm(c.source_id, c.start_offset, c.end_offset);
    }
  }
  // Forgets chunks never confirmed (what a killed agent's shipper loses).
  void DropUnconfirmed() { chunks_.resize(confirmed_); }

  const std::vector<SourceChunk>& chunks() const { return chunks_; }
  size_t batches() const { return batches_; }
  // Every delivered line's text, in delivery order.
  std::vector<std::string> Lines() const {
    std::vector<std::string> out;
    for (const SourceChunk& c : chunks_) {
      for (const Line& line : c.lines) out.push_back(line.text);
    }
    return out;
  }
  std::vector<std::string> LinesOf(uint64_t source_id) const {
    std::vector<std::string> out;
    for (const SourceChunk& c : chunks_) {
      if (c.source_id != source_id) continue;
      for (const Line& line : c.lines) out.push_back(line.text);
    }
    return out;
  }
  // The lines of one watched path's stream (rotated files included), in delivery order.
  std::vector<std::string> LinesAt(const std::string& path) const {
    std::vector<std::string> out;
    for (const SourceChunk& c : chunks_) {
      if (c.path != path) continue;
      for (const Line& line : c.lines) out.push_back(line.text);
    }
    return out;
  }
  // Source ids in order of first delivery.
  std::vector<uint64_t> Sources() const {
    std::vector<uint64_t> out;
    for (const SourceChunk& c : chunks_) {
      if (out.empty() || std::find(out.begin(), out.end(), c.source_id) == out.end()) {
        out.push_back(c.source_id);
      }
    }
    return out;
  }

 private:
  std::vector<SourceChunk> chunks_;
  size_t confirmed_ = 0;
  size_t batches_ = 0;
};

// Takes the set's events and says whether one of `kind` was among them.
inline bool HasEvent(TailerSet& tailers, TailerEvent::Kind kind) {
  for (const TailerEvent& event : tailers.TakeEvents()) {
    if (event.kind == kind) return true;
  }
  return false;
}

inline TailerSet::Options TestOptions() {
  TailerSet::Options options;
  options.rotate_wait_ns = 0;  // close rotated files at their first end of file
  options.read_chunk_size = 4096;
  return options;
}

class TailerHarness {
 public:
  explicit TailerHarness(TailerSet::Options options = TestOptions(), uint64_t seed = 1)
      : options_(std::move(options)), ids_(seed) {
    EXPECT_TRUE(Start().ok());
  }

  std::string Path(const std::string& name) const { return dir_.Path(name); }
  fs::PosixFileSystem& fs() { return fs_; }
  // What the agent uses: the real file system, with faults on demand.
  fs::FaultInjectionFileSystem& agent_fs() { return faulty_; }
  PositionsStore& store() { return *store_; }
  TailerSet& tailers() { return *tailers_; }
  RecordingSink& sink() { return sink_; }

  // Appends `text` to file `name` (creating it), as a writer with O_APPEND does.
  void Append(const std::string& name, const std::string& text) {
    auto file = fs_.NewWritableFile(Path(name), fs::OpenMode::kAppend);
    ASSERT_TRUE(file.ok()) << file.status();
    ASSERT_TRUE((*file)->Append(text).ok());
    ASSERT_TRUE((*file)->Close().ok());
  }
  void Rename(const std::string& from, const std::string& to) {
    ASSERT_TRUE(fs_.RenameFile(Path(from), Path(to)).ok());
  }
  void Delete(const std::string& name) { ASSERT_TRUE(fs_.DeleteFile(Path(name)).ok()); }
  void Truncate(const std::string& name) { ASSERT_TRUE(fs_.TruncateFile(Path(name), 0).ok()); }
  // copytruncate's first half: `copy` gets the bytes of `name`.
  void Copy(const std::string& name, const std::string& copy) {
    auto content = fs_.ReadFileToString(Path(name));
    ASSERT_TRUE(content.ok());
    Append(copy, *content);
  }
  // copytruncate without its race: copy, then truncate, nothing written in between.
  void CopyTruncate(const std::string& name, const std::string& copy) {
    Copy(name, copy);
    Truncate(name);
  }

  void Rescan(const std::vector<std::string>& names) {
    std::vector<std::string> paths;
    for (const std::string& name : names) paths.push_back(Path(name));
    tailers_->OnRescan(paths);
  }
  void Changed(const std::string& name) { tailers_->OnPathChanged(Path(name)); }
  // Polls until nothing more is read (at most 1000 rounds).
  void Drain(int64_t now_ns = 0) {
    for (int i = 0; i < 1000; ++i) {
      PollResult result = tailers_->Poll(now_ns);
      if (!result.more && result.lines == 0) return;
    }
    ADD_FAILURE() << "Drain did not settle";
  }
  void ConfirmAll() { sink_.ConfirmAll(*store_); }
  // Flushes positions (if asked), then drops every in-memory object as a killed agent would.
  void Kill(bool flush_first) {
    if (flush_first) {
      ASSERT_TRUE(tailers_->Flush(++wall_ns_).ok());
    }
    tailers_.reset();
    store_.reset();
    sink_.DropUnconfirmed();
  }
  // Starts again from the positions file. Returns the load status.
  Status Start() {
    store_ = std::make_unique<PositionsStore>(&faulty_, Path("positions"));
    Status loaded = store_->Load();
    tailers_ = std::make_unique<TailerSet>(&faulty_, store_.get(), &ids_, &sink_, options_);
    return loaded;
  }
  Status Flush() { return tailers_->Flush(++wall_ns_); }

 private:
  silt::testing::TempDir dir_;
  fs::PosixFileSystem fs_;
  fs::FaultInjectionFileSystem faulty_{&fs_};
  TailerSet::Options options_;
  SeededSourceIdGenerator ids_;
  RecordingSink sink_;
  std::unique_ptr<PositionsStore> store_;
  std::unique_ptr<TailerSet> tailers_;
  int64_t wall_ns_ = 1'700'000'000'000'000'000;
};

}  // namespace silt::agent::testing
