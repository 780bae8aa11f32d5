#include "aggregator/api/query_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

namespace silt::api {
namespace {

TEST(QueryPoolTest, RunsTasksOnWorkerThreads) {
  QueryPool pool(3);
  EXPECT_EQ(pool.size(), 3u);
  std::mutex mu;
  std::set<std::thread::id> threads;
  std::atomic<int> done{0};
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(pool.Submit([&] {
      std::lock_guard lock(mu);
      threads.insert(std::this_thread::get_id());
      ++done;
    }));
  }
  pool.Stop();
  EXPECT_EQ(done.load(), 20);
  EXPECT_EQ(threads.count(std::this_thread::get_id()), 0u);
}

TEST(QueryPoolTest, StopRunsEveryQueuedTask) {
  QueryPool pool(1);
  std::atomic<int> done{0};
  std::atomic<bool> release{false};
  ASSERT_TRUE(pool.Submit([&] {
    while (!release.load()) std::this_thread::yield();
    ++done;
  }));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(pool.Submit([&] { ++done; }));
  release = true;
  pool.Stop();
  EXPECT_EQ(done.load(), 6);
  EXPECT_EQ(pool.queued(), 0u);
}

TEST(QueryPoolTest, SubmitAfterStopIsRefused) {
  QueryPool pool(1);
  pool.Stop();
  bool ran = false;
  EXPECT_FALSE(pool.Submit([&] { ran = true; }));
  pool.Stop();  // idempotent
  EXPECT_FALSE(ran);
}

TEST(QueryPoolTest, ZeroThreadsMeansOne) {
  QueryPool pool(0);
  EXPECT_EQ(pool.size(), 1u);
  EXPECT_GE(DefaultQueryWorkers(), 1u);
}

}  // namespace
}  // namespace silt::api
