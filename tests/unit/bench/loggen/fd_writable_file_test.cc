#include "tests/bench/loggen/fd_writable_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "tests/support/temp_dir.h"

namespace silt::loggen {
namespace {

TEST(FdWritableFileTest, AppendsAllBytesAndCountsThem) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  {
    FdWritableFile file(fds[1], "<pipe>");
    ASSERT_TRUE(file.Append("hello ").ok());
    ASSERT_TRUE(file.Append("world\n").ok());
    EXPECT_EQ(file.Size(), 12u);
    EXPECT_TRUE(file.Sync().ok()) << "pipes cannot be synced; that is not an error";
    EXPECT_TRUE(file.Close().ok());
  }
  char buffer[32] = {};
  EXPECT_EQ(::read(fds[0], buffer, sizeof(buffer)), 12);
  EXPECT_EQ(std::string(buffer), "hello world\n");
  // Close() did not close the descriptor it does not own.
  EXPECT_EQ(::write(fds[1], "x", 1), 1);
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(FdWritableFileTest, WriteErrorNamesTheFile) {
  silt::testing::TempDir dir;
  const std::string path = dir.Path("read-only");
  const int fd = ::open(path.c_str(), O_CREAT | O_RDONLY, 0644);
  ASSERT_GE(fd, 0);
  FdWritableFile file(fd, "<stdout>");
  Status status = file.Append("x");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kIOError);
  EXPECT_NE(status.message().find("<stdout>"), std::string_view::npos) << status;
  ::close(fd);
}

}  // namespace
}  // namespace silt::loggen
