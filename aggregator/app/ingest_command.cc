#include "aggregator/app/ingest_command.h"

#include <memory>
#include <vector>

#include "aggregator/app/offline_engine.h"
#include "aggregator/engine/data_layout.h"
#include "aggregator/ingest/push/loki_json_decoder.h"
#include "shared/labels/validation.h"

namespace silt::aggregator {
namespace {

// Streams [begin, end) of `streams` (indexes into body.streams) as one request of views into
// `body`.
engine::PushRequest MakeBatch(const std::string& tenant, const ingest::DecodedPush& body,
                              const std::vector<size_t>& streams, size_t begin, size_t end) {
  engine::PushRequest request;
  request.tenant = tenant;
  for (size_t i = begin; i < end; ++i) {
    const ingest::DecodedStream& decoded = body.streams[streams[i]];
    engine::PushStream stream{decoded.labels, {}};
    for (const ingest::DecodedEntry& entry : decoded.entries) {
      stream.entries.push_back({entry.timestamp, entry.line, body.MetadataOf(entry)});
    }
    request.streams.push_back(std::move(stream));
  }
  return request;
}

void Problem(const std::string& text, std::FILE* err, IngestReport* report) {
  std::fprintf(err, "silt-aggregator ingest: %s\n", text.c_str());
  ++report->problems;
}

// Pushes streams [begin, end); an invalid batch of several streams is retried one by one.
Status PushRange(engine::StorageEngine& engine, const std::string& tenant,
                 const ingest::DecodedPush& body, const std::vector<size_t>& streams, size_t begin,
                 size_t end, std::FILE* err, IngestReport* report) {
  Result<engine::PushOutcome> outcome =
      engine.PushSync(MakeBatch(tenant, body, streams, begin, end));
  if (!outcome.ok() && outcome.status().code() == StatusCode::kInvalidArgument) {
    if (end - begin > 1) {
      for (size_t i = begin; i < end; ++i) {
        SILT_RETURN_IF_ERROR(PushRange(engine, tenant, body, streams, i, i + 1, err, report));
      }
      return Status::Ok();
    }
    Problem("stream " + body.streams[streams[begin]].labels.ToString() +
                " refused: " + std::string(outcome.status().message()),
            err, report);
    ++report->skipped_streams;
    return Status::Ok();
  }
  if (!outcome.ok()) return outcome.status();
  report->streams += end - begin;
  report->accepted += outcome->accepted;
  report->rejected += outcome->rejected;
  for (const std::string& rejection : outcome->rejections) Problem(rejection, err, report);
  return Status::Ok();
}

// The indexes of the streams to store: those the decoder read without any problem and whose
// labels pass shared/labels/validation.h. Every problem is printed; a stream with one is skipped
// whole.
std::vector<size_t> UsableStreams(ingest::DecodedPush* body, std::FILE* err, IngestReport* report) {
  for (const std::string& problem : body->rejections.messages()) Problem(problem, err, report);
  if (body->rejections.problems() > body->rejections.messages().size()) {
    Problem(std::to_string(body->rejections.problems() - body->rejections.messages().size()) +
                " more problems not listed",
            err, report);
  }
  report->skipped_streams = body->rejections.body_problems();
  std::vector<size_t> usable;
  for (size_t i = 0; i < body->streams.size(); ++i) {
    const ingest::DecodedStream& stream = body->streams[i];
    if (stream.had_problem || stream.refused) {
      ++report->skipped_streams;
      continue;
    }
    Status valid = labels::ValidateLabelSet(stream.labels, labels::ValidationLimits{});
    if (!valid.ok()) {
      Problem(stream.where + ": " + std::string(valid.message()) + "; the stream was skipped", err,
              report);
      ++report->skipped_streams;
      continue;
    }
    if (!stream.entries.empty()) usable.push_back(i);
  }
  return usable;
}

}  // namespace

Result<IngestReport> RunIngest(const IngestOptions& o, std::string_view input, std::FILE* out,
                               std::FILE* err, log::Logger* logger) {
  SILT_RETURN_IF_ERROR(engine::ValidateTenantId(o.tenant));
  if (o.batch_entries == 0) {
    return Status::InvalidArgument("--batch-entries must be at least 1");
  }
  IngestReport report;
  ingest::DecodedPush body = ingest::DecodeLokiPushJson(std::string(input));
  std::vector<size_t> streams = UsableStreams(&body, err, &report);
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<OfflineEngine> offline,
                        OfflineEngine::Open(o.data_dir, /*create=*/true, logger));
  size_t begin = 0;
  while (begin < streams.size()) {
    size_t end = begin;
    size_t entries = 0;
    while (end < streams.size() && entries < o.batch_entries) {
      entries += body.streams[streams[end++]].entries.size();
    }
    SILT_RETURN_IF_ERROR(
        PushRange(offline->engine(), o.tenant, body, streams, begin, end, err, &report));
    begin = end;
  }
  if (o.flush) {
    SILT_RETURN_IF_ERROR(offline->engine().Flush(engine::StorageEngine::FlushScope::kAll));
  }
  SILT_RETURN_IF_ERROR(offline->Close());
  std::fprintf(out,
               "ingest: %zu streams, %zu entries accepted, %zu rejected, %zu streams skipped\n",
               report.streams, report.accepted, report.rejected, report.skipped_streams);
  std::fflush(out);
  return report;
}

}  // namespace silt::aggregator
