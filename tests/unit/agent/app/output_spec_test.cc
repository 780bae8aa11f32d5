#include "agent/app/output_spec.h"

#include <gtest/gtest.h>

namespace silt::agent {
namespace {

TEST(OutputSpecTest, JsonlFile) {
  Result<OutputSpec> spec = ParseOutputSpec("jsonl:/tmp/out.jsonl");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->kind, OutputSpec::Kind::kJsonl);
  EXPECT_EQ(spec->path, "/tmp/out.jsonl");
}

TEST(OutputSpecTest, JsonlStdout) {
  Result<OutputSpec> spec = ParseOutputSpec("jsonl:-");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->path, "-");
}

TEST(OutputSpecTest, Null) {
  Result<OutputSpec> spec = ParseOutputSpec("null");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->kind, OutputSpec::Kind::kNull);
}

TEST(OutputSpecTest, Aggregator) {
  Result<OutputSpec> spec = ParseOutputSpec("aggregator");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->kind, OutputSpec::Kind::kAggregator);
}

TEST(OutputSpecTest, OtherFormsAreRejectedListingTheAcceptedOnes) {
  for (const char* text : {"", "jsonl", "jsonl:", "json:/x", "loki:http://x"}) {
    Result<OutputSpec> spec = ParseOutputSpec(text);
    ASSERT_FALSE(spec.ok()) << text;
    EXPECT_NE(spec.status().message().find("use aggregator, jsonl:PATH, jsonl:- (stdout) or null"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace silt::agent
