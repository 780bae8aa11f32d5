// ResidentPages: how many pages of a file are in the page cache (mincore over a read-only
// mapping), for tests of code that drops what it no longer needs from the cache. Thread-safe.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <string>
#include <vector>

namespace silt::testing {

// Pages of `path` in the page cache; a failure to open or map it is a test failure.
inline size_t ResidentPages(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  EXPECT_GE(fd, 0) << path;
  struct stat st {};
  ::fstat(fd, &st);
  const auto size = static_cast<size_t>(st.st_size);
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  EXPECT_NE(map, MAP_FAILED) << path;
  if (map == MAP_FAILED) return 0;
  const auto page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> pages((size + page - 1) / page);
  EXPECT_EQ(::mincore(map, size, pages.data()), 0) << path;
  ::munmap(map, size);
  size_t resident = 0;
  for (unsigned char p : pages) resident += p & 1;
  return resident;
}

}  // namespace silt::testing
