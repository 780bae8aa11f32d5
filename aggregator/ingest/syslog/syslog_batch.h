// SyslogBatch: syslog messages on their way to the storage engine, turned into entries of
// streams (docs/syslog.md "Labels and metadata"):
//
//   labels    host (HOSTNAME, else the sender's IP), app (APP-NAME / TAG), facility, level
//             (severity as emerg alert crit error warning notice info debug), then the
//             configured static labels (which win on a clash)
//   metadata  msgid, procid, and one `<sd-id>_<param-name>` per SD-PARAM (bytes outside
//             [a-zA-Z0-9_] become '_'; a name starting with a digit or "__" gets "sd_" in front)
//   line      MSG (RFC 5424) or CONTENT (RFC 3164); the whole message when it did not parse,
//             with metadata syslog_error=<why> and labels host=<sender IP> + static labels only
//   time      the message's timestamp, else the receive time
//
// With a pipeline (syslog.pipeline, docs/pipelines.md) each entry then goes through it as it is
// added: a dropped entry is not added, the others join the stream of the labels the pipeline
// gave them, with its timestamp, line and metadata.
//
// Label values are made valid UTF-8 and cut to 2048 bytes; lines are stored as received.
// The batch owns every byte; BuildRequest's views stay valid while the batch lives unchanged.
// Thread-safety: not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "aggregator/engine/push_request.h"
#include "aggregator/ingest/pipeline/listener_pipeline.h"
#include "aggregator/ingest/syslog/syslog_message.h"
#include "aggregator/ingest/syslog/syslog_parser.h"
#include "shared/labels/label_set.h"

namespace silt::ingest {

class SyslogBatch {
 public:
  // `static_labels` (validated names) are added to every stream. `pipeline` (null: none) runs
  // on every entry. Both must outlive the batch.
  explicit SyslogBatch(const std::map<std::string, std::string>* static_labels,
                       const ListenerPipeline* pipeline = nullptr);

  // Parses `text` (one frame or datagram) and adds it parsed or, when it does not parse, raw.
  // Returns true when it parsed.
  bool Add(std::string_view text, const ReceiveContext& context, std::string_view peer_host);
  // Adds a parsed message received at `receive_ns` from `peer_host` (an IP, no port).
  void AddParsed(const SyslogMessage& message, int64_t receive_ns, std::string_view peer_host);
  // Adds `raw` (the message as received, line end removed) that did not parse because `error`.
  void AddRaw(std::string_view raw, std::string_view error, int64_t receive_ns,
              std::string_view peer_host);

  // A request for `tenant` whose views point into this batch (valid until it changes or dies).
  engine::PushRequest BuildRequest(const std::string& tenant);

  bool empty() const { return entries_.empty(); }
  size_t entry_count() const { return entries_.size(); }
  // Approximate bytes held (lines, metadata, labels).
  size_t bytes() const { return bytes_; }

 private:
  struct Entry {
    size_t stream = 0;
    int64_t timestamp = 0;
    std::string line;
    std::vector<labels::Label> metadata;
  };

  // Adds the static labels to `builder`, runs the pipeline (if any) and adds the entry.
  void AddEntry(labels::LabelSetBuilder& builder, int64_t timestamp, std::string_view line,
                std::vector<labels::Label> metadata);
  // Runs the pipeline on the entry and adds what it gives (nothing when it is dropped).
  void AddThroughPipeline(labels::LabelSet set, int64_t timestamp, std::string_view line,
                          const std::vector<labels::Label>& metadata);
  size_t StreamFor(labels::LabelSet set);
  void Add(size_t stream, int64_t timestamp, std::string_view line,
           std::vector<labels::Label> metadata);

  const std::map<std::string, std::string>* static_labels_;
  const ListenerPipeline* pipeline_;
  std::map<labels::LabelSet, size_t> stream_index_;
  std::vector<labels::LabelSet> streams_;
  std::vector<Entry> entries_;
  std::vector<std::vector<labels::LabelView>> metadata_views_;
  size_t bytes_ = 0;
};

// `<sd-id>_<param>` as a valid label name (see the file comment).
std::string StructuredDataName(std::string_view sd_id, std::string_view param);
// `value` as a label value: valid UTF-8, at most 2048 bytes.
std::string LabelValue(std::string_view value);

}  // namespace silt::ingest
