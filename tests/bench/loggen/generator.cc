#include "tests/bench/loggen/generator.h"

#include <algorithm>
#include <string>

#include "tests/bench/loggen/access_log_writer.h"
#include "tests/bench/loggen/app_log_writer.h"
#include "tests/bench/loggen/java_writer.h"
#include "tests/bench/loggen/syslog_writer.h"

namespace silt::loggen {
namespace {

constexpr uint32_t kMaxLineSize = 65536;

bool IsTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

uint32_t EffectiveStreams(const GeneratorOptions& options) {
  if (options.streams != 0) return options.streams;
  return options.format == Format::kMixed ? static_cast<uint32_t>(ConcreteFormats().size()) : 1;
}

uint32_t CountLines(std::string_view text) {
  uint32_t lines = 1;
  for (size_t at = text.find('\n'); at != std::string_view::npos; at = text.find('\n', at + 1)) {
    ++lines;
  }
  return lines;
}

// The i-th independent generator derived from the seed.
Rng SubRng(uint64_t seed, uint64_t i) {
  uint64_t state = seed ^ (0x6c6f6767656e0000ULL + i);  // "loggen" + i
  return Rng(SplitMix64(&state));
}

}  // namespace

Status ValidateGeneratorOptions(const GeneratorOptions& options) {
  if (options.step_ns < 0) {
    return Status::InvalidArgument("--step must not be negative");
  }
  if (options.jitter_ns < -1) {
    return Status::InvalidArgument("--jitter must not be negative");
  }
  if (!(options.rare_token_rate >= 0 && options.rare_token_rate <= 1)) {
    return Status::InvalidArgument("--rare-token-rate " + std::to_string(options.rare_token_rate) +
                                   " is not a probability: use a value in [0, 1]");
  }
  const std::string& token = options.rare_token;
  if (token.empty() || token.size() > 64 || !std::all_of(token.begin(), token.end(), IsTokenChar)) {
    return Status::InvalidArgument("--rare-token \"" + token +
                                   "\" must be 1..64 characters of [A-Za-z0-9_], so that it "
                                   "is a single token for bloom filters");
  }
  if (options.line_size > kMaxLineSize) {
    return Status::InvalidArgument("--line-size " + std::to_string(options.line_size) +
                                   " is too large: use at most " + std::to_string(kMaxLineSize));
  }
  return StreamSet::Create(options.format, EffectiveStreams(options), options.cardinality).status();
}

Result<std::unique_ptr<Generator>> Generator::Create(const GeneratorOptions& options) {
  SILT_RETURN_IF_ERROR(ValidateGeneratorOptions(options));
  SILT_ASSIGN_OR_RETURN(
      StreamSet streams,
      StreamSet::Create(options.format, EffectiveStreams(options), options.cardinality));
  return std::unique_ptr<Generator>(new Generator(options, std::move(streams)));
}

Generator::Generator(const GeneratorOptions& options, StreamSet streams)
    : options_(options),
      streams_(std::move(streams)),
      time_rng_(SubRng(options.seed, 0)),
      stream_rng_(SubRng(options.seed, 1)),
      rare_rng_(SubRng(options.seed, 2)),
      size_rng_(SubRng(options.seed, 3)),
      content_rng_(SubRng(options.seed, 4)),
      rare_threshold_(ProbabilityThreshold(options.rare_token_rate)),
      jitter_ns_(options.jitter_ns < 0 ? options.step_ns / 2 : options.jitter_ns),
      line_(8192) {
  writers_[static_cast<size_t>(Format::kNginx)] = std::make_unique<AccessLogWriter>(false);
  writers_[static_cast<size_t>(Format::kApache)] = std::make_unique<AccessLogWriter>(true);
  writers_[static_cast<size_t>(Format::kJson)] =
      std::make_unique<AppLogWriter>(AppLogWriter::Style::kJson);
  writers_[static_cast<size_t>(Format::kLogfmt)] =
      std::make_unique<AppLogWriter>(AppLogWriter::Style::kLogfmt);
  writers_[static_cast<size_t>(Format::kSyslog5424)] =
      std::make_unique<SyslogWriter>(SyslogWriter::Rfc::k5424);
  writers_[static_cast<size_t>(Format::kSyslog3164)] =
      std::make_unique<SyslogWriter>(SyslogWriter::Rfc::k3164);
  writers_[static_cast<size_t>(Format::kJava)] = std::make_unique<JavaWriter>();
}

EntryWriter& Generator::WriterFor(Format format) { return *writers_[static_cast<size_t>(format)]; }

int64_t Generator::NextDesiredSize() {
  const int64_t target = options_.line_size;
  if (target == 0) return 0;
  const int64_t noise = size_rng_.Between(-target / 4, target / 4);
  // The carry is what earlier fitted entries missed their targets by (whole-word padding ends
  // short; a line cannot shrink below its fixed fields). Carry at most one target's worth, so a
  // format whose minimum is above the target does not build up a debt that shrinks lines long
  // after.
  size_carry_ = std::clamp(size_carry_, -target, target);
  return std::max<int64_t>(1, target + noise + size_carry_);
}

const Entry& Generator::Next() {
  // Unsigned arithmetic: a run past year 2262 wraps around instead of overflowing.
  const uint64_t base =
      static_cast<uint64_t>(options_.start_ns) + entries_ * static_cast<uint64_t>(options_.step_ns);
  const uint64_t jitter =
      jitter_ns_ > 0 ? time_rng_.Uniform(static_cast<uint64_t>(jitter_ns_) + 1) : 0;
  return NextAt(static_cast<int64_t>(base + jitter));
}

const Entry& Generator::NextAt(int64_t timestamp_ns) {
  const Stream& stream = streams_[stream_rng_.Uniform(streams_.size())];
  const bool rare = rare_threshold_ != 0 && rare_rng_.Below(rare_threshold_);
  LineContext ctx;
  ctx.rng = &content_rng_;
  ctx.times = &times_;
  ctx.messages = &messages_;
  ctx.stream = &stream;
  ctx.timestamp_ns = timestamp_ns;
  ctx.desired_size = NextDesiredSize();
  if (rare) ctx.rare_token = options_.rare_token;
  line_.Clear();
  const bool fitted = WriterFor(stream.format).Write(ctx, &line_);
  if (fitted && ctx.desired_size != 0) {
    // desired = base + carry, so the running total of (base - actual) is desired - actual.
    size_carry_ = ctx.desired_size - static_cast<int64_t>(line_.size());
  }
  ++entries_;
  entry_.timestamp_ns = timestamp_ns;
  entry_.stream = &stream;
  entry_.line = line_.view();
  // Only Java entries span several lines; the others need no scan.
  entry_.lines = stream.format == Format::kJava ? CountLines(entry_.line) : 1;
  entry_.rare = rare;
  return entry_;
}

}  // namespace silt::loggen
