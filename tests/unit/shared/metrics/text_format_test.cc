#include "shared/metrics/text_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace silt::metrics {
namespace {

std::string Value(double v) {
  std::string out;
  AppendValue(v, &out);
  return out;
}

std::string Bound(double v) {
  std::string out;
  AppendBucketBound(v, &out);
  return out;
}

TEST(TextFormatTest, MetricNamesFollowThePrometheusGrammar) {
  EXPECT_TRUE(IsValidMetricName("silt_agent_lines_total"));
  EXPECT_TRUE(IsValidMetricName("job:requests:rate5m"));
  EXPECT_TRUE(IsValidMetricName("_x9"));
  EXPECT_FALSE(IsValidMetricName(""));
  EXPECT_FALSE(IsValidMetricName("9lives"));
  EXPECT_FALSE(IsValidMetricName("has-dash"));
  EXPECT_FALSE(IsValidMetricName("has space"));
  EXPECT_FALSE(IsValidMetricName("caf\xc3\xa9"));
}

TEST(TextFormatTest, LabelNamesRejectColonsAndLeadingDigits) {
  EXPECT_TRUE(IsValidLabelName("tenant"));
  EXPECT_TRUE(IsValidLabelName("_a1"));
  EXPECT_TRUE(IsValidLabelName("__name__"));  // syntactically valid, but reserved:
  EXPECT_TRUE(IsReservedLabelName("__name__"));
  EXPECT_FALSE(IsReservedLabelName("_single"));
  EXPECT_FALSE(IsValidLabelName("a:b"));
  EXPECT_FALSE(IsValidLabelName("1a"));
  EXPECT_FALSE(IsValidLabelName(""));
}

TEST(TextFormatTest, HelpEscapesBackslashAndNewlineOnly) {
  std::string out;
  AppendEscapedHelp("a \\ b\nc \"q\"", &out);
  EXPECT_EQ(out, "a \\\\ b\\nc \"q\"");
}

TEST(TextFormatTest, LabelValueEscapesBackslashQuoteAndNewline) {
  std::string out;
  AppendEscapedLabelValue("C:\\logs\n\"x\"\t", &out);
  EXPECT_EQ(out, "C:\\\\logs\\n\\\"x\\\"\t");
}

TEST(TextFormatTest, ValuesUseIntegersWhenExact) {
  EXPECT_EQ(Value(0), "0");
  EXPECT_EQ(Value(-0.0), "0");
  EXPECT_EQ(Value(42), "42");
  EXPECT_EQ(Value(-3), "-3");
  EXPECT_EQ(Value(1e6), "1000000");
  EXPECT_EQ(Value(9007199254740991.0), "9007199254740991");
}

TEST(TextFormatTest, ValuesUseShortestRoundTripDecimal) {
  EXPECT_EQ(Value(0.1), "0.1");
  EXPECT_EQ(Value(2.5), "2.5");
  EXPECT_EQ(Value(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(Value(1.5e-7), "1.5e-07");
  EXPECT_EQ(Value(1e300), "1e+300");
  EXPECT_EQ(std::stod(Value(0.1 + 0.2)), 0.1 + 0.2);
}

TEST(TextFormatTest, NonFiniteValuesUsePrometheusSpelling) {
  EXPECT_EQ(Value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(Value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(Value(std::nan("")), "NaN");
}

TEST(TextFormatTest, BucketBoundsMatchTheGoClient) {
  EXPECT_EQ(Bound(0.005), "0.005");
  EXPECT_EQ(Bound(0.0001), "0.0001");
  EXPECT_EQ(Bound(0.00001), "1e-05");
  EXPECT_EQ(Bound(1), "1");
  EXPECT_EQ(Bound(2.5), "2.5");
  EXPECT_EQ(Bound(10), "10");
  EXPECT_EQ(Bound(123456), "123456");
  EXPECT_EQ(Bound(1e6), "1e+06");
  EXPECT_EQ(Bound(1048576), "1.048576e+06");
  EXPECT_EQ(Bound(-2), "-2");
  EXPECT_EQ(Bound(std::numeric_limits<double>::infinity()), "+Inf");
}

TEST(TextFormatTest, UintPrintsTheFullRange) {
  std::string out;
  AppendUint(18446744073709551615ull, &out);
  EXPECT_EQ(out, "18446744073709551615");
}

}  // namespace
}  // namespace silt::metrics
