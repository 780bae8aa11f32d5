#include "tests/bench/loggen/syslog_writer.h"

#include <iterator>

#include "tests/bench/loggen/distributions.h"
#include "tests/bench/loggen/template_expander.h"
#include "tests/bench/loggen/vocabulary.h"

namespace silt::loggen {
namespace {

// user, daemon, auth, local0, local3.
constexpr uint64_t kFacilities[] = {1, 3, 4, 16, 19};

uint64_t Severity(Rng& rng, Level level) {
  switch (level) {
    case Level::kDebug:
      return 7;
    case Level::kInfo:
      return rng.Uniform(10) == 0 ? 5 : 6;  // some notice
    case Level::kWarn:
      return 4;
    case Level::kError:
      return 3;
  }
  return 6;
}

}  // namespace

bool SyslogWriter::Write(const LineContext& ctx, TextBuffer* out) {
  Rng& rng = *ctx.rng;
  const Stream& stream = *ctx.stream;
  const Level level = PickLevel(rng);
  const bool from_app = rng.Uniform(2) == 0;
  std::string_view program = stream.app;
  std::string_view message;
  uint64_t pid = stream.pid;
  uint64_t facility = kFacilities[stream.index % std::size(kFacilities)];
  if (from_app) {
    message = PickMessageTemplate(rng, level);
  } else {
    const vocab::SyslogMessage& system = PickOne(rng, vocab::SyslogMessages());
    program = system.program;
    message = system.text;
    pid = static_cast<uint64_t>(rng.Between(100, 65'000));
    facility = program == "sshd" ? 4 : 3;  // auth, daemon
  }

  const size_t start = out->size();
  out->Append('<');
  out->AppendUint(facility * 8 + Severity(rng, level));
  out->Append('>');
  if (rfc_ == Rfc::k5424) {
    out->Append("1 ");
    ctx.times->AppendRfc3339(ctx.timestamp_ns, 6, out);
    out->Append(' ');
    out->Append(stream.host);
    out->Append(' ');
    out->Append(program);
    out->Append(' ');
    out->AppendUint(pid);
    out->Append(' ');
    out->Append(PickOne(rng, vocab::SyslogMsgIds()));
    out->Append(' ');
    if (rng.Uniform(10) < 3) {
      ExpandTemplate(rng, PickOne(rng, vocab::StructuredData()), out);
    } else {
      out->Append('-');
    }
    out->Append(' ');
  } else {
    ctx.times->AppendBsd(ctx.timestamp_ns, out);
    out->Append(' ');
    out->Append(stream.host);
    out->Append(' ');
    out->Append(program);
    if (program != "kernel") {
      out->Append('[');
      out->AppendUint(pid);
      out->Append(']');
    }
    out->Append(": ");
  }
  ctx.messages->InsertMessage(rng, message, ctx.Budget(*out, start), ctx.rare_token, out->size(),
                              out);
  return true;
}

}  // namespace silt::loggen
