// The real silt-agent shipping over plain TCP to an in-test aggregator (net::StreamListener on
// its own loop thread, protocol/ frames): it welcomes, acks every batch, and drops the connection
// once in the middle of the stream without acking the batch it just received. Every line written
// must arrive (repeats allowed only for the unacked batch, under the same (source, offset)), the
// agent's Hello must carry its persisted id, and the positions file must never count a byte the
// aggregator has not acked.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <uv.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "protocol/frame_decoder.h"
#include "protocol/messages.h"
#include "shared/log/logger.h"
#include "shared/net/stream_listener.h"
#include "tests/integration/agent/agent_harness.h"
#include "tests/support/temp_dir.h"

extern char** environ;

namespace silt::agent::testing {
namespace {

// What the in-test aggregator has seen; shared between its loop thread and the test.
struct Seen {
  std::mutex mu;
  std::vector<std::string> hellos;  // agent ids
  std::set<std::pair<uint64_t, uint64_t>> entries;  // (source, end_offset)
  std::set<std::string> lines;
  std::map<uint64_t, uint64_t> acked_end;  // source -> highest end offset acked
  int batches = 0;
  int connections = 0;
  bool dropped = false;
};

class Connection final : public net::StreamHandler {
 public:
  Connection(std::unique_ptr<net::ByteStream> stream, Seen* seen, int drop_at)
      : stream_(std::move(stream)), seen_(seen), drop_at_(drop_at) {
    stream_->SetHandler(this);
  }
  void Close() {
    if (stream_ != nullptr) stream_->Close();
  }
  void OnData(std::string_view bytes) override {
    decoder_.Feed(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()),
                                           bytes.size()));
    while (stream_ != nullptr && !stream_->closed()) {
      Result<std::optional<protocol::Frame>> next = decoder_.Next();
      if (!next.ok() || !next->has_value()) return;
      Handle(**next);
    }
  }
  void OnClosed(const Status&) override { stream_.reset(); }

 private:
  void Handle(const protocol::Frame& frame) {
    std::vector<uint8_t> out;
    if (const auto* hello = frame.AsHello(); hello != nullptr) {
      std::lock_guard lock(seen_->mu);
      seen_->hellos.push_back(protocol::ReadHello(*hello).agent_id);
      protocol::WelcomeMessage welcome;
      welcome.max_inflight_batches = 4;
      EXPECT_TRUE(protocol::EncodeWelcome(welcome, &out).ok());
    } else if (const auto* batch = frame.AsBatch(); batch != nullptr) {
      std::lock_guard lock(seen_->mu);
      for (const auto* stream : *batch->streams()) {
        for (const auto* entry : *stream->entries()) {
          const uint64_t source = batch->sources()->Get(entry->source())->source_id();
          seen_->entries.insert({source, entry->end_offset()});
          seen_->lines.emplace(reinterpret_cast<const char*>(entry->line()->data()),
                               entry->line()->size());
        }
      }
      if (++seen_->batches == drop_at_ && !seen_->dropped) {
        seen_->dropped = true;
        stream_->Close();  // no Ack for this one
        return;
      }
      for (const auto* range : *batch->sources()) {
        uint64_t& end = seen_->acked_end[range->source_id()];
        end = std::max<uint64_t>(end, range->end_offset());
      }
      EXPECT_TRUE(protocol::EncodeAck(batch->batch_id(), &out).ok());
    }
    if (!out.empty()) stream_->Write(std::string(out.begin(), out.end()));
  }

  std::unique_ptr<net::ByteStream> stream_;
  protocol::FrameDecoder decoder_;
  Seen* seen_;
  int drop_at_;
};

// A plain-TCP aggregator on 127.0.0.1, port 0, on its own loop thread.
class TestAggregator {
 public:
  explicit TestAggregator(int drop_at) : drop_at_(drop_at) {
    uv_loop_init(&loop_);
    uv_async_init(&loop_, &stop_, [](uv_async_t* async) {
      static_cast<TestAggregator*>(async->data)->StopOnLoop();
    });
    stop_.data = this;
    net::ListenOptions options;
    Result<std::unique_ptr<net::StreamListener>> listener = net::StreamListener::Start(
        &loop_, options,
        [this](std::unique_ptr<net::ByteStream> stream) {
          {
            std::lock_guard lock(seen.mu);
            ++seen.connections;
          }
          connections_.push_back(std::make_unique<Connection>(std::move(stream), &seen, drop_at_));
        },
        &logger_);
    EXPECT_TRUE(listener.ok()) << listener.status();
    if (listener.ok()) {
      listener_ = std::move(*listener);
      port_ = listener_->port();
    }
    thread_ = std::thread([this] { uv_run(&loop_, UV_RUN_DEFAULT); });
  }
  ~TestAggregator() {
    uv_async_send(&stop_);
    thread_.join();
    connections_.clear();
    uv_run(&loop_, UV_RUN_DEFAULT);
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }
  int port() const { return port_; }

  Seen seen;

 private:
  void StopOnLoop() {
    for (auto& connection : connections_) connection->Close();
    if (listener_ != nullptr) listener_->Close([] {});
    uv_close(reinterpret_cast<uv_handle_t*>(&stop_), nullptr);
  }

  int drop_at_;
  uv_loop_t loop_;
  uv_async_t stop_;
  log::Logger logger_{log::LoggerOptions{}};
  std::unique_ptr<net::StreamListener> listener_;
  std::vector<std::unique_ptr<Connection>> connections_;
  int port_ = 0;
  std::thread thread_;
};

// The saved offset of every source in the positions file (empty when it does not exist yet).
std::map<uint64_t, uint64_t> SavedOffsets(const std::string& path) {
  std::map<uint64_t, uint64_t> offsets;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::vector<std::string> f;
    for (std::string field; fields >> field;) f.push_back(field);
    if (f.size() < 9 || f[0].size() != 16) continue;
    offsets[std::stoull(f[0], nullptr, 16)] = std::stoull(f[5]);
  }
  return offsets;
}

pid_t StartAgent(const std::string& config, const std::string& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  std::vector<std::string> argv = {SILT_AGENT_BINARY, "--config", config};
  std::vector<char*> args;
  for (std::string& arg : argv) args.push_back(arg.data());
  args.push_back(nullptr);
  pid_t pid = -1;
  EXPECT_EQ(posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

int StopAgent(pid_t pid) {
  ::kill(pid, SIGTERM);
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(ShipperIntegrationTest, EveryLineArrivesAcrossADroppedConnection) {
  silt::testing::TempDir dir;
  TestAggregator aggregator(/*drop_at=*/4);
  ASSERT_GT(aggregator.port(), 0);
  ASSERT_TRUE(std::filesystem::create_directory(dir.Path("logs")));
  const std::string log_file = dir.Path("logs/app.log");
  const std::string positions = dir.Path("state/positions");
  WriteText(dir.Path("agent.yaml"),
           "positions:\n  file: " + positions + "\n  save_interval: 50ms\n"
           "batch:\n  linger: 10ms\n  max_bytes: 4KiB\n"
           "watches:\n  - paths: [" + dir.Path("logs/*.log") + "]\n    labels: {job: ship}\n"
           "aggregator:\n  address: 127.0.0.1:" + std::to_string(aggregator.port()) + "\n"
           "  tls: {enabled: false}\n  batch_max_bytes: 4KiB\n  linger: 10ms\n"
           "  backoff_min: 20ms\n  backoff_max: 200ms\n");
  const pid_t agent = StartAgent(dir.Path("agent.yaml"), dir.Path("agent.log"));
  ASSERT_GT(agent, 0);
  std::set<std::string> expected;
  std::string text;
  for (int i = 0; i < 3000; ++i) {
    const std::string line = "line " + std::to_string(i) + " " + std::string(40, 'a' + i % 26);
    expected.insert(line);
    text += line + "\n";
    if (i % 100 == 99) {
      AppendToFile(log_file, text);
      text.clear();
    }
  }
  bool positions_ok = true;
  const bool all = WaitFor(
      [&] {
        // Read the saved positions first: acks only grow, so saved <= acked must hold.
        const std::map<uint64_t, uint64_t> saved = SavedOffsets(positions);
        std::lock_guard lock(aggregator.seen.mu);
        for (const auto& [source, offset] : saved) {
          const auto acked = aggregator.seen.acked_end.find(source);
          const uint64_t limit = acked == aggregator.seen.acked_end.end() ? 0 : acked->second;
          if (offset > limit) positions_ok = false;
        }
        return aggregator.seen.lines == expected;
      },
      30000);
  EXPECT_EQ(StopAgent(agent), 0) << ReadText(dir.Path("agent.log"));
  std::lock_guard lock(aggregator.seen.mu);
  EXPECT_TRUE(all) << aggregator.seen.lines.size() << " of " << expected.size() << " lines\n"
                   << ReadText(dir.Path("agent.log"));
  EXPECT_TRUE(positions_ok) << "a saved position passed the acked bytes";
  EXPECT_TRUE(aggregator.seen.dropped);
  EXPECT_GE(aggregator.seen.connections, 2);
  EXPECT_EQ(aggregator.seen.entries.size(), expected.size()) << "one (source, offset) per line";
  ASSERT_GE(aggregator.seen.hellos.size(), 2u);
  EXPECT_EQ(aggregator.seen.hellos[0], aggregator.seen.hellos[1]) << "the agent id is stable";
  EXPECT_EQ(ReadText(dir.Path("state/agent-id")), aggregator.seen.hellos[0] + "\n");
  const std::map<uint64_t, uint64_t> saved = SavedOffsets(positions);
  ASSERT_EQ(saved.size(), 1u);
  EXPECT_EQ(saved.begin()->second, ReadText(log_file).size()) << "everything acked is saved";
}

}  // namespace
}  // namespace silt::agent::testing
