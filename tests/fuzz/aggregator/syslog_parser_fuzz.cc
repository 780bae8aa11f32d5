// Fuzz target for ParseSyslog and the entry mapping (aggregator/ingest/syslog). The input is one
// received message. Parsing must never crash; a parsed message must have facility 0..23,
// severity 0..7 and every view inside the input (or its own unescaped values); whether parsed or
// not, the entry built from it must have labels that pass ValidateLabelSet and metadata names
// that are valid label names, and a raw entry must store the input itself.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "aggregator/ingest/syslog/syslog_batch.h"
#include "aggregator/ingest/syslog/syslog_parser.h"
#include "shared/labels/validation.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

bool Inside(std::string_view part, std::string_view whole) {
  return part.empty() ||
         (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

void CheckMessage(const silt::ingest::SyslogMessage& m, std::string_view text) {
  Check(m.facility >= 0 && m.facility <= 23);
  Check(m.severity >= 0 && m.severity <= 7);
  Check(Inside(m.hostname, text) && Inside(m.app_name, text) && Inside(m.proc_id, text) &&
        Inside(m.msg_id, text) && Inside(m.msg, text));
  for (const silt::ingest::SdParam& p : m.structured_data) {
    Check(Inside(p.id, text) && Inside(p.name, text));
    bool owned = false;
    for (const std::string& v : m.owned_values) owned = owned || Inside(p.value, v);
    Check(owned || Inside(p.value, text));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 128 * 1024) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const silt::ingest::ReceiveContext context{.receive_time_ns = 1'796'000'000'000'000'000,
                                             .utc_offset_seconds = 3600};
  silt::ingest::SyslogMessage message;
  silt::Status parsed = silt::ingest::ParseSyslog(text, context, &message);
  if (parsed.ok()) {
    CheckMessage(message, text);
  } else {
    Check(parsed.code() == silt::StatusCode::kInvalidArgument);
  }
  std::map<std::string, std::string> static_labels{{"job", "syslog"}};
  silt::ingest::SyslogBatch batch(&static_labels);
  Check(batch.Add(text, context, "192.0.2.1") == parsed.ok());
  silt::engine::PushRequest request = batch.BuildRequest("fake");
  Check(request.EntryCount() == 1);
  for (const silt::engine::PushStream& stream : request.streams) {
    Check(silt::labels::ValidateLabelSet(stream.labels, silt::labels::ValidationLimits{}).ok());
    for (const silt::engine::PushEntry& entry : stream.entries) {
      for (const silt::labels::LabelView& m : entry.metadata) {
        Check(silt::labels::IsValidLabelName(m.name) && !m.value.empty());
      }
      if (!parsed.ok()) Check(entry.line == silt::ingest::TrimLineEnd(text));
    }
  }
  return 0;
}
