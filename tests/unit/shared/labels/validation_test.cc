#include "shared/labels/validation.h"

#include <gtest/gtest.h>

#include <string>

namespace silt::labels {
namespace {

TEST(ValidationTest, DefaultLimitsAreLokis) {
  ValidationLimits limits;
  EXPECT_EQ(limits.max_name_length, 1024u);
  EXPECT_EQ(limits.max_value_length, 2048u);
  EXPECT_EQ(limits.max_labels, 15u);
  EXPECT_FALSE(limits.allow_reserved);
}

TEST(ValidationTest, LabelNameSyntax) {
  for (std::string_view valid : {"a", "job", "_", "_x", "__name__", "A9_z", "abc123"}) {
    EXPECT_TRUE(IsValidLabelName(valid)) << valid;
  }
  for (std::string_view invalid : {"", "1a", "9", "a-b", "a.b", "a b", "é", "job:x", " a"}) {
    EXPECT_FALSE(IsValidLabelName(invalid)) << invalid;
  }
  EXPECT_FALSE(IsValidLabelName(std::string_view("a\0b", 3)));
}

TEST(ValidationTest, ValidateLabelNameAcceptsPlainNames) {
  EXPECT_TRUE(ValidateLabelName("job", false).ok());
  EXPECT_TRUE(ValidateLabelName("_private", false).ok());  // one underscore is not reserved
}

TEST(ValidationTest, ValidateLabelNameRejectsBadSyntax) {
  Status status = ValidateLabelName("1job", false);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "invalid label name \"1job\": names must match [a-zA-Z_][a-zA-Z0-9_]*");
  EXPECT_EQ(ValidateLabelName("", true).message(),
            "invalid label name \"\": names must match [a-zA-Z_][a-zA-Z0-9_]*");
}

TEST(ValidationTest, ValidateLabelNameRejectsReservedUnlessAllowed) {
  Status status = ValidateLabelName("__tenant__", false);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "label name \"__tenant__\" is reserved: names starting with \"__\" are for Silt's own "
            "use, rename the label");
  EXPECT_TRUE(ValidateLabelName("__tenant__", true).ok());
}

TEST(ValidationTest, AcceptsATypicalStream) {
  LabelSet labels = LabelSet::Of({{"job", "api"}, {"env", "prod"}, {"msg", "日本語 ok"}});
  EXPECT_TRUE(ValidateLabelSet(labels, ValidationLimits()).ok());
}

TEST(ValidationTest, RejectsAStreamWithoutLabels) {
  Status status = ValidateLabelSet(LabelSet(), ValidationLimits());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "stream '{}' has no labels; at least one label pair is required per stream");
}

LabelSet LabelsNamed(int count) {
  LabelSetBuilder builder;
  for (int i = 0; i < count; ++i) builder.Set("l" + std::to_string(10 + i), "v");
  return builder.Build();
}

TEST(ValidationTest, RejectsTooManyLabels) {
  EXPECT_TRUE(ValidateLabelSet(LabelsNamed(15), ValidationLimits()).ok());
  const LabelSet labels = LabelsNamed(16);
  Status status = ValidateLabelSet(labels, ValidationLimits());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "entry for stream '" + labels.ToString() + "' has 16 label names; limit 15");
}

TEST(ValidationTest, RejectsNameTooLong) {
  EXPECT_TRUE(ValidateLabelSet(LabelSet::Of({{std::string(1024, 'n'), "v"}}), {}).ok());
  const std::string name(1025, 'n');
  const LabelSet labels = LabelSet::Of({{name, "v"}, {"job", "api"}});
  Status status = ValidateLabelSet(labels, ValidationLimits());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "stream '" + labels.ToString() + "' has label name too long: '" +
                                  name + "' (1025 bytes, limit 1024)");
}

TEST(ValidationTest, RejectsValueTooLong) {
  EXPECT_TRUE(ValidateLabelSet(LabelSet::Of({{"v", std::string(2048, 'x')}}), {}).ok());
  const std::string value(2049, 'x');
  const LabelSet labels = LabelSet::Of({{"job", "api"}, {"trace", value}});
  Status status = ValidateLabelSet(labels, ValidationLimits());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "stream '" + labels.ToString() + "' has label value too long: '" +
                                  value + "' (2049 bytes, limit 2048) for label 'trace'");
}

TEST(ValidationTest, LengthsAreCountedInBytes) {
  ValidationLimits limits;
  limits.max_value_length = 5;
  EXPECT_TRUE(ValidateLabelSet(LabelSet::Of({{"v", "abcde"}}), limits).ok());
  EXPECT_FALSE(ValidateLabelSet(LabelSet::Of({{"v", "日本"}}), limits).ok());  // 6 bytes
}

TEST(ValidationTest, RejectsInvalidNameSyntax) {
  const LabelSet labels = LabelSet::Of({{"job-name", "x"}});
  Status status = ValidateLabelSet(labels, ValidationLimits());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "stream '{\"job-name\"=\"x\"}' has invalid label name: \"job-name\"; names must match "
            "[a-zA-Z_][a-zA-Z0-9_]*");
}

TEST(ValidationTest, RejectsReservedNamesUnlessAllowed) {
  const LabelSet labels = LabelSet::Of({{"__path__", "/var/log"}, {"job", "x"}});
  Status status = ValidateLabelSet(labels, ValidationLimits());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "stream '{__path__=\"/var/log\", job=\"x\"}' has reserved label name: '__path__'; "
            "names starting with \"__\" are for Silt's own use, rename the label");
  ValidationLimits internal;
  internal.allow_reserved = true;
  EXPECT_TRUE(ValidateLabelSet(labels, internal).ok());
}

TEST(ValidationTest, RejectsValuesThatAreNotUtf8) {
  const LabelSet labels = LabelSet::Of({{"job", "api\xFF"}});
  Status status = ValidateLabelSet(labels, ValidationLimits());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "stream '{job=\"api\xFF\"}' has label value that is not valid UTF-8 "
                              "for label 'job'; send values as UTF-8 text");
  EXPECT_FALSE(ValidateLabelSet(LabelSet::Of({{"job", "\xED\xA0\x80"}}), {}).ok());  // surrogate
  EXPECT_TRUE(ValidateLabelSet(LabelSet::Of({{"job", "é 🙂 \t\n"}}), {}).ok());
}

TEST(ValidationTest, ZeroLimitsMeanUnlimited) {
  ValidationLimits unlimited;
  unlimited.max_name_length = 0;
  unlimited.max_value_length = 0;
  unlimited.max_labels = 0;
  LabelSetBuilder builder;
  for (int i = 0; i < 40; ++i) builder.Set("l" + std::to_string(i), std::string(3000, 'v'));
  builder.Set(std::string(2000, 'n'), "v");
  EXPECT_TRUE(ValidateLabelSet(builder.Build(), unlimited).ok());
}

TEST(ValidationTest, ReportsTheFirstProblemInNameOrder) {
  const LabelSet labels = LabelSet::Of({{"z-bad", "x"}, {"a", std::string(3000, 'v')}});
  Status status = ValidateLabelSet(labels, ValidationLimits());
  EXPECT_NE(status.message().find("label value too long"), std::string_view::npos)
      << status.message();
}

TEST(ValidationTest, CountIsCheckedBeforeIndividualLabels) {
  LabelSetBuilder builder;
  for (int i = 0; i < 16; ++i) builder.Set("bad-" + std::to_string(i), "v");
  Status status = ValidateLabelSet(builder.Build(), ValidationLimits());
  EXPECT_NE(status.message().find("has 16 label names; limit 15"), std::string_view::npos)
      << status.message();
}

}  // namespace
}  // namespace silt::labels
