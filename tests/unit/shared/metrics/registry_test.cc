#include "shared/metrics/registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace silt::metrics {
namespace {

using ::testing::HasSubstr;

TEST(RegistryTest, EmptyRegistryExposesNothing) {
  Registry registry;
  EXPECT_EQ(registry.Expose(), "");
}

TEST(RegistryTest, CounterExposition) {
  Registry registry;
  Result<CounterFamily*> lines =
      registry.RegisterCounterFamily("silt_lines_total", "Lines read.", {"tenant", "source"});
  ASSERT_TRUE(lines.ok()) << lines.status();
  (*lines)->WithLabels({"b", "file"}).Inc(3);
  (*lines)->WithLabels({"a", "syslog"}).Inc();
  EXPECT_EQ(registry.Expose(),
            "# HELP silt_lines_total Lines read.\n"
            "# TYPE silt_lines_total counter\n"
            "silt_lines_total{tenant=\"a\",source=\"syslog\"} 1\n"
            "silt_lines_total{tenant=\"b\",source=\"file\"} 3\n");
}

TEST(RegistryTest, GaugeExposition) {
  Registry registry;
  Result<Gauge*> depth = registry.RegisterGauge("silt_queue_depth", "Batches waiting.");
  ASSERT_TRUE(depth.ok()) << depth.status();
  (*depth)->Set(-1.5);
  EXPECT_EQ(registry.Expose(),
            "# HELP silt_queue_depth Batches waiting.\n"
            "# TYPE silt_queue_depth gauge\n"
            "silt_queue_depth -1.5\n");
}

TEST(RegistryTest, HistogramExposition) {
  Registry registry;
  Result<HistogramFamily*> latency =
      registry.RegisterHistogramFamily("silt_query_seconds", "Query latency.", {"route"}, {0.1, 1});
  ASSERT_TRUE(latency.ok()) << latency.status();
  Histogram& range = (*latency)->WithLabels({"query_range"});
  range.Observe(0.1);
  range.Observe(0.5);
  range.Observe(2);
  EXPECT_EQ(registry.Expose(),
            "# HELP silt_query_seconds Query latency.\n"
            "# TYPE silt_query_seconds histogram\n"
            "silt_query_seconds_bucket{route=\"query_range\",le=\"0.1\"} 1\n"
            "silt_query_seconds_bucket{route=\"query_range\",le=\"1\"} 2\n"
            "silt_query_seconds_bucket{route=\"query_range\",le=\"+Inf\"} 3\n"
            "silt_query_seconds_sum{route=\"query_range\"} 2.6\n"
            "silt_query_seconds_count{route=\"query_range\"} 3\n");
}

TEST(RegistryTest, CallbackIsReadAtScrapeTime) {
  Registry registry;
  double open_files = 3;
  ASSERT_TRUE(registry
                  .RegisterCallback("process_open_fds", "Open file descriptors.",
                                    MetricType::kGauge, [&open_files] { return open_files; })
                  .ok());
  ASSERT_TRUE(registry
                  .RegisterCallback("silt_cpu_seconds_total", "CPU time.", MetricType::kCounter,
                                    [] { return 0.25; })
                  .ok());
  open_files = 7;
  EXPECT_EQ(registry.Expose(),
            "# HELP process_open_fds Open file descriptors.\n"
            "# TYPE process_open_fds gauge\n"
            "process_open_fds 7\n"
            "# HELP silt_cpu_seconds_total CPU time.\n"
            "# TYPE silt_cpu_seconds_total counter\n"
            "silt_cpu_seconds_total 0.25\n");
}

TEST(RegistryTest, FamiliesAreSortedByNameAndChildrenByLabelValues) {
  Registry registry;
  Result<GaugeFamily*> z = registry.RegisterGaugeFamily("z_metric", "z", {"k"});
  Result<Counter*> a = registry.RegisterCounter("a_metric", "a");
  Result<Counter*> colon = registry.RegisterCounter("a:metric", "colon");
  ASSERT_TRUE(z.ok() && a.ok() && colon.ok());
  (*z)->WithLabels({"beta"}).Set(1);
  (*z)->WithLabels({"alpha"}).Set(2);
  (*z)->WithLabels({"Zeta"}).Set(3);
  EXPECT_EQ(registry.Expose(),
            "# HELP a:metric colon\n# TYPE a:metric counter\na:metric 0\n"
            "# HELP a_metric a\n# TYPE a_metric counter\na_metric 0\n"
            "# HELP z_metric z\n# TYPE z_metric gauge\n"
            "z_metric{k=\"Zeta\"} 3\n"
            "z_metric{k=\"alpha\"} 2\n"
            "z_metric{k=\"beta\"} 1\n");
}

TEST(RegistryTest, HelpAndLabelValuesAreEscaped) {
  Registry registry;
  Result<CounterFamily*> c = registry.RegisterCounterFamily(
      "errors_total", "Errors by path\\file.\nSecond line.", {"path"});
  ASSERT_TRUE(c.ok());
  (*c)->WithLabels({"C:\\logs\\\"a\"\nb"}).Inc();
  EXPECT_EQ(registry.Expose(),
            "# HELP errors_total Errors by path\\\\file.\\nSecond line.\n"
            "# TYPE errors_total counter\n"
            "errors_total{path=\"C:\\\\logs\\\\\\\"a\\\"\\nb\"} 1\n");
}

TEST(RegistryTest, LabelledFamilyWithoutChildrenIsOmitted) {
  Registry registry;
  ASSERT_TRUE(registry.RegisterCounterFamily("unused_total", "never touched", {"x"}).ok());
  EXPECT_EQ(registry.Expose(), "");
}

TEST(RegistryTest, WithLabelsReturnsTheSameChildEveryTime) {
  Registry registry;
  Result<CounterFamily*> c = registry.RegisterCounterFamily("c_total", "c", {"a", "b"});
  ASSERT_TRUE(c.ok());
  Counter& first = (*c)->WithLabels({"x", "y"});
  std::vector<std::string> values = {"x", "y"};
  for (int i = 0; i < 100; ++i) (*c)->WithLabels({"other", std::to_string(i)});
  EXPECT_EQ(&first, &(*c)->WithLabels(values));
  EXPECT_NE(&first, &(*c)->WithLabels({"y", "x"}));
}

TEST(RegistryTest, SameNameAndShapeReturnsTheExistingFamily) {
  Registry registry;
  Result<CounterFamily*> first = registry.RegisterCounterFamily("c_total", "first help", {"a"});
  Result<CounterFamily*> second = registry.RegisterCounterFamily("c_total", "other help", {"a"});
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, *second);
  Result<Histogram*> h1 = registry.RegisterHistogram("h", "h", {1, 2});
  Result<Histogram*> h2 = registry.RegisterHistogram("h", "h", {1, 2});
  ASSERT_TRUE(h1.ok() && h2.ok());
  EXPECT_EQ(*h1, *h2);
}

TEST(RegistryTest, SameNameWithAnotherTypeIsAnError) {
  Registry registry;
  ASSERT_TRUE(registry.RegisterCounterFamily("m", "m", {"a"}).ok());
  Result<GaugeFamily*> gauge = registry.RegisterGaugeFamily("m", "m", {"a"});
  ASSERT_FALSE(gauge.ok());
  EXPECT_EQ(gauge.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(gauge.status().message(),
            "metric \"m\" is already registered as a counter with labels (a); cannot register "
            "it again as a gauge with labels (a); pick another name");
}

TEST(RegistryTest, SameNameWithOtherLabelsIsAnError) {
  Registry registry;
  ASSERT_TRUE(registry.RegisterCounterFamily("m", "m", {"a"}).ok());
  Result<CounterFamily*> other = registry.RegisterCounterFamily("m", "m", {"a", "b"});
  ASSERT_FALSE(other.ok());
  EXPECT_THAT(other.status().message(), HasSubstr("as a counter with labels (a, b)"));
}

TEST(RegistryTest, SameHistogramWithOtherBucketsIsAnError) {
  Registry registry;
  ASSERT_TRUE(registry.RegisterHistogram("h", "h", {1, 2}).ok());
  Result<Histogram*> other = registry.RegisterHistogram("h", "h", {1, 2.5});
  ASSERT_FALSE(other.ok());
  EXPECT_THAT(other.status().message(),
              HasSubstr("registered as a histogram with labels () and buckets [1, 2]"));
}

TEST(RegistryTest, InvalidMetricNameIsAnError) {
  Registry registry;
  Result<Counter*> bad = registry.RegisterCounter("silt-lines", "x");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("metric name \"silt-lines\" is invalid"));
  EXPECT_FALSE(registry.RegisterGauge("", "x").ok());
  EXPECT_FALSE(registry.RegisterGauge("0x", "x").ok());
}

TEST(RegistryTest, InvalidLabelNameIsAnError) {
  Registry registry;
  Result<CounterFamily*> bad = registry.RegisterCounterFamily("m", "m", {"ok", "not:ok"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "metric \"m\": label name \"not:ok\" is invalid: use letters, digits and '_', not "
            "starting with a digit");
}

TEST(RegistryTest, ReservedLabelNameIsAnError) {
  Registry registry;
  Result<CounterFamily*> bad = registry.RegisterCounterFamily("m", "m", {"__tenant"});
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("label name \"__tenant\" is reserved"));
}

TEST(RegistryTest, RepeatedLabelNameIsAnError) {
  Registry registry;
  Result<GaugeFamily*> bad = registry.RegisterGaugeFamily("m", "m", {"a", "b", "a"});
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("label name \"a\" is listed twice"));
}

TEST(RegistryTest, HistogramCannotUseTheLeLabel) {
  Registry registry;
  Result<HistogramFamily*> bad = registry.RegisterHistogramFamily("h", "h", {"le"}, {1});
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("reserved for histogram bucket bounds"));
  EXPECT_TRUE(registry.RegisterCounterFamily("c", "c", {"le"}).ok());  // fine elsewhere
}

TEST(RegistryTest, HistogramBoundsMustIncrease) {
  Registry registry;
  Result<Histogram*> bad = registry.RegisterHistogram("h", "h", {1, 2, 2});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "histogram \"h\": bucket bound #3 (2) is not above the previous one; bounds must be "
            "strictly increasing");
  EXPECT_FALSE(registry.RegisterHistogram("h2", "h", {1, std::nan("")}).ok());
  EXPECT_FALSE(registry.RegisterHistogram("h3", "h", {-INFINITY, 1}).ok());
}

TEST(RegistryTest, TrailingInfBoundIsDropped) {
  Registry registry;
  Result<Histogram*> h = registry.RegisterHistogram("h", "h", {1, INFINITY});
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ((*h)->bounds(), std::vector<double>{1});
}

TEST(RegistryTest, NameCollidingWithHistogramSeriesIsAnError) {
  Registry registry;
  ASSERT_TRUE(registry.RegisterHistogram("req_seconds", "h", {1}).ok());
  Result<Counter*> clash = registry.RegisterCounter("req_seconds_count", "c");
  ASSERT_FALSE(clash.ok());
  EXPECT_THAT(clash.status().message(), HasSubstr("collides with \"req_seconds\""));

  ASSERT_TRUE(registry.RegisterGauge("size_bucket", "g").ok());
  EXPECT_FALSE(registry.RegisterHistogram("size", "h", {1}).ok());
}

TEST(RegistryTest, CallbackNameCannotBeReused) {
  Registry registry;
  ASSERT_TRUE(registry.RegisterCallback("g", "g", MetricType::kGauge, [] { return 1.0; }).ok());
  EXPECT_FALSE(registry.RegisterCallback("g", "g", MetricType::kGauge, [] { return 2.0; }).ok());
  EXPECT_FALSE(registry.RegisterGauge("g", "g").ok());
  EXPECT_FALSE(
      registry.RegisterCallback("h", "h", MetricType::kHistogram, [] { return 1.0; }).ok());
  EXPECT_FALSE(registry.RegisterCallback("n", "n", MetricType::kGauge, nullptr).ok());
}

TEST(RegistryTest, ConcurrentUpdatesAndScrapesSumExactly) {
  Registry registry;
  Result<CounterFamily*> family = registry.RegisterCounterFamily("ops_total", "ops", {"worker"});
  ASSERT_TRUE(family.ok());
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50000;
  std::atomic<bool> done{false};
  // Scrapes while the workers run: the shared child's value never goes backwards.
  std::thread scraper([&] {
    const std::string key = "ops_total{worker=\"all\"} ";
    uint64_t last = 0;
    while (!done.load()) {
      std::string text = registry.Expose();
      size_t at = text.find(key);
      if (at == std::string::npos) continue;
      uint64_t value = std::stoull(text.substr(at + key.size()));
      EXPECT_GE(value, last);
      last = value;
    }
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Counter& shared = (*family)->WithLabels({"all"});
      Counter& own = (*family)->WithLabels({"w" + std::to_string(t)});
      for (int i = 0; i < kPerThread; ++i) {
        shared.Inc();
        own.Inc();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  done.store(true);
  scraper.join();
  std::string expected =
      "# HELP ops_total ops\n# TYPE ops_total counter\nops_total{worker=\"all\"} 200000\n";
  for (int t = 0; t < kThreads; ++t) {
    expected += "ops_total{worker=\"w" + std::to_string(t) + "\"} 50000\n";
  }
  EXPECT_EQ(registry.Expose(), expected);
}

}  // namespace
}  // namespace silt::metrics
