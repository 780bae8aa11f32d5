#include "shared/log/memory_sink.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace silt::log {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(MemorySinkTest, KeepsLinesInOrderWithoutNewlines) {
  MemorySink sink;
  sink.Write("one\n");
  sink.Write("two\n");
  EXPECT_THAT(sink.Lines(), ElementsAre("one", "two"));
  EXPECT_EQ(sink.Text(), "one\ntwo\n");
}

TEST(MemorySinkTest, ClearForgetsEverything) {
  MemorySink sink;
  sink.Write("one\n");
  sink.Clear();
  EXPECT_THAT(sink.Lines(), IsEmpty());
  EXPECT_EQ(sink.Text(), "");
}

TEST(MemorySinkTest, ConcurrentWritesAreAllKept) {
  MemorySink sink;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&sink] {
      for (int i = 0; i < 1000; ++i) sink.Write("line\n");
    });
  }
  for (std::thread& thread : threads) thread.join();
  const std::vector<std::string> lines = sink.Lines();
  EXPECT_EQ(lines.size(), 4000u);
  for (const std::string& line : lines) ASSERT_EQ(line, "line");
}

}  // namespace
}  // namespace silt::log
