#include "shared/log/fd_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace silt::log {
namespace {

// A temporary file opened with O_APPEND, removed at the end of the test.
class TempFile {
 public:
  TempFile() {
    char path[] = "/tmp/silt_fd_sink_test_XXXXXX";
    fd_ = mkstemp(path);
    path_ = path;
    if (fd_ >= 0) fcntl(fd_, F_SETFL, O_APPEND);
  }
  ~TempFile() {
    if (fd_ >= 0) close(fd_);
    unlink(path_.c_str());
  }
  int fd() const { return fd_; }
  std::string Contents() const {
    std::string text;
    char buffer[65536];
    for (off_t offset = 0;;) {
      ssize_t n = pread(fd_, buffer, sizeof(buffer), offset);
      if (n <= 0) break;
      text.append(buffer, static_cast<size_t>(n));
      offset += n;
    }
    return text;
  }

 private:
  int fd_ = -1;
  std::string path_;
};

TEST(FdSinkTest, WritesLinesVerbatim) {
  TempFile file;
  ASSERT_GE(file.fd(), 0);
  FdSink sink(file.fd());
  sink.Write("first line\n");
  sink.Write("second line\n");
  EXPECT_EQ(file.Contents(), "first line\nsecond line\n");
  EXPECT_EQ(sink.dropped_lines(), 0u);
}

TEST(FdSinkTest, LinesFromManyThreadsNeverInterleave) {
  TempFile file;
  ASSERT_GE(file.fd(), 0);
  FdSink sink(file.fd());
  constexpr int kThreads = 8;
  constexpr int kLines = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&sink, t] {
      // Long lines make torn writes likely if they were possible.
      const std::string body(1000 + t * 37, static_cast<char>('a' + t));
      for (int i = 0; i < kLines; ++i) sink.Write("t=" + std::to_string(t) + " " + body + "\n");
    });
  }
  for (std::thread& thread : threads) thread.join();
  const std::string text = file.Contents();
  size_t start = 0;
  int counts[kThreads] = {};
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    ASSERT_NE(end, std::string::npos);
    const std::string line = text.substr(start, end - start);
    const int t = line[2] - '0';
    ASSERT_GE(t, 0);
    ASSERT_LT(t, kThreads);
    ASSERT_EQ(line, "t=" + std::to_string(t) + " " +
                        std::string(1000 + t * 37, static_cast<char>('a' + t)));
    ++counts[t];
    start = end + 1;
  }
  for (int count : counts) EXPECT_EQ(count, kLines);
}

TEST(FdSinkTest, WriteErrorsAreCountedNotFatal) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  close(fds[1]);  // write end closed: writing to it fails with EBADF
  FdSink sink(fds[1]);
  sink.Write("lost\n");
  sink.Write("lost too\n");
  EXPECT_EQ(sink.dropped_lines(), 2u);
  close(fds[0]);
}

}  // namespace
}  // namespace silt::log
