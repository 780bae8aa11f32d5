// Logger: Silt's structured logger. Each call writes one logfmt line to a Sink, e.g.
//   ts=2026-11-22T01:52:03.123456789Z level=info component=wal msg="segment rotated"
//   path=/var/lib/silt/wal/0000000000000001.wal bytes=67108864
// (one line): `ts` (UTC, fixed 9 fraction digits so lines sort by time) from the injected Clock,
// `level`, `component` (left out when empty), `msg`, then the caller's fields in order. Fields
// named ts/level/component/msg are not renamed; avoid them.
//
// There is no global logger: each binary's main() builds one Logger (from the log level in its
// config) and passes a `Logger&` or a ComponentLogger down through constructors and Options,
// like any other dependency. Tests pass a Logger over a MemorySink and a FakeClock.
//
// Thread-safe: any thread may log at any time; each line reaches the sink whole. A call below the
// minimum level returns after one relaxed atomic load, without formatting anything.
#pragma once

#include <atomic>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "shared/log/field.h"
#include "shared/log/level.h"
#include "shared/log/sink.h"
#include "shared/time/clock.h"

namespace silt::log {

struct LoggerOptions {
  // Lines below this level are dropped. Changeable later with SetMinLevel.
  Level min_level = Level::kInfo;
  // Where lines go; not owned, must outlive the Logger. nullptr: stderr (an owned FdSink).
  Sink* sink = nullptr;
  // Source of `ts`; not owned, must outlive the Logger. nullptr: an owned SystemClock.
  const time::Clock* clock = nullptr;
};

class ComponentLogger;

class Logger {
 public:
  explicit Logger(LoggerOptions options = {});
  ~Logger();
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  bool Enabled(Level level) const {
    return static_cast<int>(level) >= static_cast<int>(min_level_.load(std::memory_order_relaxed));
  }
  Level min_level() const { return min_level_.load(std::memory_order_relaxed); }
  // Takes effect for calls that start after it returns (e.g. on a config reload).
  void SetMinLevel(Level level) { min_level_.store(level, std::memory_order_relaxed); }

  // Writes one line if `level` is enabled. `component` names the subsystem ("wal", "tailer").
  void Log(Level level, std::string_view component, std::string_view message,
           std::initializer_list<Field> fields = {}) {
    if (Enabled(level)) Write(level, component, message, {fields.begin(), fields.size()});
  }
  // The same with fields built at run time.
  void Log(Level level, std::string_view component, std::string_view message,
           std::span<const Field> fields) {
    if (Enabled(level)) Write(level, component, message, fields);
  }

  void Debug(std::string_view component, std::string_view message,
             std::initializer_list<Field> fields = {}) {
    Log(Level::kDebug, component, message, fields);
  }
  void Info(std::string_view component, std::string_view message,
            std::initializer_list<Field> fields = {}) {
    Log(Level::kInfo, component, message, fields);
  }
  void Warn(std::string_view component, std::string_view message,
            std::initializer_list<Field> fields = {}) {
    Log(Level::kWarn, component, message, fields);
  }
  void Error(std::string_view component, std::string_view message,
             std::initializer_list<Field> fields = {}) {
    Log(Level::kError, component, message, fields);
  }

  // A handle that logs with `component` filled in; it refers to this Logger, which must outlive it.
  ComponentLogger WithComponent(std::string component);

  // The line Log would write for these arguments at wall time `wall_nanos`, with its '\n'.
  static std::string FormatLine(int64_t wall_nanos, Level level, std::string_view component,
                                std::string_view message, std::span<const Field> fields);

 private:
  void Write(Level level, std::string_view component, std::string_view message,
             std::span<const Field> fields);

  std::unique_ptr<Sink> owned_sink_;
  std::unique_ptr<time::Clock> owned_clock_;
  Sink* sink_;
  const time::Clock* clock_;
  std::atomic<Level> min_level_;
};

// A Logger plus a fixed component, handed to a subsystem so its calls read
// `log_.Info("segment rotated", {{"path", path}})`. Cheap to copy; as thread-safe as Logger.
class ComponentLogger {
 public:
  // `logger` is not owned and must outlive this object.
  ComponentLogger(Logger* logger, std::string component)
      : logger_(logger), component_(std::move(component)) {}

  bool Enabled(Level level) const { return logger_->Enabled(level); }
  const std::string& component() const { return component_; }
  Logger& logger() const { return *logger_; }

  void Log(Level level, std::string_view message, std::initializer_list<Field> fields = {}) {
    logger_->Log(level, component_, message, fields);
  }
  void Debug(std::string_view message, std::initializer_list<Field> fields = {}) {
    logger_->Log(Level::kDebug, component_, message, fields);
  }
  void Info(std::string_view message, std::initializer_list<Field> fields = {}) {
    logger_->Log(Level::kInfo, component_, message, fields);
  }
  void Warn(std::string_view message, std::initializer_list<Field> fields = {}) {
    logger_->Log(Level::kWarn, component_, message, fields);
  }
  void Error(std::string_view message, std::initializer_list<Field> fields = {}) {
    logger_->Log(Level::kError, component_, message, fields);
  }

 private:
  Logger* logger_;
  std::string component_;
};

}  // namespace silt::log
