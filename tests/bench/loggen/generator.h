// Generator: the deterministic stream of log entries behind silt-loggen, for benchmarks and tests
// that want data in-process without running the binary:
//
//   SILT_ASSIGN_OR_RETURN(auto generator, loggen::Generator::Create(options));
//   for (int i = 0; i < n; ++i) {
//     const loggen::Entry& entry = generator->Next();
//     Ingest(entry.stream->labels, entry.timestamp_ns, entry.line);
//   }
//
// Determinism: the same GeneratorOptions give the same entries, byte for byte, on every run,
// compiler and machine (integer-only randomness, fixed tables). Independent random streams
// derived from the seed drive timestamps, the choice of stream, the choice of rare entries, size
// targets and the content, so e.g. which entries carry the rare token depends only on the seed
// and the rate. Not thread-safe; use one Generator per thread (with different seeds).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "shared/status/result.h"
#include "tests/bench/loggen/entry_writer.h"
#include "tests/bench/loggen/format.h"
#include "tests/bench/loggen/message_builder.h"
#include "tests/bench/loggen/rng.h"
#include "tests/bench/loggen/stream_set.h"
#include "tests/bench/loggen/text_buffer.h"
#include "tests/bench/loggen/timestamp_text.h"

namespace silt::loggen {

// 2024-01-01T00:00:00Z, the default start of simulated time.
inline constexpr int64_t kDefaultStartNanos = 1'704'067'200'000'000'000;
inline constexpr char kDefaultRareToken[] = "needle_c0ffee";

struct GeneratorOptions {
  Format format = Format::kNginx;
  uint64_t seed = 1;
  // Target average entry length in bytes, without the newline; 0 keeps natural lengths.
  // Entries vary by +-25% around it. Formats cannot go below their natural minimum (see
  // README.md); Java stack traces keep their natural size and are not counted.
  uint32_t line_size = 0;
  // Number of streams; 0 means 1 (7 for kMixed, one per format).
  uint32_t streams = 0;
  // Distinct values per varying label (see stream_set.h); 0 picks the smallest that fits.
  uint32_t cardinality = 0;
  // Simulated time: entry i is stamped start + i * step + a uniform jitter in [0, jitter].
  int64_t start_ns = kDefaultStartNanos;
  int64_t step_ns = 1'000'000;  // 1ms
  int64_t jitter_ns = -1;       // -1 means step / 2 (timestamps strictly increase)
  // Probability in [0, 1] that an entry carries `rare_token` (in its message, or as "q=" in an
  // access log query).
  double rare_token_rate = 0;
  std::string rare_token = kDefaultRareToken;
};

// Checks options: InvalidArgument for a negative step or jitter, a rate outside [0, 1], a rare
// token that is not 1..64 of [A-Za-z0-9_] (it must be one bloom token), a line size above
// 65536, or streams/cardinality that StreamSet rejects.
Status ValidateGeneratorOptions(const GeneratorOptions& options);

struct Entry {
  int64_t timestamp_ns = 0;
  const Stream* stream = nullptr;  // owned by the generator
  // The entry without a trailing newline; Java stack traces have '\n' between their lines.
  // Valid until the next call to Next().
  std::string_view line;
  uint32_t lines = 1;  // physical lines in `line` (more than 1 only for stack traces)
  bool rare = false;   // carries the rare token
};

class Generator {
 public:
  // Returns InvalidArgument as ValidateGeneratorOptions does.
  static Result<std::unique_ptr<Generator>> Create(const GeneratorOptions& options);

  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;

  // The next entry, stamped with simulated time. The reference stays valid until the next call.
  const Entry& Next();
  // The next entry, stamped with `timestamp_ns` instead of simulated time (e.g. the wall clock).
  // Simulated time is a function of the entry index, so a later Next() continues it as if this
  // entry had been simulated too.
  const Entry& NextAt(int64_t timestamp_ns);

  const StreamSet& streams() const { return streams_; }
  const GeneratorOptions& options() const { return options_; }
  // Entries produced so far.
  uint64_t entries() const { return entries_; }

 private:
  Generator(const GeneratorOptions& options, StreamSet streams);
  int64_t NextDesiredSize();
  EntryWriter& WriterFor(Format format);

  GeneratorOptions options_;
  StreamSet streams_;
  Rng time_rng_;
  Rng stream_rng_;
  Rng rare_rng_;
  Rng size_rng_;
  Rng content_rng_;
  uint64_t rare_threshold_;
  int64_t jitter_ns_;
  uint64_t entries_ = 0;
  // Size accounting over fitted entries: bytes aimed at minus bytes produced, so far.
  int64_t size_carry_ = 0;
  TimestampText times_;
  MessageBuilder messages_;
  TextBuffer line_;
  Entry entry_;
  std::array<std::unique_ptr<EntryWriter>, 7> writers_;  // by concrete Format
};

}  // namespace silt::loggen
