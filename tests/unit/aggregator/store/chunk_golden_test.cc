// Pins the bytes of the worked example in docs/formats/chunk.md, so the document and the code
// cannot drift apart. If this fails after an intended format change, bump the version, update
// the document's hex dump from the "actual" output below, and update kGolden.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "aggregator/store/chunk_reader.h"
#include "aggregator/store/chunk_writer.h"
#include "tests/unit/aggregator/store/memory_file.h"

namespace silt::store {
namespace {

// `xxd -p`-style hex of the example chunk, 16 bytes per line.
// clang-format off
constexpr const char* kGolden[] = {
    "4c4f47530200000000002a36fe9c9717",
    "00a0e26644a09717040066616b654745",
    "54202f6865616c746820323030646973",
    "6b2066756c6c000f0080e59a77090108",
    "74726163655f69640361626316000000",
    "0207000001000000b0a06b147ad5558f",
    "0100000044146f70d9db6aff0b000000",
    "7b6a6f623d22617069227d00002a36fe",
    "9c971780b21045fe9c97170200000000",
    "000000010000001e0000000000000032",
    "00000032000000fdc5496729b1fefd00",
    "002a36fe9c971780b21045fe9c971702",
    "000000100000005000000000000000fa",
    "621419d4ea3c021e00000000000000f8",
    "b03c4b9afed838600000000000000077",
    "0000000000000094093f4dddf7034007",
    "0000000000000000002a36fe9c971780",
    "b21045fe9c9717020000000000000001",
    "0000000100000002000000eb49febea8",
    "fdc2754c4f4753",
};
// clang-format on

std::string Hex(const std::string& bytes) {
  std::string out;
  char buffer[4];
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::snprintf(buffer, sizeof(buffer), "%02x", static_cast<unsigned char>(bytes[i]));
    out += buffer;
    if (i % 16 == 15) out += '\n';
  }
  return out;
}

std::string ExampleChunk() {
  testing::MemoryWritableFile file;
  ChunkWriterOptions options;
  options.tenant = "fake";
  options.partition_start = 1'700'000'000'000'000'000;
  options.partition_end = 1'700'003'600'000'000'000;
  options.codec = Codec::kNone;
  auto writer = ChunkWriter::Create(&file, options);
  EXPECT_TRUE(writer.ok()) << writer.status();
  std::vector<labels::LabelView> metadata = {{"trace_id", "abc"}};
  EXPECT_TRUE((*writer)->BeginStream(labels::LabelSet::Of({{"job", "api"}})).ok());
  EXPECT_TRUE((*writer)->Append(1'700'000'000'000'000'000, "GET /health 200").ok());
  EXPECT_TRUE((*writer)->Append(1'700'000'000'250'000'000, "disk full", metadata).ok());
  EXPECT_TRUE((*writer)->EndStream().ok());
  EXPECT_TRUE((*writer)->Finish(7).ok());
  return file.contents();
}

TEST(ChunkGoldenTest, WorkedExampleBytesArePinned) {
  std::string expected;
  for (const char* line : kGolden) expected += std::string(line) + "\n";
  std::string actual = Hex(ExampleChunk());
  if (!actual.empty() && actual.back() != '\n') actual += '\n';
  EXPECT_EQ(actual, expected) << "actual:\n" << actual;
}

TEST(ChunkGoldenTest, WorkedExampleReadsBack) {
  testing::MemoryRandomAccessFile file(ExampleChunk());
  auto reader = ChunkReader::Open(&file);
  ASSERT_TRUE(reader.ok()) << reader.status();
  ASSERT_EQ((*reader)->streams().size(), 1u);
  auto block = (*reader)->ReadBlock(0, 0);
  ASSERT_TRUE(block.ok()) << block.status();
  EXPECT_EQ((*block)->line(1), "disk full");
  auto may = (*reader)->BlockMayContainLiteral(0, 0, "GET /health 200");
  ASSERT_TRUE(may.ok());
  EXPECT_TRUE(*may);
}

}  // namespace
}  // namespace silt::store
