// Loki's protobuf push body (POST /loki/api/v1/push, Content-Type application/x-protobuf, what
// Promtail, Alloy and the Loki clients send): a logproto.PushRequest (push.proto) serialised and
// compressed with snappy's block format. Each stream's labels are Prometheus text,
// `{job="api", host="a"}` (shared/labels/label_parser.h); each entry has a
// google.protobuf.Timestamp, a line (bytes, kept as is) and structured metadata pairs.
//
// The message is parsed into a protobuf Arena kept by DecodedPush::storage, and lines are views
// into it: nothing is copied after decompression. A body that is not snappy, decompresses past
// the limit, or does not parse as a PushRequest is refused whole (protobuf has no partial parse
// to trust). Within a parsed request, a stream whose label text does not parse is refused with
// its entries (reason invalid_labels), and an entry whose timestamp is outside int64 nanoseconds
// or negative is refused alone (invalid_entry).
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <string_view>

#include "aggregator/ingest/push/decoded_push.h"
#include "shared/status/result.h"

namespace silt::ingest {

// Decodes `body`. InvalidArgument when the body is not snappy or not a PushRequest, naming what
// is wrong; ResourceExhausted when it would decompress to more than `max_decompressed_bytes`.
// Otherwise per-stream and per-entry problems are in the result's rejections.
Result<DecodedPush> DecodeLokiPushProto(std::string_view body, size_t max_decompressed_bytes);

}  // namespace silt::ingest
