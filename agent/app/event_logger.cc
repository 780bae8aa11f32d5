#include "agent/app/event_logger.h"

#include <cinttypes>
#include <cstdio>

namespace silt::agent {
namespace {

std::string SourceHex(uint64_t source_id) {
  char text[17];
  std::snprintf(text, sizeof(text), "%016" PRIx64, source_id);
  return text;
}

log::Level LevelOf(TailerEvent::Kind kind) {
  switch (kind) {
    case TailerEvent::Kind::kAbandoned:
      return log::Level::kWarn;
    case TailerEvent::Kind::kError:
      return log::Level::kError;
    default:
      return log::Level::kInfo;
  }
}

}  // namespace

const char* EventKindName(TailerEvent::Kind kind) {
  switch (kind) {
    case TailerEvent::Kind::kOpened:
      return "opened";
    case TailerEvent::Kind::kResumed:
      return "resumed";
    case TailerEvent::Kind::kRotated:
      return "rotated";
    case TailerEvent::Kind::kFoundRotated:
      return "found_rotated";
    case TailerEvent::Kind::kTruncated:
      return "truncated";
    case TailerEvent::Kind::kCopyRecovered:
      return "copy_recovered";
    case TailerEvent::Kind::kCopySeen:
      return "copy_seen";
    case TailerEvent::Kind::kClosed:
      return "closed";
    case TailerEvent::Kind::kAbandoned:
      return "abandoned";
    case TailerEvent::Kind::kError:
      return "error";
  }
  return "unknown";
}

void EventLogger::Log(const std::vector<TailerEvent>& events) {
  for (const TailerEvent& event : events) {
    if (event.kind == TailerEvent::Kind::kError) {
      auto [it, inserted] = last_error_.try_emplace(event.path, event.message);
      if (!inserted && it->second == event.message) {
        ++suppressed_;
        continue;
      }
      it->second = event.message;
    } else if (event.kind == TailerEvent::Kind::kOpened ||
               event.kind == TailerEvent::Kind::kResumed) {
      last_error_.erase(event.path);
    }
    const std::string source = event.source_id == 0 ? std::string() : SourceHex(event.source_id);
    log_.Log(LevelOf(event.kind), event.message,
             {{"event", EventKindName(event.kind)}, {"path", event.path}, {"source", source}});
  }
}

}  // namespace silt::agent
