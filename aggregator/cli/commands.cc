#include "aggregator/cli/commands.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "aggregator/cli/batch_cursor.h"
#include "aggregator/cli/entry_printer.h"
#include "aggregator/cli/export_job.h"
#include "aggregator/cli/interrupt_pipe.h"
#include "aggregator/cli/log_query_runner.h"
#include "aggregator/cli/loki_response.h"
#include "aggregator/cli/metric_table.h"
#include "aggregator/cli/tail_session.h"
#include "aggregator/cli/time_range.h"
#include "shared/time/timestamp.h"

namespace silt::cli {
namespace {

void Write(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

Result<PrintOptions> MakePrintOptions(const OutputFlags& flags) {
  Result<OutputMode> mode = ParseOutputMode(flags.output);
  if (!mode.ok()) return mode.status();
  PrintOptions options;
  options.mode = *mode;
  options.no_labels = flags.no_labels;
  options.include_labels = flags.include_labels;
  options.color = *mode == OutputMode::kDefault && ColorWanted(STDOUT_FILENO);
  return options;
}

Status CheckPositive(const char* flag, int64_t value, bool zero_ok) {
  if (value > 0 || (zero_ok && value == 0)) return Status::Ok();
  return Status::InvalidArgument(std::string(flag) + " " + std::to_string(value) + " must be " +
                                 (zero_ok ? "0 (all) or positive" : "positive"));
}

// Streams tail messages to stdout until Ctrl-C or the server closes; `start_ns` is where the
// backfill starts.
int TailTo(HttpClient* client, const std::string& query, int64_t start_ns, int64_t limit,
           int64_t delay_for, const EntryPrinter& printer) {
  InterruptPipe interrupt;
  Status installed = interrupt.Install();
  if (!installed.ok()) return Fail(kExitQueryError, installed);
  TailSession session(client);
  QueryParams params = {{"query", query},
                        {"start", time::FormatRfc3339Nano(start_ns)},
                        {"limit", std::to_string(limit)}};
  if (delay_for > 0) params.emplace_back("delay_for", std::to_string(delay_for));
  Status opened = session.Open(params);
  if (!opened.ok()) return Fail(ExitCodeFor(opened), opened);
  std::string text;
  Status done = session.Run(
      [&](std::string_view json) -> Status {
        Result<TailMessage> message = ParseTailMessage(json);
        if (!message.ok()) return message.status();
        if (!message->dropped.empty()) {
          std::fprintf(stderr,
                       "silt: the server dropped %zu entries of this tail (it read too slowly "
                       "or the server was overloaded)\n",
                       message->dropped.size());
        }
        QueryResult result;
        result.streams = std::move(message->streams);
        text.clear();
        for (const FlatEntry& entry : FlattenStreams(std::move(result), Direction::kForward)) {
          printer.Append(entry, &text);
        }
        Write(text);
        return Status::Ok();
      },
      interrupt.fd());
  if (!done.ok()) return Fail(kExitQueryError, done);
  return kExitOk;
}

// GETs `path` with the range and optional extra parameters; usage errors exit 2.
Result<std::string> GetIndex(HttpClient* client, const std::string& path, const RangeFlags& flags,
                             QueryParams params, int* exit_code) {
  Result<TimeRange> range = ResolveTimeRange(flags.since, flags.from, flags.to, WallClockNanos());
  if (!range.ok()) {
    *exit_code = kExitUsage;
    return range.status();
  }
  params.emplace_back("start", time::FormatRfc3339Nano(range->start_ns));
  params.emplace_back("end", time::FormatRfc3339Nano(range->end_ns));
  Result<std::string> body = client->Get(path, params);
  if (!body.ok()) *exit_code = ExitCodeFor(body.status());
  return body;
}

}  // namespace

int ExitCodeFor(const Status& status) {
  return status.code() == StatusCode::kUnavailable ? kExitUnreachable : kExitQueryError;
}

int Fail(int code, const Status& status) {
  std::fprintf(stderr, "silt: %.*s\n", static_cast<int>(status.message().size()),
               status.message().data());
  return code;
}

int RunQuery(const QueryFlags& flags, const HttpClientOptions& options) {
  Result<PrintOptions> print = MakePrintOptions(flags.output);
  Result<TimeRange> range =
      ResolveTimeRange(flags.range.since, flags.range.from, flags.range.to, WallClockNanos());
  for (const Status& status :
       {print.status(), range.status(), CheckPositive("--limit", flags.limit, true),
        CheckPositive("--batch", flags.batch, false)}) {
    if (!status.ok()) return Fail(kExitUsage, status);
  }
  HttpClient client(options);
  const EntryPrinter printer(*print);
  RangeQuery query{flags.query, *range, flags.forward ? Direction::kForward : Direction::kBackward,
                   flags.limit, flags.batch};
  std::string text;
  QueryResult metric;
  Status status = RunRangeQuery(
      &client, query,
      [&](std::vector<FlatEntry>&& entries) {
        text.clear();
        for (const FlatEntry& entry : entries) printer.Append(entry, &text);
        Write(text);
        return Status::Ok();
      },
      &metric);
  if (!status.ok()) return Fail(ExitCodeFor(status), status);
  if (metric.type != ResultType::kStreams) {
    text.clear();
    AppendMetricResult(metric, print->mode, &text);
    Write(text);
    return kExitOk;
  }
  if (!flags.tail) return kExitOk;
  return TailTo(&client, flags.query, range->end_ns, std::min<int64_t>(flags.batch, 5000), 0,
                printer);
}

int RunInstant(const InstantFlags& flags, const HttpClientOptions& options) {
  Result<PrintOptions> print = MakePrintOptions(flags.output);
  if (!print.ok()) return Fail(kExitUsage, print.status());
  Status limit_ok = CheckPositive("--limit", flags.limit, false);
  if (!limit_ok.ok()) return Fail(kExitUsage, limit_ok);
  QueryParams params = {{"query", flags.query}, {"limit", std::to_string(flags.limit)}};
  if (!flags.time.empty()) {
    Result<int64_t> at = ParseTimeFlag("--time", flags.time, WallClockNanos());
    if (!at.ok()) return Fail(kExitUsage, at.status());
    params.emplace_back("time", time::FormatRfc3339Nano(*at));
  }
  HttpClient client(options);
  Result<std::string> body = client.Get("/loki/api/v1/query", params);
  if (!body.ok()) return Fail(ExitCodeFor(body.status()), body.status());
  Result<QueryResult> result = ParseQueryResponse(*body);
  if (!result.ok()) return Fail(kExitQueryError, result.status());
  std::string text;
  if (result->type == ResultType::kStreams) {
    const EntryPrinter printer(*print);
    for (const FlatEntry& entry : FlattenStreams(std::move(result).value(), Direction::kBackward)) {
      printer.Append(entry, &text);
    }
  } else {
    AppendMetricResult(*result, print->mode, &text);
  }
  Write(text);
  return kExitOk;
}

int RunTail(const TailFlags& flags, const HttpClientOptions& options) {
  Result<PrintOptions> print = MakePrintOptions(flags.output);
  Result<int64_t> since = ParseDurationFlag("--since", flags.since);
  for (const Status& status :
       {print.status(), since.status(), CheckPositive("--limit", flags.limit, false)}) {
    if (!status.ok()) return Fail(kExitUsage, status);
  }
  if (flags.delay_for < 0 || flags.delay_for > 5) {
    return Fail(kExitUsage,
                Status::InvalidArgument("--delay-for " + std::to_string(flags.delay_for) +
                                        " must be 0..5 seconds"));
  }
  HttpClient client(options);
  return TailTo(&client, flags.query, WallClockNanos() - *since, flags.limit, flags.delay_for,
                EntryPrinter(*print));
}

int RunLabels(const IndexFlags& flags, const HttpClientOptions& options) {
  HttpClient client(options);
  const std::string path = flags.name_or_selector.empty()
                               ? "/loki/api/v1/labels"
                               : "/loki/api/v1/label/" + flags.name_or_selector + "/values";
  int code = kExitOk;
  Result<std::string> body = GetIndex(&client, path, flags.range, {}, &code);
  if (!body.ok()) return Fail(code, body.status());
  Result<std::vector<std::string>> names = ParseStringList(*body);
  if (!names.ok()) return Fail(kExitQueryError, names.status());
  std::string text;
  for (const std::string& name : *names) text += name + "\n";
  Write(text);
  return kExitOk;
}

int RunSeries(const IndexFlags& flags, const HttpClientOptions& options) {
  Result<OutputMode> mode = ParseOutputMode(flags.output);
  if (!mode.ok()) return Fail(kExitUsage, mode.status());
  HttpClient client(options);
  int code = kExitOk;
  Result<std::string> body = GetIndex(&client, "/loki/api/v1/series", flags.range,
                                      {{"match[]", flags.name_or_selector}}, &code);
  if (!body.ok()) return Fail(code, body.status());
  Result<std::vector<LabelPairs>> series = ParseSeriesList(*body);
  if (!series.ok()) return Fail(kExitQueryError, series.status());
  std::vector<LabelPairs> sorted = std::move(series).value();
  for (LabelPairs& labels : sorted) std::sort(labels.begin(), labels.end());
  std::sort(sorted.begin(), sorted.end());
  std::string text;
  for (const LabelPairs& labels : sorted) {
    if (*mode == OutputMode::kJsonl) {
      AppendJsonObject(labels, &text);
      text.push_back('\n');
    } else {
      text += CanonicalLabels(labels) + "\n";
    }
  }
  Write(text);
  return kExitOk;
}

int RunStats(const IndexFlags& flags, const HttpClientOptions& options) {
  Result<OutputMode> mode = ParseOutputMode(flags.output);
  if (!mode.ok()) return Fail(kExitUsage, mode.status());
  HttpClient client(options);
  int code = kExitOk;
  Result<std::string> body = GetIndex(&client, "/loki/api/v1/index/stats", flags.range,
                                      {{"query", flags.name_or_selector}}, &code);
  if (!body.ok()) return Fail(code, body.status());
  Result<LabelPairs> stats = ParseIndexStats(*body);
  if (!stats.ok()) return Fail(kExitQueryError, stats.status());
  std::string text;
  if (*mode == OutputMode::kJsonl) {
    text = "{";
    for (size_t i = 0; i < stats->size(); ++i) {
      text += (i > 0 ? ",\"" : "\"") + (*stats)[i].first + "\":" + (*stats)[i].second;
    }
    text += "}\n";
  } else {
    size_t width = 0;
    for (const auto& [name, value] : *stats) width = std::max(width, name.size());
    for (const auto& [name, value] : *stats) {
      text += name + std::string(width - name.size() + 2, ' ') + value + "\n";
    }
  }
  Write(text);
  return kExitOk;
}

int RunExport(const ExportFlags& flags, const HttpClientOptions& options) {
  Result<TimeRange> range =
      ResolveTimeRange(flags.range.since, flags.range.from, flags.range.to, WallClockNanos());
  Result<int64_t> part = ParseDurationFlag("--part", flags.part);
  for (const Status& status :
       {range.status(), part.status(), CheckPositive("--batch", flags.batch, false)}) {
    if (!status.ok()) return Fail(kExitUsage, status);
  }
  if (flags.level < 1 || flags.level > 19) {
    return Fail(kExitUsage, Status::InvalidArgument("--level " + std::to_string(flags.level) +
                                                    " must be a zstd level 1..19"));
  }
  HttpClient client(options);
  ExportOptions export_options{flags.query,
                               *range,
                               *part,
                               flags.batch,
                               flags.output_path,
                               flags.level,
                               isatty(STDERR_FILENO) == 1};
  ExportJob job(&client, std::move(export_options));
  Status prepared = job.Prepare();
  if (!prepared.ok()) return Fail(kExitUsage, prepared);
  Status status = job.Run();
  if (!status.ok()) return Fail(ExitCodeFor(status), status);
  return kExitOk;
}

}  // namespace silt::cli
