// Helpers for the silt-loggen tests: generate entries into owned strings.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "shared/fs/file_system.h"
#include "tests/bench/loggen/generator.h"

namespace silt::loggen::testing {

struct OwnedEntry {
  int64_t timestamp_ns = 0;
  const Stream* stream = nullptr;  // owned by the generator that made it
  std::string line;
  bool rare = false;
};

// A generator for `options`; fails the test when the options are rejected.
inline std::unique_ptr<Generator> MakeGenerator(const GeneratorOptions& options) {
  Result<std::unique_ptr<Generator>> generator = Generator::Create(options);
  EXPECT_TRUE(generator.ok()) << generator.status();
  return generator.ok() ? std::move(generator).value() : nullptr;
}

// The next `count` entries of `generator`.
inline std::vector<OwnedEntry> Take(Generator& generator, size_t count) {
  std::vector<OwnedEntry> entries;
  entries.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const Entry& entry = generator.Next();
    entries.push_back({entry.timestamp_ns, entry.stream, std::string(entry.line), entry.rare});
  }
  return entries;
}

// The lines of the first `count` entries for `options`, joined with '\n' (plain output).
inline std::string PlainText(const GeneratorOptions& options, size_t count) {
  std::unique_ptr<Generator> generator = MakeGenerator(options);
  std::string text;
  if (generator == nullptr) return text;
  for (size_t i = 0; i < count; ++i) {
    text += generator->Next().line;
    text += '\n';
  }
  return text;
}

// A WritableFile that keeps what is appended in memory (stands in for stdout). Counts appends,
// so tests can check that writes end at line boundaries.
class MemoryFile final : public fs::WritableFile {
 public:
  Status Append(std::string_view data) override {
    if (closed_) return Status::IOError("append to closed <memory>");
    contents_.append(data);
    ++appends_;
    if (!data.empty() && data.back() != '\n') ++partial_appends_;
    return Status::Ok();
  }
  Status Flush() override { return Status::Ok(); }
  Status Sync() override { return Status::Ok(); }
  Status Close() override {
    closed_ = true;
    return Status::Ok();
  }
  uint64_t Size() const override { return contents_.size(); }
  const std::string& path() const override { return path_; }

  const std::string& contents() const { return contents_; }
  int appends() const { return appends_; }
  int partial_appends() const { return partial_appends_; }

 private:
  std::string path_ = "<memory>";
  std::string contents_;
  int appends_ = 0;
  int partial_appends_ = 0;
  bool closed_ = false;
};

inline GeneratorOptions OptionsFor(Format format, uint64_t seed = 1) {
  GeneratorOptions options;
  options.format = format;
  options.seed = seed;
  return options;
}

}  // namespace silt::loggen::testing
