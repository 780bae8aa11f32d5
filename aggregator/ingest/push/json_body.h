// JsonBody: a JSON push body (Loki JSON or simple JSON) while a decoder reads it with simdjson's
// on-demand API: the input bytes and the parser whose string buffer holds the unescaped strings
// (a DecodedPush's `storage` keeps both alive for its views), the one-time UTF-8 repair, and the
// problem of a body that ends early or has trailing bytes (truncated_json.h).
// Thread-safety: a value used by one thread at a time.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "aggregator/ingest/push/rejections.h"
#include "aggregator/ingest/push/truncated_json.h"

namespace silt::ingest {

struct JsonBody {
  // Starts iterating `input` (padding it in place, so a body with spare capacity is not copied)
  // into `doc`. When simdjson finds invalid UTF-8 the first time, replaces it by U+FFFD per byte,
  // as Go's encoding/json (and so Loki) does, and starts again. Returns simdjson's error (SUCCESS
  // when `doc` is ready); `input` and `parser` must outlive `doc`.
  simdjson::error_code Iterate(simdjson::ondemand::document* doc);

  // After the decoder read the whole root of `doc`: records in `rejections` that the body ended
  // early (`closed`, from CloseTruncatedJson) or went on after the root (trailing bytes that
  // CloseTruncatedJson cut, or tokens `doc` still holds), keeping what was read. `position`
  // names a byte offset of `input` in the message ("line 1, column 9", "byte 8"); `kept` names
  // what the decoder keeps ("streams", "entries"). True when the body ended cleanly (nothing
  // recorded).
  bool CheckEnd(const ClosedJson& closed, simdjson::ondemand::document& doc,
                const std::function<std::string(size_t)>& position, std::string_view kept,
                Rejections* rejections) const;

  std::string input;
  simdjson::ondemand::parser parser;
  bool repaired = false;  // invalid UTF-8 was replaced
};

}  // namespace silt::ingest
