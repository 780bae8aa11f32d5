#include "aggregator/index/index_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <random>

#include "aggregator/index/index_format.h"
#include "aggregator/store/binary_coding.h"
#include "aggregator/store/chunk_reader.h"
#include "aggregator/store/chunk_writer.h"
#include "shared/fs/posix_file_system.h"
#include "shared/hash/xxh3.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/aggregator/index/index_test_util.h"
#include "tests/unit/aggregator/store/memory_file.h"

namespace silt::index {
namespace {

using labels::LabelSet;
using ::testing::HasSubstr;
using testing::kStart;
using testing::StreamSpec;
using testing::Times;

constexpr int64_t kSecond = 1'000'000'000;

// `xxd -p`-style hex of the worked example in docs/formats/index.md, 16 bytes per line. If this
// fails after an intended format change, bump the version, update the document's hex dump from
// the "actual" output, and update kGolden.
// clang-format off
constexpr const char* kGolden[] = {
    "534944580100040000002a36fe9c9717",
    "00a0e26644a0971766616b6501000000",
    "1b006368756e6b2d3030303030303030",
    "30303030303030372e73696c74270100",
    "0000000000ccf978a0b46bb4bb070000",
    "000000000000002a36fe9c971780b210",
    "45fe9c97170200000000000000010000",
    "0001000000010000001b006368756e6b",
    "2d303030303030303030303030303030",
    "392e73696c74c8000000000000000a00",
    "62616420666f6f7465720144146f70d9",
    "db6aff0b7b6a6f623d22617069227d01",
    "00000100002a36fe9c971780b21045fe",
    "9c971702323201036a6f620103617069",
    "01001c0000000000000095afc550f1de",
    "40718e000000000000007c70af0a916b",
    "a1bf2c000000000000006249b65502ef",
    "ec340c0000000000000084305a34204b",
    "817d0100000001000000010000000100",
    "00001faadc1d113f118f53494458",
};
// clang-format on

std::string Hex(std::string_view bytes) {
  std::string out;
  char buffer[4];
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::snprintf(buffer, sizeof(buffer), "%02x", static_cast<unsigned char>(bytes[i]));
    out += buffer;
    if (i % 16 == 15) out += '\n';
  }
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

// The worked example of docs/formats/chunk.md without its bloom filter, read back.
struct ExampleChunk {
  std::unique_ptr<store::testing::MemoryRandomAccessFile> file;
  std::unique_ptr<store::ChunkReader> reader;
};

std::unique_ptr<ExampleChunk> OpenExampleChunk() {
  store::testing::MemoryWritableFile out;
  store::ChunkWriterOptions options;
  options.tenant = "fake";
  options.partition_start = 1'700'000'000'000'000'000;
  options.partition_end = 1'700'003'600'000'000'000;
  options.codec = store::Codec::kNone;
  options.build_blooms = false;  // so the example does not change with the bloom format
  auto writer = store::ChunkWriter::Create(&out, options);
  EXPECT_TRUE(writer.ok()) << writer.status();
  std::vector<labels::LabelView> metadata = {{"trace_id", "abc"}};
  EXPECT_TRUE((*writer)->BeginStream(LabelSet::Of({{"job", "api"}})).ok());
  EXPECT_TRUE((*writer)->Append(1'700'000'000'000'000'000, "GET /health 200").ok());
  EXPECT_TRUE((*writer)->Append(1'700'000'000'250'000'000, "disk full", metadata).ok());
  EXPECT_TRUE((*writer)->EndStream().ok());
  EXPECT_TRUE((*writer)->Finish(7).ok());
  auto chunk = std::make_unique<ExampleChunk>();
  chunk->file = std::make_unique<store::testing::MemoryRandomAccessFile>(out.contents());
  auto reader = store::ChunkReader::Open(chunk->file.get());
  EXPECT_TRUE(reader.ok()) << reader.status();
  chunk->reader = *std::move(reader);
  return chunk;
}

// The index of the worked example: the example chunk and one skipped chunk file.
PartitionIndex ExampleIndex() {
  PartitionIndex index;
  auto chunk = OpenExampleChunk();
  EXPECT_TRUE(index.AddChunk("chunk-0000000000000007.silt", *chunk->reader).ok());
  EXPECT_TRUE(index.AddSkippedChunk({"chunk-0000000000000009.silt", 200, "bad footer"}).ok());
  return index;
}

// Recomputes every section checksum and the footer checksum of a file whose section sizes are
// intact, so a test can reach the decoder's structural checks.
void Reseal(std::string* bytes) {
  const size_t footer = bytes->size() - kIndexFooterSize;
  size_t offset = 0;
  for (int s = 0; s < 4; ++s) {
    const uint64_t size = store::DecodeFixed(bytes->data() + footer + 16 * s, 8);
    std::string checksum;
    store::PutFixed64(hash::Xxh3(std::string_view(*bytes).substr(offset, size)), &checksum);
    bytes->replace(footer + 16 * s + 8, 8, checksum);
    offset += size;
  }
  std::string checksum;
  store::PutFixed64(hash::Xxh3(std::string_view(*bytes).substr(footer, kIndexFooterChecksumOffset)),
                    &checksum);
  bytes->replace(footer + kIndexFooterChecksumOffset, 8, checksum);
}

// A larger index from real chunk files: several chunks, streams in several of them.
class IndexFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<LabelSet> labels;
    for (int i = 0; i < 20; ++i) {
      labels.push_back(LabelSet::Of({{"app", "app" + std::to_string(i % 4)},
                                     {"pod", "pod-" + std::to_string(i)},
                                     {"zone", i % 3 == 0 ? "" : "z" + std::to_string(i % 2)}}));
    }
    for (int c = 0; c < 3; ++c) {
      std::vector<StreamSpec> streams;
      for (size_t i = c; i < labels.size(); i += 1 + c) {
        streams.push_back({labels[i], Times(kStart + c * 600 * kSecond, 5 + 7 * c, kSecond)});
      }
      const std::string name = "chunk-" + std::to_string(c) + ".silt";
      ASSERT_TRUE(testing::WriteChunk(&fs_, dir_.path(), name, streams, c + 1));
      testing::AddChunk(&fs_, dir_.path(), name, &index_);
    }
    ASSERT_TRUE(index_.AddSkippedChunk({"chunk-7.silt", 999, "checksum mismatch"}).ok());
    bytes_ = EncodeIndexFile(index_);
  }

  fs::PosixFileSystem fs_;
  silt::testing::TempDir dir_;
  PartitionIndex index_;
  std::string bytes_;
};

TEST(IndexGoldenTest, WorkedExampleBytesArePinned) {
  std::string expected;
  for (const char* line : kGolden) expected += std::string(line) + "\n";
  const std::string actual = Hex(EncodeIndexFile(ExampleIndex()));
  EXPECT_EQ(actual, expected) << "actual:\n" << actual;
}

TEST(IndexGoldenTest, WorkedExampleDecodesToTheSameIndex) {
  const PartitionIndex index = ExampleIndex();
  auto decoded = DecodeIndexFile(EncodeIndexFile(index));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_TRUE(*decoded == index);
  EXPECT_EQ(decoded->tenant(), "fake");
  ASSERT_EQ(decoded->chunks().size(), 1u);
  EXPECT_EQ(decoded->chunks()[0]->wal_seq_hi, 7u);
  EXPECT_EQ(decoded->skipped_chunks()[0].reason, "bad footer");
}

TEST(IndexFileRoundTripTest, EmptyIndexRoundTrips) {
  const std::string bytes = EncodeIndexFile(PartitionIndex());
  EXPECT_EQ(bytes.size(), kMinIndexFileSize);
  auto decoded = DecodeIndexFile(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_TRUE(*decoded == PartitionIndex());
}

TEST_F(IndexFileTest, RoundTripEqualsTheOriginal) {
  auto decoded = DecodeIndexFile(bytes_);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_TRUE(*decoded == index_);
  EXPECT_EQ(EncodeIndexFile(*decoded), bytes_);
  EXPECT_EQ(decoded->min_ts(), index_.min_ts());
  EXPECT_EQ(decoded->max_ts(), index_.max_ts());
  const std::vector<labels::Matcher> matchers = {testing::Re("app", "app1|app3")};
  auto a = index_.Series(matchers, kStart, kStart + testing::kHour);
  auto b = decoded->Series(matchers, kStart, kStart + testing::kHour);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_FALSE(a->empty());
}

TEST_F(IndexFileTest, WriteThenReadRoundTrips) {
  ASSERT_TRUE(WriteIndexFile(&fs_, dir_.path(), index_).ok());
  EXPECT_EQ(*fs_.ReadFileToString(dir_.Path("index.silt")), bytes_);
  EXPECT_FALSE(fs_.FileExists(dir_.Path("index.silt.tmp")));
  auto read = ReadIndexFile(&fs_, dir_.path());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(*read == index_);
}

TEST_F(IndexFileTest, ReadingMissingFileIsNotFound) {
  EXPECT_EQ(ReadIndexFile(&fs_, dir_.Path("nosuch")).status().code(), StatusCode::kNotFound);
}

TEST_F(IndexFileTest, ReadErrorsNameThePath) {
  ASSERT_TRUE(fs_.WriteFileAtomically(dir_.Path("index.silt"), "garbage").ok());
  auto read = ReadIndexFile(&fs_, dir_.path());
  EXPECT_EQ(read.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(read.status().message(), HasSubstr(dir_.Path("index.silt")));
}

TEST_F(IndexFileTest, EveryTruncationIsCorruption) {
  for (size_t size = 0; size < bytes_.size(); ++size) {
    auto decoded = DecodeIndexFile(std::string_view(bytes_).substr(0, size));
    ASSERT_FALSE(decoded.ok()) << size;
    EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption) << size;
  }
}

TEST_F(IndexFileTest, EveryBitFlipIsCorruption) {
  for (size_t i = 0; i < bytes_.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string damaged = bytes_;
      damaged[i] = static_cast<char>(damaged[i] ^ (1 << bit));
      auto decoded = DecodeIndexFile(damaged);
      ASSERT_FALSE(decoded.ok()) << "byte " << i << " bit " << bit;
      EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption);
    }
  }
}

TEST_F(IndexFileTest, WrongMagicIsCorruption) {
  std::string damaged = bytes_;
  damaged.replace(damaged.size() - 4, 4, "LOGS");
  EXPECT_THAT(DecodeIndexFile(damaged).status().message(), HasSubstr("\"SIDX\" magic"));
  damaged = bytes_;
  damaged[0] = 'X';
  Reseal(&damaged);
  EXPECT_THAT(DecodeIndexFile(damaged).status().message(),
              HasSubstr("header section, file offset 0: no \"SIDX\" magic"));
}

TEST_F(IndexFileTest, UnknownVersionIsCorruption) {
  std::string damaged = bytes_;
  damaged[damaged.size() - kIndexFooterSize + kIndexFooterVersionOffset] = 2;
  Reseal(&damaged);
  EXPECT_THAT(DecodeIndexFile(damaged).status().message(), HasSubstr("unknown version 2"));
  damaged = bytes_;
  damaged[kIndexHeaderVersionOffset] = 2;
  Reseal(&damaged);
  EXPECT_THAT(DecodeIndexFile(damaged).status().message(),
              HasSubstr("header section, file offset 4: unknown version 2"));
}

TEST_F(IndexFileTest, SectionChecksumMismatchNamesTheSection) {
  const size_t header_size =
      store::DecodeFixed(bytes_.data() + bytes_.size() - kIndexFooterSize, 8);
  std::string damaged = bytes_;
  damaged[header_size + 10] ^= 1;  // inside the chunks section
  EXPECT_THAT(DecodeIndexFile(damaged).status().message(),
              HasSubstr("chunks section, file offset " + std::to_string(header_size) +
                        ": section checksum mismatch"));
}

TEST_F(IndexFileTest, TrailingBytesBeforeTheFooterAreCorruption) {
  std::string damaged = bytes_;
  // Grow the postings section by one byte and say so in the footer.
  const size_t footer = damaged.size() - kIndexFooterSize;
  damaged.insert(footer, 1, '\0');
  const uint64_t size = store::DecodeFixed(damaged.data() + footer + 1 + 48, 8) + 1;
  std::string field;
  store::PutFixed64(size, &field);
  damaged.replace(footer + 1 + 48, 8, field);
  Reseal(&damaged);
  EXPECT_THAT(DecodeIndexFile(damaged).status().message(), HasSubstr("bytes after the last name"));
}

// A varint with a redundant continuation byte (0x81 0x00 for 1) would give the same index two
// encodings: it is refused.
TEST(IndexFileDecodeTest, NonMinimalVarintIsCorruption) {
  std::string bytes = EncodeIndexFile(ExampleIndex());
  const size_t footer = bytes.size() - kIndexFooterSize;
  const size_t streams = store::DecodeFixed(bytes.data() + footer, 8) +
                         store::DecodeFixed(bytes.data() + footer + 16, 8);
  ASSERT_EQ(bytes[streams], '\x01');  // the stream count
  bytes.replace(streams, 1, std::string("\x81\x00", 2));
  std::string size;
  store::PutFixed64(store::DecodeFixed(bytes.data() + footer + 1 + 32, 8) + 1, &size);
  bytes.replace(footer + 1 + 32, 8, size);
  Reseal(&bytes);
  auto decoded = DecodeIndexFile(bytes);
  EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(decoded.status().message(), HasSubstr("stream count is truncated or badly encoded"));
}

// With checksums repaired after every single-byte change, the decoder must either reject the
// file as Corruption or accept an index that encodes back to exactly those bytes: it never
// accepts an inconsistent or non-canonical file.
TEST_F(IndexFileTest, ResealedMutationsAreRejectedOrCanonical) {
  const size_t footer = bytes_.size() - kIndexFooterSize;
  int accepted = 0;
  for (size_t i = 0; i < footer; ++i) {
    for (int mask : {0x01, 0x80, 0xff}) {
      std::string mutated = bytes_;
      mutated[i] = static_cast<char>(mutated[i] ^ mask);
      Reseal(&mutated);
      auto decoded = DecodeIndexFile(mutated);
      if (!decoded.ok()) {
        EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption);
        continue;
      }
      ++accepted;
      EXPECT_EQ(EncodeIndexFile(*decoded), mutated) << "byte " << i << " mask " << mask;
    }
  }
  EXPECT_GT(accepted, 0);  // e.g. a changed wal_seq_hi or skip reason is still a valid index
}

}  // namespace
}  // namespace silt::index
