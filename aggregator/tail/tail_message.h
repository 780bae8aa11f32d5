// The JSON text of one Loki tail message (what /loki/api/v1/tail sends in each WebSocket text
// frame, Loki's loghttp.TailResponse):
//
//   {"streams":[{"stream":{"job":"api"},"values":[["1700000000000000000","GET /"]]}],
//    "dropped_entries":[{"labels":{"job":"api"},"timestamp":"1700000000000000001"}]}
//
// Streams appear in the order of their first entry, each with its entries in the given order;
// "dropped_entries" is left out when nothing was dropped. Timestamps are decimal ns strings;
// strings are escaped by json::AppendJsonString. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "shared/labels/label_set.h"

namespace silt::tail {

struct TailEntry {
  labels::LabelSet labels;  // after the query's pipeline
  int64_t timestamp = 0;
  std::string line;
};

// An entry the client did not get (its connection was too slow to take it).
struct TailDrop {
  labels::LabelSet labels;
  int64_t timestamp = 0;
};

std::string EncodeTailMessage(std::span<const TailEntry> entries, std::span<const TailDrop> drops);

}  // namespace silt::tail
