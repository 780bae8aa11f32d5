#include "aggregator/engine/engine_options.h"

namespace silt::engine {

Status ValidateEngineOptions(const EngineOptions& options) {
  auto bad = [](std::string_view field, std::string_view rule) {
    return Status::InvalidArgument("storage engine option " + std::string(field) + ": " +
                                   std::string(rule));
  };
  if (options.fs == nullptr) return bad("fs", "required");
  if (options.clock == nullptr) return bad("clock", "required");
  if (options.data_dir.empty()) return bad("data_dir", "must not be empty");
  SILT_RETURN_IF_ERROR(store::ValidateHeadOptions(options.head));
  // Partition directories are named to the minute (data_layout.h).
  if (options.head.partition_ns % (60 * kSecondNs) != 0) {
    return bad("head.partition_ns", "must be a whole number of minutes (partition directories "
                                    "are named to the minute); got " +
                                        std::to_string(options.head.partition_ns) + " ns");
  }
  SILT_RETURN_IF_ERROR(store::ValidateChunkWriterOptions(options.chunk));
  if (!(options.flush_watermark > 0 && options.flush_watermark <= 1)) {
    return bad("flush_watermark", "must be in (0, 1]");
  }
  if (options.flush_check_interval_ns <= 0) return bad("flush_check_interval", "must be > 0");
  if (options.source_mark_expiry_ns <= 0) return bad("source_mark_expiry", "must be > 0");
  if (options.wal_segment_bytes < 64) return bad("wal_segment_bytes", "must be at least 64");
  return Status::Ok();
}

}  // namespace silt::engine
