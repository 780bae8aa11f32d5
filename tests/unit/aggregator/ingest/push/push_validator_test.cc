#include "aggregator/ingest/push/push_validator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aggregator/ingest/push/loki_json_decoder.h"

namespace silt::ingest {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kNow = 1'765'000'000'000'000'000;
constexpr int64_t kSecond = 1'000'000'000;

std::string Body(const std::string& labels, const std::vector<std::pair<int64_t, std::string>>& v) {
  std::string body = R"({"streams":[{"stream":)" + labels + R"(,"values":[)";
  for (size_t i = 0; i < v.size(); ++i) {
    body += std::string(i ? "," : "") + "[\"" + std::to_string(v[i].first) + "\",\"" + v[i].second +
            "\"]";
  }
  return body + "]}]}";
}

struct Validated {
  DecodedPush decoded;
  engine::PushRequest request;
  size_t bytes = 0;
};

Validated Validate(const std::string& body, const PushLimits& limits = {}) {
  Validated v;
  v.decoded = DecodeLokiPushJson(body);
  v.bytes = ValidatePush(limits, kNow, &v.decoded, &v.request);
  return v;
}

TEST(PushValidatorTest, ValidEntriesPassWithTheirBytes) {
  Validated v = Validate(Body(R"({"job":"a"})", {{kNow, "one"}, {kNow - kSecond, "two"}}));
  EXPECT_TRUE(v.decoded.rejections.empty());
  ASSERT_EQ(v.request.streams.size(), 1u);
  EXPECT_EQ(v.request.streams[0].entries.size(), 2u);
  EXPECT_EQ(v.bytes, 6u);
}

TEST(PushValidatorTest, LineTooLongUsesLokisMessage) {
  PushLimits limits;
  limits.max_line_size = 4;
  Validated v = Validate(Body(R"({"job":"a"})", {{kNow, "12345"}, {kNow, "1234"}}), limits);
  EXPECT_EQ(v.request.EntryCount(), 1u);
  EXPECT_EQ(v.decoded.rejections.messages()[0],
            "Max entry size '4' bytes exceeded for stream '{job=\"a\"}' while adding an entry "
            "with length '5' bytes");
  EXPECT_EQ(v.decoded.rejections.by_reason()[0].reason, kReasonLineTooLong);
  EXPECT_EQ(v.decoded.rejections.by_reason()[0].bytes, 5u);
}

TEST(PushValidatorTest, TooOldAndTooNewUseLokisMessages) {
  const int64_t week = 7 * 24 * 3600 * kSecond;
  Validated v = Validate(Body(R"({"job":"a"})", {{kNow - week - 1, "old"},
                                                 {kNow + 11 * 60 * kSecond, "new"},
                                                 {kNow + 9 * 60 * kSecond, "ok"}}));
  EXPECT_EQ(v.request.EntryCount(), 1u);
  const auto& m = v.decoded.rejections.messages();
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0],
            "entry for stream '{job=\"a\"}' has timestamp too old: 2025-11-29T05:46:39.999999999Z, "
            "oldest acceptable timestamp is: 2025-11-29T05:46:40Z");
  EXPECT_EQ(m[1], "entry for stream '{job=\"a\"}' has timestamp too new: 2025-12-06T05:57:40Z");
  EXPECT_EQ(v.decoded.rejections.by_reason()[0].reason, kReasonTooOld);
  EXPECT_EQ(v.decoded.rejections.by_reason()[1].reason, kReasonTooNew);
}

TEST(PushValidatorTest, ZeroMaxAgeAcceptsOldEntries) {
  PushLimits limits;
  limits.reject_old_samples_max_age_ns = 0;
  Validated v = Validate(Body(R"({"job":"a"})", {{1, "1970"}}), limits);
  EXPECT_TRUE(v.decoded.rejections.empty());
  EXPECT_EQ(v.request.EntryCount(), 1u);
}

TEST(PushValidatorTest, LabelProblemsRefuseTheStreamWithLokisReason) {
  struct Case {
    std::string labels;
    std::string_view reason;
    std::string message;
  };
  std::string many = "{";
  for (int i = 0; i < 16; ++i)
    many += std::string(i ? "," : "") + "\"l" + std::to_string(i) + "\":\"v\"";
  many += "}";
  for (const Case& c : std::vector<Case>{
           {"{}", kReasonMissingLabels, "error at least one label pair is required per stream"},
           {R"({"job":""})", kReasonMissingLabels, "at least one label pair"},
           {R"({"bad-name":"x"})", kReasonInvalidLabels, "invalid label name"},
           {R"({"__name__":"x"})", kReasonInvalidLabels, "reserved label name"},
           {many, kReasonTooManyLabels, "has 16 label names; limit 15"},
           {"{\"" + std::string(1025, 'n') + "\":\"x\"}", kReasonLabelNameTooLong,
            "has label name too long"},
           {"{\"job\":\"" + std::string(2049, 'v') + "\"}", kReasonLabelValueTooLong,
            "has label value too long"},
       }) {
    Validated v = Validate(Body(c.labels, {{kNow, "a"}, {kNow, "b"}}));
    EXPECT_EQ(v.request.EntryCount(), 0u) << c.labels;
    ASSERT_EQ(v.decoded.rejections.by_reason().size(), 1u) << c.labels;
    EXPECT_EQ(v.decoded.rejections.by_reason()[0].reason, c.reason) << c.labels;
    EXPECT_EQ(v.decoded.rejections.entries(), 2u) << c.labels;
    EXPECT_THAT(v.decoded.rejections.messages()[0], HasSubstr(c.message)) << c.labels;
  }
}

TEST(PushValidatorTest, InvalidMetadataNameRefusesTheEntry) {
  Validated v = Validate(R"({"streams":[{"stream":{"job":"a"},"values":[
      ["1765000000000000000","bad",{"bad-name":"x"}],["1765000000000000000","ok",{"good":"x"}]]}]})");
  EXPECT_EQ(v.request.EntryCount(), 1u);
  EXPECT_EQ(v.decoded.rejections.by_reason()[0].reason, kReasonInvalidMetadata);
  EXPECT_EQ(v.request.streams[0].entries[0].metadata.size(), 1u);
}

TEST(PushValidatorTest, SummaryCountsEveryEntry) {
  PushLimits limits;
  limits.max_line_size = 1;
  Validated v =
      Validate(Body(R"({"job":"a"})", {{kNow, "long"}, {kNow, "x"}, {kNow, "yy"}}), limits);
  EXPECT_THAT(v.decoded.rejections.Summary(v.decoded.total_entries),
              HasSubstr("\n2 of 3 entries rejected"));
}

TEST(PushValidatorTest, NegativeLimitsAreRefused) {
  PushLimits limits;
  limits.creation_grace_period_ns = -1;
  EXPECT_THAT(ValidatePushLimits(limits).message(), HasSubstr("limits.creation_grace_period"));
  limits = PushLimits{};
  limits.reject_old_samples_max_age_ns = -1;
  EXPECT_FALSE(ValidatePushLimits(limits).ok());
  EXPECT_TRUE(ValidatePushLimits(PushLimits{}).ok());
}

}  // namespace
}  // namespace silt::ingest
