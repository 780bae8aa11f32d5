#include "aggregator/app/offline_engine.h"

namespace silt::aggregator {

Result<std::unique_ptr<OfflineEngine>> OfflineEngine::Open(const std::string& data_dir,
                                                           bool create, log::Logger* logger) {
  std::unique_ptr<OfflineEngine> offline(new OfflineEngine());
  if (!create && !offline->fs_.FileExists(data_dir)) {
    return Status::NotFound("data directory " + data_dir +
                            " does not exist; pass the server's data_dir with --data-dir");
  }
  engine::EngineOptions options;
  options.fs = &offline->fs_;
  options.clock = &offline->clock_;
  options.logger = logger;
  options.data_dir = data_dir;
  options.background_flush = false;
  SILT_ASSIGN_OR_RETURN(offline->engine_, engine::StorageEngine::Open(options));
  return offline;
}

}  // namespace silt::aggregator
