// Model-based test of TailerSet: random histories of writes, rename rotations, copytruncate
// (the agent may look, read, save or restart between its copy and its truncation), deletes,
// agent restarts and out-of-order confirmations, on a real temp dir, checked against a model of
// what was written.
//
// The property: the sink sees lines at least once; the stream of lines whose delivery was
// confirmed AND persisted in the positions file is exactly once. Per source id, the persisted
// lines (those ending at or before the highest offset ever persisted for it), deduplicated by
// offset (a line delivered again after a restart must be identical), form a gapless run from
// offset 0 that is exactly the lines of one file incarnation, in order; and every incarnation's
// lines appear under exactly one source.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "agent/positions/positions_store.h"
#include "agent/tailer/batch.h"
#include "agent/tailer/source_id_generator.h"
#include "agent/tailer/tailer_set.h"
#include "shared/fs/posix_file_system.h"
#include "tests/support/temp_dir.h"

namespace silt::agent {
namespace {

// PosixFileSystem without fsync: this test never simulates power loss (positions_store_test
// does), and a thousand histories with many saves each must stay fast on a real disk.
class NoSyncFileSystem final : public fs::FileSystem {
 public:
  Result<std::unique_ptr<fs::WritableFile>> NewWritableFile(const std::string& path,
                                                            fs::OpenMode mode) override {
    SILT_ASSIGN_OR_RETURN(auto file, posix_.NewWritableFile(path, mode));
    return std::unique_ptr<fs::WritableFile>(std::make_unique<File>(std::move(file)));
  }
  Result<std::unique_ptr<fs::RandomAccessFile>> NewRandomAccessFile(
      const std::string& path) override {
    return posix_.NewRandomAccessFile(path);
  }
  Status RenameFile(const std::string& from, const std::string& to) override {
    return posix_.RenameFile(from, to);
  }
  Status DeleteFile(const std::string& path) override { return posix_.DeleteFile(path); }
  Status CreateDir(const std::string& path) override { return posix_.CreateDir(path); }
  Status DeleteDir(const std::string& path) override { return posix_.DeleteDir(path); }
  Result<std::vector<std::string>> ListDir(const std::string& path) override {
    return posix_.ListDir(path);
  }
  Result<fs::FileInfo> Stat(const std::string& path) override { return posix_.Stat(path); }
  Status SyncDir(const std::string&) override { return Status::Ok(); }
  Status TruncateFile(const std::string& path, uint64_t size) override {
    return posix_.TruncateFile(path, size);
  }
  Result<std::unique_ptr<fs::FileLock>> LockFile(const std::string& path) override {
    return posix_.LockFile(path);
  }

 private:
  class File final : public fs::WritableFile {
   public:
    explicit File(std::unique_ptr<fs::WritableFile> file) : file_(std::move(file)) {}
    Status Append(std::string_view data) override { return file_->Append(data); }
    Status Flush() override { return file_->Flush(); }
    Status Sync() override { return file_->Flush(); }
    Status Close() override { return file_->Close(); }
    uint64_t Size() const override { return file_->Size(); }
    const std::string& path() const override { return file_->path(); }

   private:
    std::unique_ptr<fs::WritableFile> file_;
  };

  fs::PosixFileSystem posix_;
};

// Records chunks with the agent lifetime that received them; confirms any subset on demand.
class ModelSink final : public BatchSink {
 public:
  struct Delivery {
    int lifetime;
    SourceChunk chunk;
    bool confirmed;
  };
  void Deliver(Batch batch) override {
    for (SourceChunk& chunk : batch.chunks) {
      deliveries.push_back(Delivery{lifetime, std::move(chunk), false});
    }
  }
  std::vector<Delivery> deliveries;
  int lifetime = 0;
};

struct Incarnation {
  std::string path;       // watched name it was written under
  std::string content;    // every byte the writer wrote to it
  bool finished = false;  // no longer at the path: its last partial line is a line too
};

// The lines a reader must produce for `inc`.
std::vector<std::string> ExpectedLines(const Incarnation& inc) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (;;) {
    size_t newline = inc.content.find('\n', start);
    if (newline == std::string::npos) break;
    std::string line = inc.content.substr(start, newline - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
    start = newline + 1;
  }
  if (inc.finished && start < inc.content.size()) lines.push_back(inc.content.substr(start));
  return lines;
}

struct ModelConfig {
  int cases = 250;
  int ops_per_case = 40;
  uint64_t seed_base = 0;
  // Relative weights of: write, rename-rotate, copytruncate, delete, notify, poll, confirm,
  // flush, restart.
  std::vector<int> weights = {30, 6, 4, 2, 12, 16, 10, 3, 4};
};

class ModelRun {
 public:
  ModelRun(uint64_t seed, const ModelConfig& config) : rng_(seed), config_(config), ids_(seed) {
    options_.rotate_wait_ns = Pick(2) == 0 ? 0 : 50;
    const size_t chunk_sizes[] = {7, 100, 4096};
    options_.read_chunk_size = chunk_sizes[Pick(3)];
    options_.batch.max_lines = Pick(2) == 0 ? 3 : 4096;
    options_.max_open_rotated = 1000;
    paths_ = Pick(3) == 0 ? std::vector<std::string>{"a.log", "b.log"}
                          : std::vector<std::string>{"app.log"};
    for (const std::string& p : paths_) writers_[p] = Writer{};
  }

  // Runs the history; returns a description of the first violation, or "".
  std::string Run() {
    Start();
    for (int op = 0; op < config_.ops_per_case; ++op) Step();
    if (!up_) Start();
    Finish();
    return Check();
  }
  const std::string& log() const { return log_; }

 private:
  struct Writer {
    int current = -1;  // incarnation at the path, -1 when no file
    int rotations = 0;
  };

  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  std::string Full(const std::string& name) const { return dir_.Path(name); }
  void Note(const std::string& what) { log_ += what + "\n"; }

  void Step() {
    std::discrete_distribution<int> pick(config_.weights.begin(), config_.weights.end());
    const std::string& path = paths_[Pick(paths_.size())];
    switch (pick(rng_)) {
      case 0:
        Write(path);
        break;
      case 1:
        RenameRotate(path);
        break;
      case 2:
        CopyTruncate(path);
        break;
      case 3:
        Delete(path);
        break;
      case 4:
        Notify(path);
        break;
      case 5:
        PollOnce();
        break;
      case 6:
        ConfirmSome();
        break;
      case 7:
        FlushNow();
        break;
      case 8:
        Restart();
        break;
    }
  }

  int NewIncarnation(const std::string& path) {
    incarnations_.push_back(Incarnation{path, "", false});
    return static_cast<int>(incarnations_.size()) - 1;
  }

  void AppendFile(const std::string& name, const std::string& text) {
    auto file = fs_.NewWritableFile(Full(name), fs::OpenMode::kAppend);
    ASSERT_TRUE(file.ok()) << file.status();
    ASSERT_TRUE((*file)->Append(text).ok());
    ASSERT_TRUE((*file)->Close().ok());
  }

  std::string LineText(const std::string& path) {
    std::string text = path + "#" + std::to_string(next_line_++) + "-";
    const size_t length = Pick(10) == 0 ? 1500 + Pick(1500) : Pick(40);
    text.append(length, static_cast<char>('a' + Pick(26)));
    return text;
  }

  void Write(const std::string& path) {
    Writer& w = writers_[path];
    if (w.current < 0) w.current = NewIncarnation(path);
    Incarnation& inc = incarnations_[w.current];
    std::string text;
    if (!inc.content.empty() && inc.content.back() != '\n') text += "~\n";
    const size_t lines = 1 + Pick(3);
    for (size_t i = 0; i < lines; ++i) text += LineText(path) + (Pick(4) == 0 ? "\r\n" : "\n");
    if (Pick(3) == 0) text += LineText(path);  // a partial line, completed by a later write
    AppendFile(path, text);
    inc.content += text;
    Note("write " + path + " " + std::to_string(text.size()) + " bytes");
  }

  void ShiftRotated(const std::string& path, Writer& w) {
    for (int k = w.rotations; k >= 1; --k) {
      ASSERT_TRUE(fs_.RenameFile(Full(path + "." + std::to_string(k)),
                                 Full(path + "." + std::to_string(k + 1)))
                      .ok());
    }
    w.rotations++;
  }

  void RenameRotate(const std::string& path) {
    Writer& w = writers_[path];
    if (w.current < 0) return;
    ShiftRotated(path, w);
    ASSERT_TRUE(fs_.RenameFile(Full(path), Full(path + ".1")).ok());
    incarnations_[w.current].finished = true;
    w.current = -1;
    if (Pick(2) == 0) {
      w.current = NewIncarnation(path);
      AppendFile(path, "");
    }
    Note("rename-rotate " + path);
  }

  void CopyTruncate(const std::string& path) {
    Writer& w = writers_[path];
    if (w.current < 0) return;
    // The agent has looked at the file since its last write (as inotify would make it): a file
    // it last saw empty, then written, copied and truncated unseen is the documented gap.
    if (up_) tailers_->OnPathChanged(Full(path));
    ShiftRotated(path, w);
    auto content = fs_.ReadFileToString(Full(path));
    ASSERT_TRUE(content.ok());
    AppendFile(path + ".1", *content);
    // Between the copy and the truncation the agent may look, read, save, restart: the copy
    // beside a file it tails is not a missed rotation. (Lines written in this window are lost
    // by copytruncate itself, so nothing is written.)
    const bool window = Pick(2) == 0;
    if (window) {
      Note("copy " + path + " to " + path + ".1, the truncation comes after:");
      for (size_t i = 1 + Pick(3); i > 0; --i) {
        const size_t step = Pick(5);
        if (step == 0) Restart();
        if (step == 1) Notify(path);
        if (step == 2) PollOnce();
        if (step == 3) ConfirmSome();
        if (step == 4) FlushNow();
      }
    }
    ASSERT_TRUE(fs_.TruncateFile(Full(path), 0).ok());
    incarnations_[w.current].finished = true;
    w.current = NewIncarnation(path);
    Note((window ? "truncate " : "copytruncate ") + path + (up_ ? "" : " (agent down)"));
  }

  void Delete(const std::string& path) {
    Writer& w = writers_[path];
    // Bytes of a deleted file live only as long as a descriptor: the agent must be up, have
    // opened the file (the create event), and drain and confirm it before it could be killed.
    if (w.current < 0 || !up_) return;
    tailers_->OnPathChanged(Full(path));
    ASSERT_TRUE(fs_.DeleteFile(Full(path)).ok());
    incarnations_[w.current].finished = true;
    w.current = -1;
    Note("delete " + path);
    tailers_->OnPathChanged(Full(path));
    for (int i = 0; i < 2; ++i) {
      now_ns_ += options_.rotate_wait_ns + 1;
      DrainAndConfirm();
    }
    FlushNow();
  }

  void DrainAndConfirm() {
    for (int i = 0; i < 1000; ++i) {
      PollResult result = tailers_->Poll(now_ns_);
      if (!result.more && result.lines == 0) break;
    }
    for (auto& d : sink_.deliveries) {
      if (d.confirmed || d.lifetime != sink_.lifetime) continue;
      store_->Confirm(d.chunk.source_id, d.chunk.start_offset, d.chunk.end_offset);
      d.confirmed = true;
    }
  }

  void Notify(const std::string& path) {
    if (!up_) return;
    if (Pick(3) == 0) {
      tailers_->OnRescan(AllPaths());
      Note("rescan");
    } else {
      tailers_->OnPathChanged(Full(path));
      Note("changed " + path);
    }
  }

  void PollOnce() {
    if (!up_) return;
    now_ns_ += static_cast<int64_t>(Pick(40));
    PollResult result = tailers_->Poll(now_ns_);
    Note("poll: " + std::to_string(result.lines) + " lines");
  }

  void ConfirmSome() {
    if (!up_) return;
    std::vector<size_t> pending;
    for (size_t i = 0; i < sink_.deliveries.size(); ++i) {
      if (!sink_.deliveries[i].confirmed && sink_.deliveries[i].lifetime == sink_.lifetime) {
        pending.push_back(i);
      }
    }
    std::shuffle(pending.begin(), pending.end(), rng_);
    pending.resize(pending.size() - Pick(pending.size() + 1) / 2);
    for (size_t i : pending) {
      const SourceChunk& c = sink_.deliveries[i].chunk;
      store_->Confirm(c.source_id, c.start_offset, c.end_offset);
      sink_.deliveries[i].confirmed = true;
    }
    Note("confirm " + std::to_string(pending.size()) + " chunks");
  }

  void FlushNow() {
    if (!up_) return;
    wall_ns_ += 1'000'000'000;
    Status flushed = tailers_->Flush(wall_ns_);
    ASSERT_TRUE(flushed.ok()) << flushed;
    for (const auto& [id, entry] : store_->entries()) {
      persisted_[id] = std::max(persisted_[id], entry.offset);
    }
    Note("flush");
  }

  void Restart() {
    if (up_) {
      // A path that has no saved entry at the kill (the agent never saw a file there) gives a
      // restarted agent nothing to find files rotated meanwhile by: the documented gap.
      for (const std::string& path : paths_) {
        bool known = false;
        for (const auto& [id, entry] : store_->entries()) known = known || entry.path == Full(path);
        if (!known) return;
      }
      FlushNow();
      CollectEvents();
      tailers_.reset();
      store_.reset();
      up_ = false;
      Note("kill");
    } else {
      Start();
    }
  }

  void Start() {
    store_ = std::make_unique<PositionsStore>(&fs_, Full("positions"));
    Status loaded = store_->Load();
    ASSERT_TRUE(loaded.ok()) << loaded;
    sink_.lifetime++;
    tailers_ = std::make_unique<TailerSet>(&fs_, store_.get(), &ids_, &sink_, options_);
    tailers_->OnRescan(AllPaths());
    up_ = true;
    Note("start");
    FlushNow();  // the loop saves right after the startup scan
  }

  std::vector<std::string> AllPaths() const {
    std::vector<std::string> out;
    for (const std::string& p : paths_) out.push_back(Full(p));
    return out;
  }

  void CollectEvents() {
    for (const TailerEvent& event : tailers_->TakeEvents()) {
      Note("  event: " + event.message);
      if (event.kind == TailerEvent::Kind::kError || event.kind == TailerEvent::Kind::kAbandoned) {
        errors_ += event.message + "\n";
      }
    }
  }

  // Writers terminate their last lines; the agent reads, closes rotated files, confirms, saves.
  void Finish() {
    for (auto& [path, w] : writers_) {
      if (w.current < 0) continue;
      Incarnation& inc = incarnations_[w.current];
      if (!inc.content.empty() && inc.content.back() != '\n') {
        AppendFile(path, "~\n");
        inc.content += "~\n";
      }
    }
    for (int round = 0; round < 20; ++round) {
      tailers_->OnRescan(AllPaths());
      now_ns_ += options_.rotate_wait_ns + 1;
      DrainAndConfirm();
      if (tailers_->stats().open_rotated_files == 0) break;
    }
    FlushNow();
    CollectEvents();
  }

  std::string Check() {
    if (!errors_.empty()) return "errors or abandoned files:\n" + errors_;
    std::map<std::string, std::pair<int, size_t>> where;  // line text -> (incarnation, index)
    for (size_t i = 0; i < incarnations_.size(); ++i) {
      std::vector<std::string> lines = ExpectedLines(incarnations_[i]);
      for (size_t j = 0; j < lines.size(); ++j) {
        if (!where.emplace(lines[j], std::make_pair(static_cast<int>(i), j)).second) {
          return "model bug: line written twice: " + lines[j];
        }
      }
    }
    // No line is delivered twice within one agent lifetime.
    std::set<std::tuple<int, uint64_t, uint64_t>> seen;
    for (const auto& d : sink_.deliveries) {
      for (const Line& line : d.chunk.lines) {
        if (!seen.emplace(d.lifetime, d.chunk.source_id, line.start_offset).second) {
          return "line delivered twice in one lifetime: " + line.text.substr(0, 60);
        }
      }
    }
    std::map<int, uint64_t> owner;  // incarnation -> source
    std::map<int, size_t> covered;  // incarnation -> lines persisted
    for (const auto& [source, persisted] : persisted_) {
      std::map<uint64_t, const Line*> by_start;
      for (const auto& d : sink_.deliveries) {
        if (d.chunk.source_id != source) continue;
        for (const Line& line : d.chunk.lines) {
          if (line.end_offset > persisted) continue;
          auto [it, fresh] = by_start.emplace(line.start_offset, &line);
          if (!fresh &&
              (it->second->text != line.text || it->second->end_offset != line.end_offset)) {
            return "redelivered line differs at offset " + std::to_string(line.start_offset);
          }
        }
      }
      uint64_t expect_start = 0;
      int incarnation = -1;
      for (const auto& [start, line] : by_start) {
        if (start != expect_start) {
          return "gap in source " + std::to_string(source) + ": expected offset " +
                 std::to_string(expect_start) + ", got " + std::to_string(start);
        }
        expect_start = line->end_offset;
        auto found = where.find(line->text);
        if (found == where.end()) return "line never written: " + line->text.substr(0, 60);
        auto [inc, index] = found->second;
        if (incarnation == -1) {
          incarnation = inc;
          if (owner.count(inc) > 0) {
            return "incarnation " + std::to_string(inc) +
                   " read under two sources: " + line->text.substr(0, 60);
          }
          owner[inc] = source;
        }
        if (inc != incarnation || index != covered[inc]) {
          return "out of order or mixed: " + line->text.substr(0, 60);
        }
        covered[inc]++;
      }
      if (!by_start.empty() && expect_start != persisted) {
        return "persisted offset " + std::to_string(persisted) +
               " is not the end of the last line " + std::to_string(expect_start);
      }
    }
    for (size_t i = 0; i < incarnations_.size(); ++i) {
      const size_t expected = ExpectedLines(incarnations_[i]).size();
      if (covered[static_cast<int>(i)] != expected) {
        return "incarnation " + std::to_string(i) + " of " + incarnations_[i].path + ": " +
               std::to_string(covered[static_cast<int>(i)]) + " of " + std::to_string(expected) +
               " lines confirmed and persisted";
      }
    }
    return "";
  }

  std::mt19937_64 rng_;
  ModelConfig config_;
  silt::testing::TempDir dir_;
  NoSyncFileSystem fs_;
  TailerSet::Options options_;
  SeededSourceIdGenerator ids_;
  ModelSink sink_;
  std::unique_ptr<PositionsStore> store_;
  std::unique_ptr<TailerSet> tailers_;
  bool up_ = false;
  std::vector<std::string> paths_;
  std::map<std::string, Writer> writers_;
  std::vector<Incarnation> incarnations_;
  std::map<uint64_t, uint64_t> persisted_;
  uint64_t next_line_ = 0;
  int64_t now_ns_ = 0;
  int64_t wall_ns_ = 1'700'000'000'000'000'000;
  std::string log_;
  std::string errors_;
};

void RunCases(const ModelConfig& config) {
  for (int i = 0; i < config.cases; ++i) {
    const uint64_t seed = config.seed_base + static_cast<uint64_t>(i);
    ModelRun run(seed, config);
    std::string failure = run.Run();
    if (::testing::Test::HasFatalFailure()) {
      FAIL() << "seed " << seed << "\n" << run.log();
    }
    ASSERT_EQ(failure, "") << "seed " << seed << "\nhistory:\n" << run.log();
  }
}

TEST(TailerSetModelTest, RenameRotationHistories) {
  ModelConfig config;
  config.seed_base = 1000;
  config.weights = {30, 10, 0, 2, 12, 16, 10, 3, 4};
  RunCases(config);
}

TEST(TailerSetModelTest, CopytruncateHistories) {
  ModelConfig config;
  config.seed_base = 2000;
  config.weights = {30, 0, 10, 0, 12, 16, 10, 3, 4};
  RunCases(config);
}

TEST(TailerSetModelTest, HistoriesWithFrequentRestarts) {
  ModelConfig config;
  config.seed_base = 3000;
  config.weights = {30, 6, 4, 2, 10, 14, 10, 3, 12};
  RunCases(config);
}

TEST(TailerSetModelTest, MixedHistoriesWithRareLooks) {
  ModelConfig config;
  config.seed_base = 4000;
  config.ops_per_case = 60;
  config.weights = {30, 8, 6, 2, 3, 6, 10, 3, 4};
  RunCases(config);
}

}  // namespace
}  // namespace silt::agent
