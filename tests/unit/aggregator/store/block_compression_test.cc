#include "aggregator/store/block_compression.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace silt::store {
namespace {

std::string SampleBlock() {
  std::mt19937_64 rng(5);
  std::string data;
  while (data.size() < 100000) {
    data += "level=info path=/api/v" + std::to_string(rng() % 3) +
            " id=" + std::to_string(rng() % 100000) + "\n";
  }
  return data;
}

class BlockCompressionTest : public ::testing::TestWithParam<Codec> {};

TEST_P(BlockCompressionTest, RoundTrips) {
  std::string input = SampleBlock();
  BlockCompressor compressor(GetParam(), 3);
  std::string compressed, output;
  ASSERT_TRUE(compressor.Compress(input, &compressed).ok());
  EXPECT_LE(compressed.size(), MaxCompressedSize(GetParam(), input.size()));
  if (GetParam() != Codec::kNone) {
    EXPECT_LT(compressed.size(), input.size() / 2);
  }
  ASSERT_TRUE(DecompressBlock(GetParam(), compressed, input.size(), &output).ok());
  EXPECT_EQ(output, input);
}

TEST_P(BlockCompressionTest, IsDeterministic) {
  std::string input = SampleBlock();
  BlockCompressor a(GetParam(), 3), b(GetParam(), 3);
  std::string first, second, again;
  ASSERT_TRUE(a.Compress(input, &first).ok());
  ASSERT_TRUE(b.Compress(input, &second).ok());
  ASSERT_TRUE(a.Compress(input, &again).ok());
  EXPECT_EQ(first, second);
  EXPECT_EQ(first, again);
}

TEST_P(BlockCompressionTest, WrongSizeIsCorruption) {
  std::string input = SampleBlock();
  BlockCompressor compressor(GetParam(), 3);
  std::string compressed, output;
  ASSERT_TRUE(compressor.Compress(input, &compressed).ok());
  EXPECT_EQ(DecompressBlock(GetParam(), compressed, input.size() - 1, &output).code(),
            StatusCode::kCorruption);
  EXPECT_EQ(DecompressBlock(GetParam(), compressed, input.size() + 1, &output).code(),
            StatusCode::kCorruption);
}

TEST_P(BlockCompressionTest, GarbageIsCorruptionNotACrash) {
  std::mt19937_64 rng(9);
  for (int i = 0; i < 200; ++i) {
    std::string garbage(rng() % 300, '\0');
    for (char& c : garbage) c = static_cast<char>(rng());
    std::string output;
    Status status = DecompressBlock(GetParam(), garbage, 1000, &output);
    EXPECT_EQ(status.code(), StatusCode::kCorruption);
  }
}

INSTANTIATE_TEST_SUITE_P(Codecs, BlockCompressionTest,
                         ::testing::Values(Codec::kNone, Codec::kLz4, Codec::kZstd),
                         [](const auto& info) { return std::string(CodecName(info.param)); });

TEST(BlockCompressionLevelTest, ZstdLevelsAreChecked) {
  EXPECT_TRUE(ValidateCompressionLevel(Codec::kZstd, 19).ok());
  EXPECT_TRUE(ValidateCompressionLevel(Codec::kZstd, -5).ok());
  EXPECT_EQ(ValidateCompressionLevel(Codec::kZstd, 23).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(ValidateCompressionLevel(Codec::kLz4, 99).ok());
}

}  // namespace
}  // namespace silt::store
