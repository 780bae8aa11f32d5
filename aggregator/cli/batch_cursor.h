// BatchCursor: reads a long log query as a series of query_range requests of at most `batch`
// entries each, without gaps or repeats at batch boundaries (`silt query --limit 0`, `export`).
//
// Loki's query_range includes start and excludes end, answers the first `limit` entries in the
// query direction, and many entries may share one timestamp, so a batch can end in the middle of
// the entries of its last timestamp T. The next request therefore starts again at T (backward:
// end = T + 1; forward: start = T) and the cursor drops the entries it already handed out at T:
// it keeps a multiset of (stream, line) of the entries given out at T (exact strings, no hashes,
// so equal lines of one stream at one timestamp are counted, not merged). When a full batch
// brings nothing new (more entries share T than fit in one batch) the next request asks for
// twice as many; otherwise it asks for `batch` again. The cursor never talks to the network:
// Next() says what to ask for, Accept() takes the answer.
//
// Thread-compatible.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "aggregator/cli/loki_response.h"
#include "aggregator/cli/time_range.h"

namespace silt::cli {

enum class Direction { kBackward, kForward };

// One entry of a streams result with its stream, after merging the streams of an answer.
struct FlatEntry {
  std::shared_ptr<const LabelPairs> labels;
  std::string stream_key;  // canonical {a="x", b="y"}: identifies the stream
  LogEntry entry;
};

// Merges the streams of `result` (resultType streams) into one list in `direction` order:
// by timestamp, ties by stream_key, then by the server's order within the stream.
std::vector<FlatEntry> FlattenStreams(QueryResult result, Direction direction);

// The canonical text of `labels`: {a="x", b="y"} with \\, \" and \n escaped in values.
std::string CanonicalLabels(const LabelPairs& labels);

struct BatchRequest {
  TimeRange range;
  int64_t limit = 0;
};

class BatchCursor {
 public:
  // Reads [range.start_ns, range.end_ns) in `direction`; `limit` is the most entries to hand
  // out in total (0 = all); `batch` the entries per request (positive).
  BatchCursor(TimeRange range, Direction direction, int64_t limit, int64_t batch);

  // True once every entry of the range (or `limit` of them) was handed out.
  bool done() const { return done_; }
  // The next request. Precondition: !done().
  BatchRequest Next() const;
  // Takes the answer to Next(), sorted in the direction (FlattenStreams), and returns the
  // entries not handed out before, in order, at most what is left of the limit.
  std::vector<FlatEntry> Accept(std::vector<FlatEntry> batch);

  // Entries handed out so far.
  int64_t emitted() const { return emitted_; }

 private:
  static std::string DedupKey(const FlatEntry& entry);
  void MoveBoundary(const std::vector<FlatEntry>& batch, const std::vector<FlatEntry>& fresh);

  TimeRange window_;
  Direction direction_;
  int64_t limit_;
  int64_t batch_;
  int64_t request_limit_;
  int64_t emitted_ = 0;
  bool done_ = false;
  bool has_boundary_ = false;
  int64_t boundary_ns_ = 0;
  // (stream, line) -> how many entries with that pair were handed out at boundary_ns_.
  std::unordered_map<std::string, int64_t> boundary_seen_;
  int64_t boundary_count_ = 0;
};

}  // namespace silt::cli
