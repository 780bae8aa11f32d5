#include "shared/log/logger.h"

#include "shared/log/fd_sink.h"
#include "shared/log/logfmt.h"
#include "shared/time/timestamp.h"

namespace silt::log {

Logger::Logger(LoggerOptions options)
    : sink_(options.sink), clock_(options.clock), min_level_(options.min_level) {
  if (sink_ == nullptr) {
    owned_sink_ = std::make_unique<FdSink>(2);
    sink_ = owned_sink_.get();
  }
  if (clock_ == nullptr) {
    owned_clock_ = std::make_unique<time::SystemClock>();
    clock_ = owned_clock_.get();
  }
}

Logger::~Logger() = default;

ComponentLogger Logger::WithComponent(std::string component) {
  return ComponentLogger(this, std::move(component));
}

std::string Logger::FormatLine(int64_t wall_nanos, Level level, std::string_view component,
                               std::string_view message, std::span<const Field> fields) {
  std::string line;
  line.reserve(96 + message.size() + 24 * fields.size());
  line += "ts=";
  line += time::FormatRfc3339Fixed(wall_nanos);
  line += " level=";
  line += LevelName(level);
  if (!component.empty()) {
    line += " component=";
    AppendLogfmtValue(&line, component);
  }
  line += " msg=";
  AppendLogfmtValue(&line, message);
  for (const Field& field : fields) {
    line += ' ';
    AppendLogfmtKey(&line, field.key);
    line += '=';
    field.value.AppendTo(&line);
  }
  line += '\n';
  return line;
}

void Logger::Write(Level level, std::string_view component, std::string_view message,
                   std::span<const Field> fields) {
  sink_->Write(FormatLine(clock_->WallNanos(), level, component, message, fields));
}

}  // namespace silt::log
