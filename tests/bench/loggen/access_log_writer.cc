#include "tests/bench/loggen/access_log_writer.h"

#include <algorithm>

#include "tests/bench/loggen/template_expander.h"
#include "tests/bench/loggen/vocabulary.h"

namespace silt::loggen {
namespace {

void AppendHttpVersion(Rng& rng, TextBuffer* out) {
  const uint64_t roll = rng.Uniform(100);
  out->Append(roll < 78 ? "HTTP/1.1" : roll < 98 ? "HTTP/2.0" : "HTTP/1.0");
}

// `tight`: a small size target, which leaves no room for a referring URL.
void AppendReferer(Rng& rng, bool tight, TextBuffer* out) {
  if (rng.Uniform(10) < 7 || tight) {
    out->Append('-');
  } else {
    out->Append(PickOne(rng, vocab::Referers()));
  }
}

}  // namespace

AccessLogWriter::AccessLogWriter(bool apache)
    : apache_(apache),
      methods_(vocab::HttpMethods()),
      statuses_(vocab::HttpStatuses()),
      paths_(vocab::PathTemplates()),
      agents_by_length_(vocab::UserAgents().begin(), vocab::UserAgents().end()) {
  std::stable_sort(agents_by_length_.begin(), agents_by_length_.end(),
                   [](std::string_view a, std::string_view b) { return a.size() < b.size(); });
}

void AccessLogWriter::AppendUserAgent(Rng& rng, int64_t room, TextBuffer* out) const {
  size_t choices = agents_by_length_.size();
  if (room != MessageBuilder::kNatural) {
    // Only agents that fit; the shortest when none does.
    choices = static_cast<size_t>(
        std::upper_bound(agents_by_length_.begin(), agents_by_length_.end(), room,
                         [](int64_t limit, std::string_view agent) {
                           return limit < static_cast<int64_t>(agent.size());
                         }) -
        agents_by_length_.begin());
    if (choices == 0) choices = 1;
  }
  out->Append(agents_by_length_[rng.Uniform(choices)]);
}

bool AccessLogWriter::Write(const LineContext& ctx, TextBuffer* out) {
  Rng& rng = *ctx.rng;
  const size_t start = out->size();
  AppendClientIp(rng, out);
  out->Append(" - ");
  if (rng.Uniform(20) == 0) {
    out->Append(PickOne(rng, vocab::UserNames()));
  } else {
    out->Append('-');
  }
  out->Append(" [");
  ctx.times->AppendClf(ctx.timestamp_ns, out);
  out->Append("] \"");
  const size_t method = methods_.PickIndex(rng);
  out->Append(vocab::HttpMethods()[method].text);
  out->Append(' ');
  const size_t path_start = out->size();
  ExpandTemplate(rng, paths_.Pick(rng), out);
  const bool has_query = out->view().substr(path_start).find('?') != std::string_view::npos;
  const size_t query_at = out->size();
  out->Append(' ');
  AppendHttpVersion(rng, out);
  out->Append("\" ");
  const std::string_view status = statuses_.Pick(rng);
  out->Append(status);
  out->Append(' ');
  const bool empty_body =
      status == "204" || status == "304" || vocab::HttpMethods()[method].text == "HEAD";
  if (empty_body) {
    out->Append(apache_ ? '-' : '0');
  } else {
    out->AppendUint(static_cast<uint64_t>(ResponseBytes(rng)));
  }
  out->Append(" \"");
  AppendReferer(rng, ctx.desired_size > 0 && ctx.desired_size < 160, out);
  out->Append("\" \"");
  // Room for the agent: what is left after the closing quote, minus a little for a query.
  const int64_t budget = ctx.Budget(*out, start);
  AppendUserAgent(rng, budget == MessageBuilder::kNatural ? budget : budget - 1, out);
  out->Append('"');
  ctx.messages->InsertQuery(rng, has_query, ctx.Budget(*out, start), ctx.rare_token, query_at, out);
  return true;
}

}  // namespace silt::loggen
