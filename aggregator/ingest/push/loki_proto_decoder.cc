#include "aggregator/ingest/push/loki_proto_decoder.h"

#include <google/protobuf/arena.h>
#include <snappy.h>

#include <limits>
#include <memory>
#include <string>

#include "aggregator/ingest/push/push.pb.h"
#include "shared/labels/label_parser.h"

namespace silt::ingest {
namespace {

// The decompressed bytes and the arena the parsed message lives in.
struct ProtoStorage {
  std::string raw;
  google::protobuf::Arena arena;
};

constexpr int64_t kNanosPerSecond = 1'000'000'000;

// Nanoseconds since the epoch, or false when negative, out of int64, or nanos not in [0, 1e9).
bool ToNanos(const google::protobuf::Timestamp& ts, int64_t* out) {
  if (ts.nanos() < 0 || ts.nanos() >= kNanosPerSecond || ts.seconds() < 0 ||
      ts.seconds() > (std::numeric_limits<int64_t>::max() - ts.nanos()) / kNanosPerSecond) {
    return false;
  }
  *out = ts.seconds() * kNanosPerSecond + ts.nanos();
  return true;
}

void ReadStream(const logproto::StreamAdapter& in, size_t index, DecodedPush* out) {
  DecodedStream stream;
  stream.where = "streams[" + std::to_string(index) + "]";
  Result<labels::LabelSet> parsed = labels::ParseLabels(in.labels());
  if (!parsed.ok()) {
    size_t bytes = 0;
    for (const logproto::EntryAdapter& entry : in.entries()) bytes += entry.line().size();
    out->total_entries += static_cast<size_t>(in.entries_size());
    std::string_view text(in.labels());
    out->rejections.Add(kReasonInvalidLabels, static_cast<size_t>(in.entries_size()), bytes,
                        stream.where + ": Error parsing labels '" +
                            std::string(text.substr(0, 256)) +
                            "' with error: " + std::string(parsed.status().message()));
    return;
  }
  stream.labels = std::move(*parsed);
  stream.entries.reserve(static_cast<size_t>(in.entries_size()));
  for (int i = 0; i < in.entries_size(); ++i) {
    const logproto::EntryAdapter& entry = in.entries(i);
    ++out->total_entries;
    DecodedEntry decoded;
    if (!ToNanos(entry.timestamp(), &decoded.timestamp)) {
      stream.had_problem = true;
      out->rejections.Add(kReasonInvalidEntry, 1, entry.line().size(),
                          stream.where + ".entries[" + std::to_string(i) + "]: timestamp " +
                              std::to_string(entry.timestamp().seconds()) + "s " +
                              std::to_string(entry.timestamp().nanos()) +
                              "ns is not a time between 1970 and 2262");
      continue;
    }
    decoded.line = entry.line();
    decoded.metadata_begin = static_cast<uint32_t>(out->metadata.size());
    for (const logproto::LabelPairAdapter& pair : entry.structuredmetadata()) {
      out->metadata.push_back({pair.name(), pair.value()});
    }
    decoded.metadata_count = static_cast<uint32_t>(entry.structuredmetadata_size());
    stream.entries.push_back(decoded);
  }
  out->streams.push_back(std::move(stream));
}

}  // namespace

Result<DecodedPush> DecodeLokiPushProto(std::string_view body, size_t max_decompressed_bytes) {
  size_t length = 0;
  if (!snappy::GetUncompressedLength(body.data(), body.size(), &length)) {
    return Status::InvalidArgument(
        "the protobuf push body is not snappy-compressed (block format): its length header "
        "does not parse; send the PushRequest compressed with snappy.Encode");
  }
  if (length > max_decompressed_bytes) {
    return Status::ResourceExhausted("request body too large: " + std::to_string(length) +
                                     " bytes, limit: " + std::to_string(max_decompressed_bytes) +
                                     " bytes (after snappy decompression)");
  }
  auto storage = std::make_shared<ProtoStorage>();
  if (!snappy::Uncompress(body.data(), body.size(), &storage->raw)) {
    return Status::InvalidArgument("the protobuf push body is corrupt snappy data (" +
                                   std::to_string(body.size()) + " bytes that do not decompress)");
  }
  auto* request = google::protobuf::Arena::CreateMessage<logproto::PushRequest>(&storage->arena);
  if (storage->raw.size() > static_cast<size_t>(std::numeric_limits<int>::max()) ||
      !request->ParseFromArray(storage->raw.data(), static_cast<int>(storage->raw.size()))) {
    return Status::InvalidArgument("the push body decompresses to " +
                                   std::to_string(storage->raw.size()) +
                                   " bytes that are not a protobuf logproto.PushRequest");
  }
  DecodedPush out;
  out.streams.reserve(static_cast<size_t>(request->streams_size()));
  for (int i = 0; i < request->streams_size(); ++i) {
    ReadStream(request->streams(i), static_cast<size_t>(i), &out);
  }
  return FinishDecode(std::move(out), std::move(storage));
}

}  // namespace silt::ingest
