// A push is applied to the head from its WAL payload at the places the encoder recorded, without
// decoding it; recovery decodes the same records from disk. Both must build the same head.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "aggregator/engine/storage_engine.h"
#include "shared/fs/posix_file_system.h"
#include "shared/time/fake_clock.h"
#include "tests/support/temp_dir.h"

namespace silt::engine {
namespace {

constexpr int64_t kHourNs = 3600 * kSecondNs;
constexpr int64_t kT0 = (time::FakeClock::kDefaultWallNanos / kHourNs) * kHourNs + kHourNs / 2;

class StorageEngineApplyTest : public ::testing::Test {
 protected:
  void Open() {
    EngineOptions options;
    options.fs = &posix_;
    options.clock = &clock_;
    options.data_dir = dir_.Path("data");
    options.background_flush = false;
    auto opened = StorageEngine::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.status();
    engine_ = std::move(*opened);
  }

  // Every entry in the head (no flush ran: nothing is in chunks), stream by stream, as
  // "labels ts line {metadata}".
  std::vector<std::string> DumpHead() {
    std::vector<labels::Matcher> any = {
        *labels::Matcher::Create(labels::MatchType::kRegexMatch, "job", ".+")};
    auto selected = engine_->Select("t", any, INT64_MIN, INT64_MAX);
    EXPECT_TRUE(selected.ok()) << selected.status();
    std::vector<std::string> out;
    if (!selected.ok()) return out;
    std::vector<labels::LabelView> metadata;
    for (const StreamSelection& stream : *selected) {
      EXPECT_TRUE(stream.chunks.empty());
      for (auto it = stream.NewIterator(INT64_MIN, INT64_MAX, store::Direction::kForward);
           it.Valid(); it.Next()) {
        std::string line = stream.labels.ToString() + " " + std::to_string(it.timestamp() - kT0) +
                           " " + std::string(it.line()) + " {";
        metadata.clear();
        it.AppendMetadata(&metadata);
        for (const labels::LabelView& pair : metadata) {
          line += std::string(pair.name) + "=" + std::string(pair.value) + ";";
        }
        out.push_back(line + "}");
      }
    }
    return out;
  }

  testing::TempDir dir_;
  fs::PosixFileSystem posix_;
  time::FakeClock clock_;
  std::unique_ptr<StorageEngine> engine_;
};

TEST_F(StorageEngineApplyTest, PushedHeadEqualsTheHeadReplayedFromTheWal) {
  Open();
  std::vector<labels::LabelView> unsorted = {{"trace", "7"}, {"pod", "p"}};
  std::vector<labels::LabelView> one = {{"user", "q\"x"}};
  {
    PushRequest request;  // an agent batch over two sources and two streams
    request.tenant = "t";
    request.agent_id = "host-1";
    request.sources = {{1, 0, 30}, {2, 0, 20}};
    PushStream api{labels::LabelSet::Of({{"job", "api"}, {"env", "prod"}}), {}};
    api.entries.push_back({kT0 + 2, "second", unsorted, 0, 20});
    api.entries.push_back({kT0 + 1, "first", {}, 0, 10});
    api.entries.push_back({kT0 + 3, std::string_view("nul\0byte", 8), one, 0, 30});
    PushStream db{labels::LabelSet::Of({{"job", "db"}}), {}};
    db.entries.push_back({kT0 + 5, "", {}, 1, 20});
    request.streams.push_back(std::move(api));
    request.streams.push_back(std::move(db));
    auto outcome = engine_->PushSync(std::move(request));
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    EXPECT_EQ(outcome->accepted, 4u);
  }
  {
    PushRequest request;  // redelivered, too old, a duplicate and new entries
    request.tenant = "t";
    request.agent_id = "host-1";
    request.sources = {{1, 0, 50}};
    PushStream api{labels::LabelSet::Of({{"job", "api"}, {"env", "prod"}}), {}};
    api.entries.push_back({kT0 + 1, "first", {}, 0, 10});              // redelivered
    api.entries.push_back({kT0 - 2 * kHourNs, "ancient", {}, 0, 40});  // too old
    api.entries.push_back({kT0 + 4, "fourth", one, 0, 50});
    request.streams.push_back(std::move(api));
    auto outcome = engine_->PushSync(std::move(request));
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    EXPECT_EQ(outcome->redelivered, 1u);
    EXPECT_EQ(outcome->rejected, 1u);
    EXPECT_EQ(outcome->accepted, 1u);
  }
  {
    PushRequest request;  // a client without sources: one entry repeats a stored one
    request.tenant = "t";
    PushStream db{labels::LabelSet::Of({{"job", "db"}}), {}};
    db.entries.push_back({kT0 + 5, "", {}});
    db.entries.push_back({kT0 + 6, "later", {}});
    request.streams.push_back(std::move(db));
    ASSERT_TRUE(engine_->PushSync(std::move(request)).ok());
  }
  const std::vector<std::string> pushed = DumpHead();
  const std::vector<std::string> expected = {
      "{env=\"prod\", job=\"api\"} 1 first {}",
      "{env=\"prod\", job=\"api\"} 2 second {pod=p;trace=7;}",
      "{env=\"prod\", job=\"api\"} 3 " + std::string("nul\0byte", 8) + " {user=q\"x;}",
      "{env=\"prod\", job=\"api\"} 4 fourth {user=q\"x;}",
      "{job=\"db\"} 5  {}",
      "{job=\"db\"} 6 later {}",
  };
  EXPECT_EQ(pushed, expected);

  ASSERT_TRUE(engine_->Close().ok());  // no flush: the restart replays all three records
  engine_.reset();
  Open();
  EXPECT_EQ(engine_->recovery().records_applied, 3u);
  EXPECT_EQ(engine_->recovery().undecodable_records, 0u);
  EXPECT_EQ(DumpHead(), pushed);
}

}  // namespace
}  // namespace silt::engine
