#include "tests/bench/loggen/app_log_writer.h"

#include "tests/bench/loggen/template_expander.h"
#include "tests/bench/loggen/vocabulary.h"

namespace silt::loggen {
namespace {

constexpr std::string_view kQuote = "\"";

uint64_t ParseStatus(std::string_view text) {
  uint64_t value = 0;
  for (char c : text) value = value * 10 + static_cast<uint64_t>(c - '0');
  return value;
}

Level LevelForStatus(Rng& rng, uint64_t status) {
  if (status >= 500) return Level::kError;
  if (status >= 400) return Level::kWarn;
  return rng.Uniform(20) == 0 ? Level::kDebug : Level::kInfo;
}

std::string_view RequestMessage(uint64_t status) {
  if (status >= 500) return "request failed";
  if (status >= 400) return "request rejected";
  return "request completed";
}

}  // namespace

AppLogWriter::AppLogWriter(Style style)
    : style_(style),
      methods_(vocab::HttpMethods()),
      statuses_(vocab::HttpStatuses()),
      paths_(vocab::PathTemplates()),
      path_(256) {}

void AppLogWriter::AppendKey(std::string_view key, TextBuffer* out) const {
  if (style_ == Style::kJson) {
    out->Append(",\"");
    out->Append(key);
    out->Append("\":");
  } else {
    out->Append(' ');
    out->Append(key);
    out->Append('=');
  }
}

void AppLogWriter::AppendTraceIds(Rng& rng, TextBuffer* out) {
  uint64_t* trace;
  if (traces_seen_ > 0 && rng.Uniform(10) < 3) {
    trace = recent_traces_[rng.Uniform(traces_seen_ < 8 ? traces_seen_ : 8)];
  } else {
    trace = recent_traces_[traces_seen_ % 8];
    trace[0] = rng.Next();
    trace[1] = rng.Next();
    ++traces_seen_;
  }
  const std::string_view quote = style_ == Style::kJson ? kQuote : std::string_view();
  AppendKey("trace_id", out);
  out->Append(quote);
  out->AppendHex(trace[0], 16);
  out->AppendHex(trace[1], 16);
  out->Append(quote);
  AppendKey("span_id", out);
  out->Append(quote);
  AppendRandomHex(rng, 16, out);
  out->Append(quote);
}

void AppLogWriter::WriteRequestFields(const Request& request, TextBuffer* out) const {
  const bool json = style_ == Style::kJson;
  const std::string_view path = path_.view();
  AppendKey("method", out);
  const std::string_view quote = json ? kQuote : std::string_view();
  out->Append(quote);
  out->Append(request.method);
  out->Append(quote);
  AppendKey("path", out);
  const bool quote_path = json || path.find('=') != std::string_view::npos;
  const std::string_view path_quote = quote_path ? kQuote : std::string_view();
  out->Append(path_quote);
  out->Append(path);
  out->Append(path_quote);
  AppendKey("status", out);
  out->AppendUint(request.status);
  AppendKey(json ? "duration_ms" : "duration", out);
  out->AppendFixedPoint(static_cast<uint64_t>(request.duration_us), 3);
  if (!json) out->Append("ms");
  AppendKey("bytes", out);
  out->AppendUint(static_cast<uint64_t>(request.bytes));
}

void AppLogWriter::WriteEventFields(Rng& rng, TextBuffer* out) const {
  const auto fields = vocab::EventFields();
  const size_t first = rng.Uniform(fields.size());
  const size_t count = 1 + rng.Uniform(3);
  for (size_t i = 0; i < count; ++i) {
    const vocab::Field& field = fields[(first + i) % fields.size()];
    const std::string_view quote =
        style_ == Style::kJson && !field.numeric ? kQuote : std::string_view();
    AppendKey(field.key, out);
    out->Append(quote);
    ExpandTemplate(rng, field.value_template, out);
    out->Append(quote);
  }
}

bool AppLogWriter::Write(const LineContext& ctx, TextBuffer* out) {
  Rng& rng = *ctx.rng;
  const bool json = style_ == Style::kJson;
  const bool is_request = rng.Uniform(100) < 55;
  Request request;
  Level level;
  if (is_request) {
    request.method = methods_.Pick(rng);
    path_.Clear();
    ExpandTemplate(rng, paths_.Pick(rng), &path_);
    request.status = ParseStatus(statuses_.Pick(rng));
    request.duration_us = LatencyMicros(rng);
    request.bytes = request.status == 204 || request.status == 304 ? 0 : ResponseBytes(rng);
    level = LevelForStatus(rng, request.status);
  } else {
    level = PickLevel(rng);
  }
  const std::string_view message =
      is_request ? RequestMessage(request.status) : PickMessageTemplate(rng, level);

  // A small size target leaves out the optional fields (trace ids, caller) that alone would
  // exceed it.
  const bool tight = ctx.desired_size > 0 && ctx.desired_size < (json ? 220 : 180);
  const size_t start = out->size();
  out->Append(json ? "{\"ts\":\"" : "ts=");
  if (json) {
    ctx.times->AppendRfc3339(ctx.timestamp_ns, 3, out);
    out->Append("\",\"level\":\"");
    out->Append(LevelName(level));
    out->Append("\",\"service\":\"");
    out->Append(ctx.stream->app);
    out->Append("\",\"msg\":\"");
  } else {
    ctx.times->AppendRfc3339Nano(ctx.timestamp_ns, out);
    out->Append(" level=");
    out->Append(LevelName(level));
    if (rng.Uniform(10) < 6 && !tight) {
      out->Append(" caller=");
      out->Append(PickOne(rng, vocab::Callers()));
    }
    out->Append(" msg=\"");
  }
  const size_t message_at = out->size();
  out->Append('"');
  if ((json ? (is_request || rng.Uniform(10) < 7) : rng.Uniform(10) < 4) && !tight) {
    AppendTraceIds(rng, out);
  }
  if (is_request) {
    WriteRequestFields(request, out);
  } else {
    WriteEventFields(rng, out);
  }
  if (json) out->Append('}');
  ctx.messages->InsertMessage(rng, message, ctx.Budget(*out, start), ctx.rare_token, message_at,
                              out);
  return true;
}

}  // namespace silt::loggen
