#include "tests/bench/loggen/java_writer.h"

#include "tests/bench/loggen/distributions.h"
#include "tests/bench/loggen/template_expander.h"
#include "tests/bench/loggen/vocabulary.h"

namespace silt::loggen {
namespace {

std::string_view JavaLevel(Level level) {
  switch (level) {
    case Level::kDebug:
      return "DEBUG";
    case Level::kInfo:
      return "INFO ";
    case Level::kWarn:
      return "WARN ";
    case Level::kError:
      return "ERROR";
  }
  return "INFO ";
}

// "Orders" + "Service": the domain capitalised, then the suffix.
void AppendClassName(std::string_view domain, std::string_view suffix, TextBuffer* out) {
  out->Append(static_cast<char>(domain[0] - 'a' + 'A'));
  out->Append(domain.substr(1));
  out->Append(suffix);
}

}  // namespace

void JavaWriter::AppendAppFrames(Rng& rng, std::string_view domain, uint64_t count,
                                 TextBuffer* out) const {
  for (uint64_t i = 0; i < count; ++i) {
    const std::string_view suffix = PickOne(rng, vocab::JavaClassSuffixes());
    out->Append("\n\tat com.example.");
    out->Append(domain);
    out->Append('.');
    AppendClassName(domain, suffix, out);
    out->Append('.');
    out->Append(PickOne(rng, vocab::JavaMethods()));
    out->Append('(');
    AppendClassName(domain, suffix, out);
    out->Append(".java:");
    out->AppendUint(static_cast<uint64_t>(rng.Between(20, 900)));
    out->Append(')');
  }
}

void JavaWriter::AppendStackTrace(Rng& rng, std::string_view domain, TextBuffer* out) const {
  const vocab::JavaException& exception = PickOne(rng, vocab::JavaExceptions());
  out->Append('\n');
  out->Append(exception.class_name);
  out->Append(": ");
  ExpandTemplate(rng, exception.message, out);
  AppendAppFrames(rng, domain, 2 + rng.Uniform(5), out);
  const auto framework = vocab::JavaFrameworkFrames();
  const uint64_t framework_count = 2 + rng.Uniform(4);
  for (uint64_t i = framework.size() - framework_count; i < framework.size(); ++i) {
    out->Append("\n\tat ");
    out->Append(framework[i]);
  }
  const uint64_t roll = rng.Uniform(10);
  const uint64_t causes = roll < 5 ? 0 : roll < 9 ? 1 : 2;
  for (uint64_t c = 0; c < causes; ++c) {
    const vocab::JavaException& cause = PickOne(rng, vocab::JavaCauses());
    out->Append("\nCaused by: ");
    out->Append(cause.class_name);
    out->Append(": ");
    ExpandTemplate(rng, cause.message, out);
    AppendAppFrames(rng, domain, 1 + rng.Uniform(4), out);
    out->Append("\n\t... ");
    out->AppendUint(static_cast<uint64_t>(rng.Between(8, 60)));
    out->Append(" more");
  }
}

bool JavaWriter::Write(const LineContext& ctx, TextBuffer* out) {
  Rng& rng = *ctx.rng;
  const bool trace = rng.Uniform(4) == 0;
  const Level level = trace ? Level::kError : PickLevel(rng);
  const std::string_view domain = PickOne(rng, vocab::JavaDomains());
  const size_t start = out->size();
  ctx.times->AppendJavaLocal(ctx.timestamp_ns, out);
  out->Append(' ');
  out->Append(JavaLevel(level));
  out->Append(" [");
  ExpandTemplate(rng, PickOne(rng, vocab::JavaThreads()), out);
  out->Append("] com.example.");
  out->Append(domain);
  out->Append('.');
  AppendClassName(domain, PickOne(rng, vocab::JavaClassSuffixes()), out);
  out->Append(" - ");
  const int64_t budget = trace ? MessageBuilder::kNatural : ctx.Budget(*out, start);
  ctx.messages->InsertMessage(rng, PickMessageTemplate(rng, level), budget, ctx.rare_token,
                              out->size(), out);
  if (trace) AppendStackTrace(rng, domain, out);
  return !trace;
}

}  // namespace silt::loggen
