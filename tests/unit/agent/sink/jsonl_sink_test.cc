#include "agent/sink/jsonl_sink.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "shared/fs/posix_file_system.h"
#include "shared/time/fake_clock.h"
#include "tests/support/syscall_refusal.h"
#include "tests/support/temp_dir.h"

namespace silt::agent {
namespace {

constexpr int64_t kWall = 1'700'000'000'123'000'000;

// For the child processes of EXPECT_EXIT: the first thing that is wrong goes to stderr, exit 1.
void ChildExpects(bool holds, const std::string& what) {
  if (holds) return;
  std::fprintf(stderr, "%s\n", what.c_str());
  std::fflush(stderr);
  std::_Exit(1);
}

SourceChunk Chunk(uint64_t source, std::string path, uint64_t start,
                  const std::vector<std::string>& texts) {
  SourceChunk chunk;
  chunk.source_id = source;
  chunk.path = std::move(path);
  chunk.start_offset = start;
  uint64_t offset = start;
  for (const std::string& text : texts) {
    Line line;
    line.text = text;
    line.start_offset = offset;
    offset += text.size() + 1;
    line.end_offset = offset;
    chunk.lines.push_back(line);
  }
  chunk.end_offset = offset;
  return chunk;
}

Batch BatchOf(std::vector<SourceChunk> chunks) {
  Batch batch;
  for (SourceChunk& chunk : chunks) {
    batch.lines += chunk.lines.size();
    batch.chunks.push_back(std::move(chunk));
  }
  return batch;
}

class JsonlSinkTest : public ::testing::Test {
 protected:
  JsonlSinkTest() : clock_(kWall), store_(&fs_, dir_.Path("positions")) {
    for (uint64_t source : {1, 2}) {
      Position position;
      position.source_id = source;
      position.path = "/var/log/app.log";
      store_.Put(position);
    }
  }

  JsonlSink::LabelLookup Labels() {
    return [this](const std::string& path) {
      ++label_lookups_;
      return path == "/var/log/app.log" ? labels::LabelSet::Of({{"job", "app"}, {"env", "prod"}})
                                        : labels::LabelSet();
    };
  }
  std::string Output() { return *fs_.ReadFileToString(dir_.Path("out.jsonl")); }
  uint64_t Offset(uint64_t source) { return store_.Find(source)->offset; }

  silt::testing::TempDir dir_;
  fs::PosixFileSystem fs_;
  time::FakeClock clock_;
  PositionsStore store_;
  int label_lookups_ = 0;
};

TEST_F(JsonlSinkTest, WritesOneJsonObjectPerEntry) {
  auto sink = JsonlSink::Open(dir_.Path("out.jsonl"), &store_, &clock_, Labels());
  ASSERT_TRUE(sink.ok()) << sink.status();
  (*sink)->Deliver(BatchOf({Chunk(1, "/var/log/app.log", 100, {"hello \"world\"", "x"})}));
  ASSERT_TRUE((*sink)->Close().ok());
  EXPECT_EQ(Output(),
            "{\"timestamp\":\"2023-11-14T22:13:20.123Z\",\"labels\":{\"env\":\"prod\",\"job\":"
            "\"app\"},\"line\":\"hello \\\"world\\\"\",\"path\":\"/var/log/app.log\",\"offset\":"
            "100,\"source\":\"0000000000000001\"}\n"
            "{\"timestamp\":\"2023-11-14T22:13:20.123Z\",\"labels\":{\"env\":\"prod\",\"job\":"
            "\"app\"},\"line\":\"x\",\"path\":\"/var/log/app.log\",\"offset\":114,\"source\":"
            "\"0000000000000001\"}\n");
}

TEST_F(JsonlSinkTest, ChunksWrittenToAFileAreConfirmedOnlyOnceSynced) {
  auto sink = JsonlSink::Open(dir_.Path("out.jsonl"), &store_, &clock_, Labels());
  ASSERT_TRUE(sink.ok());
  (*sink)->Deliver(BatchOf(
      {Chunk(1, "/var/log/app.log", 0, {"a", "b"}), Chunk(2, "/var/log/app.log", 0, {"ccc"})}));
  EXPECT_EQ((*sink)->stats().entries, 3u);
  EXPECT_EQ((*sink)->stats().batches, 1u);
  // Written, but a power loss could still take it: the positions must not count it yet.
  EXPECT_NE(Output(), "");
  EXPECT_EQ(Offset(1), 0u);
  EXPECT_EQ(Offset(2), 0u);
  ASSERT_TRUE((*sink)->Sync().ok());
  EXPECT_EQ(Offset(1), 4u);
  EXPECT_EQ(Offset(2), 4u);
  // Later batches wait for the next Sync; one with nothing new to sync is a no-op.
  (*sink)->Deliver(BatchOf({Chunk(1, "/var/log/app.log", 4, {"d"})}));
  EXPECT_EQ(Offset(1), 4u);
  ASSERT_TRUE((*sink)->Sync().ok());
  EXPECT_EQ(Offset(1), 6u);
  ASSERT_TRUE((*sink)->Sync().ok());
  EXPECT_EQ(Offset(1), 6u);
}

TEST_F(JsonlSinkTest, CloseSyncsAndConfirmsWhatWasWritten) {
  auto sink = JsonlSink::Open(dir_.Path("out.jsonl"), &store_, &clock_, Labels());
  ASSERT_TRUE(sink.ok());
  (*sink)->Deliver(BatchOf({Chunk(1, "/var/log/app.log", 0, {"a", "b"})}));
  EXPECT_EQ(Offset(1), 0u);
  ASSERT_TRUE((*sink)->Close().ok());
  EXPECT_EQ(Offset(1), 4u);
}

TEST_F(JsonlSinkTest, OutputThatCannotBeSyncedIsConfirmedAsSoonAsWritten) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);  // a pipe holds the small batch without a reader
  JsonlSink sink(fds[1], true, "pipe", &store_, &clock_, Labels());
  sink.Deliver(BatchOf({Chunk(1, "/var/log/app.log", 0, {"a", "b"})}));
  EXPECT_TRUE(sink.status().ok()) << sink.status();
  EXPECT_EQ(Offset(1), 4u);
  EXPECT_TRUE(sink.Sync().ok());
  EXPECT_TRUE(sink.Close().ok());
  ::close(fds[0]);
}

TEST_F(JsonlSinkTest, FailedFdatasyncConfirmsNothingAndStopsTheSink) {
  if (const std::string why = silt::testing::SeccompUnavailable(); !why.empty()) {
    GTEST_SKIP() << why;
  }
  const std::string path = dir_.Path("out.jsonl");
  EXPECT_EXIT(
      {
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        ChildExpects(fd >= 0, "cannot open the output");
        JsonlSink sink(fd, true, path, &store_, &clock_, Labels());
        // The kernel refuses fdatasync on the output as a failing disk would.
        const std::string refused =
            silt::testing::RefuseSyscalls({.error = EIO, .fdatasync_fd = fd});
        ChildExpects(refused.empty(), refused);
        sink.Deliver(BatchOf({Chunk(1, "/var/log/app.log", 0, {"a", "b"})}));
        ChildExpects(sink.status().ok(), "the write itself failed");
        const Status synced = sink.Sync();
        ChildExpects(!synced.ok(), "Sync succeeded although fdatasync was refused");
        ChildExpects(synced.message().find("fdatasync jsonl output " + path) != std::string::npos,
                     "the error does not name the call and the output: " + synced.ToString());
        ChildExpects(!sink.status().ok(), "the sink goes on after a failed fdatasync");
        ChildExpects(Offset(1) == 0, "lines that may not be durable were confirmed");
        sink.Deliver(BatchOf({Chunk(2, "/var/log/app.log", 0, {"c"})}));
        ChildExpects(!sink.Close().ok() && Offset(2) == 0, "the stopped sink confirmed more");
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST_F(JsonlSinkTest, ChunkOfSkippedBytesOnlyIsConfirmedWithoutOutput) {
  auto sink = JsonlSink::Open(dir_.Path("out.jsonl"), &store_, &clock_, Labels());
  ASSERT_TRUE(sink.ok());
  SourceChunk skipped;
  skipped.source_id = 1;
  skipped.path = "/var/log/app.log";
  skipped.end_offset = 5000;
  (*sink)->Deliver(BatchOf({skipped}));
  ASSERT_TRUE((*sink)->Sync().ok());
  EXPECT_EQ(Offset(1), 5000u);
  EXPECT_EQ(Output(), "");
}

TEST_F(JsonlSinkTest, LabelsAreLookedUpOncePerPath) {
  auto sink = JsonlSink::Open(dir_.Path("out.jsonl"), &store_, &clock_, Labels());
  ASSERT_TRUE(sink.ok());
  for (int i = 0; i < 3; ++i) (*sink)->Deliver(BatchOf({Chunk(1, "/var/log/app.log", 0, {"a"})}));
  EXPECT_EQ(label_lookups_, 1);
}

TEST_F(JsonlSinkTest, PathWithoutLabelsGetsAnEmptyObject) {
  auto sink = JsonlSink::Open(dir_.Path("out.jsonl"), &store_, &clock_, Labels());
  ASSERT_TRUE(sink.ok());
  (*sink)->Deliver(BatchOf({Chunk(1, "/other", 0, {"a"})}));
  EXPECT_NE(Output().find("\"labels\":{},"), std::string::npos) << Output();
}

TEST_F(JsonlSinkTest, InvalidUtf8AndNulInLinesAndPathsAreEscaped) {
  auto sink = JsonlSink::Open(dir_.Path("out.jsonl"), &store_, &clock_, Labels());
  ASSERT_TRUE(sink.ok());
  (*sink)->Deliver(BatchOf({Chunk(1, "/l/\xff.log", 0, {std::string("a\0\xfe", 3)})}));
  EXPECT_NE(Output().find(R"("line":"a\u0000\ufffd","path":"/l/\ufffd.log")"), std::string::npos)
      << Output();
}

TEST_F(JsonlSinkTest, AppendsToAnExistingFile) {
  ASSERT_TRUE(fs_.WriteFileAtomically(dir_.Path("out.jsonl"), "earlier\n").ok());
  auto sink = JsonlSink::Open(dir_.Path("out.jsonl"), &store_, &clock_, Labels());
  ASSERT_TRUE(sink.ok());
  (*sink)->Deliver(BatchOf({Chunk(1, "/var/log/app.log", 0, {"a"})}));
  EXPECT_EQ(Output().rfind("earlier\n{", 0), 0u);
}

TEST_F(JsonlSinkTest, TornLastLineIsEndedBeforeNewEntries) {
  ASSERT_TRUE(fs_.WriteFileAtomically(dir_.Path("out.jsonl"), "{\"timestamp\":\"20").ok());
  auto sink = JsonlSink::Open(dir_.Path("out.jsonl"), &store_, &clock_, Labels());
  ASSERT_TRUE(sink.ok());
  (*sink)->Deliver(BatchOf({Chunk(1, "/var/log/app.log", 0, {"a"})}));
  EXPECT_EQ(Output().rfind("{\"timestamp\":\"20\n{\"timestamp\"", 0), 0u) << Output();
}

TEST_F(JsonlSinkTest, OpenFailureNamesThePath) {
  auto sink = JsonlSink::Open(dir_.Path("missing/out.jsonl"), &store_, &clock_, Labels());
  ASSERT_FALSE(sink.ok());
  EXPECT_EQ(sink.status().code(), StatusCode::kNotFound);
  EXPECT_NE(sink.status().message().find(dir_.Path("missing/out.jsonl")), std::string::npos);
}

TEST_F(JsonlSinkTest, FailedWriteConfirmsNothingAndStopsTheSink) {
  auto sink = JsonlSink::Open("/dev/full", &store_, &clock_, Labels());
  ASSERT_TRUE(sink.ok()) << sink.status();
  (*sink)->Deliver(BatchOf({Chunk(1, "/var/log/app.log", 0, {"a"})}));
  EXPECT_FALSE((*sink)->status().ok());
  EXPECT_NE((*sink)->status().message().find("/dev/full"), std::string::npos);
  EXPECT_EQ(Offset(1), 0u);
  EXPECT_EQ((*sink)->stats().write_errors, 1u);
  (*sink)->Deliver(BatchOf({Chunk(2, "/var/log/app.log", 0, {"b"})}));
  EXPECT_EQ(Offset(2), 0u);
  EXPECT_EQ((*sink)->stats().write_errors, 1u);
}

TEST_F(JsonlSinkTest, ShortWriteConfirmsTheEntriesWrittenWhole) {
  // A pipe whose reader takes exactly the first line, then goes away.
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ::signal(SIGPIPE, SIG_IGN);
  ASSERT_EQ(::fcntl(fds[1], F_SETPIPE_SZ, 4096), 4096);
  JsonlSink sink(fds[1], true, "pipe", &store_, &clock_, Labels());
  std::vector<std::string> lines(40, std::string(150, 'x'));  // ~200 bytes of JSON each
  const pid_t reader = ::fork();
  if (reader == 0) {
    ::close(fds[1]);
    char buffer[1];
    size_t total = 0;
    while (total < 4096 + 200 && ::read(fds[0], buffer, 1) == 1) ++total;
    ::_exit(0);
  }
  ::close(fds[0]);
  sink.Deliver(BatchOf({Chunk(1, "/var/log/app.log", 0, lines)}));
  EXPECT_FALSE(sink.status().ok());
  const uint64_t confirmed = Offset(1);
  EXPECT_GT(confirmed, 0u);
  EXPECT_LT(confirmed, 40u * 151u);
  EXPECT_EQ(confirmed % 151u, 0u);  // a whole number of lines
  ::waitpid(reader, nullptr, 0);
}

}  // namespace
}  // namespace silt::agent
