#include "aggregator/app/ingest_command.h"

#include <memory>
#include <vector>

#include "aggregator/app/loki_push_json.h"
#include "aggregator/app/offline_engine.h"
#include "aggregator/engine/data_layout.h"

namespace silt::aggregator {
namespace {

// Owns the metadata views a PushRequest points at.
struct Batch {
  engine::PushRequest request;
  std::vector<std::vector<labels::LabelView>> metadata;  // per entry, stable (reserved)
};

Batch MakeBatch(const std::string& tenant, const std::vector<PushJsonStream>& streams,
                size_t begin, size_t end) {
  Batch batch;
  batch.request.tenant = tenant;
  size_t entries = 0;
  for (size_t i = begin; i < end; ++i) entries += streams[i].entries.size();
  batch.metadata.reserve(entries);
  for (size_t i = begin; i < end; ++i) {
    engine::PushStream stream{streams[i].labels, {}};
    for (const PushJsonEntry& entry : streams[i].entries) {
      std::vector<labels::LabelView>& views = batch.metadata.emplace_back();
      for (const labels::Label& pair : entry.metadata) views.push_back({pair.name, pair.value});
      stream.entries.push_back({entry.timestamp, entry.line, views});
    }
    batch.request.streams.push_back(std::move(stream));
  }
  return batch;
}

void Problem(const std::string& text, std::FILE* err, IngestReport* report) {
  std::fprintf(err, "silt-aggregator ingest: %s\n", text.c_str());
  ++report->problems;
}

// Pushes streams [begin, end); an invalid batch of several streams is retried one by one.
Status PushRange(engine::StorageEngine& engine, const std::string& tenant,
                 const std::vector<PushJsonStream>& streams, size_t begin, size_t end,
                 std::FILE* err, IngestReport* report) {
  Batch batch = MakeBatch(tenant, streams, begin, end);
  Result<engine::PushOutcome> outcome = engine.PushSync(std::move(batch.request));
  if (!outcome.ok() && outcome.status().code() == StatusCode::kInvalidArgument) {
    if (end - begin > 1) {
      for (size_t i = begin; i < end; ++i) {
        SILT_RETURN_IF_ERROR(PushRange(engine, tenant, streams, i, i + 1, err, report));
      }
      return Status::Ok();
    }
    Problem("stream " + streams[begin].labels.ToString() + " refused: " +
                std::string(outcome.status().message()),
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

}  // namespace

Result<IngestReport> RunIngest(const IngestOptions& o, std::string_view input, std::FILE* out,
                               std::FILE* err, log::Logger* logger) {
  SILT_RETURN_IF_ERROR(engine::ValidateTenantId(o.tenant));
  if (o.batch_entries == 0) {
    return Status::InvalidArgument("--batch-entries must be at least 1");
  }
  IngestReport report;
  PushJsonBody body = ParseLokiPushJson(input, labels::ValidationLimits{});
  for (const std::string& problem : body.problems) Problem(problem, err, &report);
  report.skipped_streams = body.problems.size();
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<OfflineEngine> offline,
                        OfflineEngine::Open(o.data_dir, /*create=*/true, logger));
  size_t begin = 0;
  while (begin < body.streams.size()) {
    size_t end = begin;
    size_t entries = 0;
    while (end < body.streams.size() && entries < o.batch_entries) {
      entries += body.streams[end++].entries.size();
    }
    SILT_RETURN_IF_ERROR(
        PushRange(offline->engine(), o.tenant, body.streams, begin, end, err, &report));
    begin = end;
  }
  if (o.flush) {
    SILT_RETURN_IF_ERROR(offline->engine().Flush(engine::StorageEngine::FlushScope::kAll));
  }
  SILT_RETURN_IF_ERROR(offline->Close());
  std::fprintf(out, "ingest: %zu streams, %zu entries accepted, %zu rejected, %zu streams skipped\n",
               report.streams, report.accepted, report.rejected, report.skipped_streams);
  std::fflush(out);
  return report;
}

}  // namespace silt::aggregator
