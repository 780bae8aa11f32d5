// Engine metrics: the storage engine's counters (EngineStats, ChunkReadCounters) and head size
// exported as silt_engine_* families, read at scrape time. docs/aggregator-config.md lists them.
// Thread-safety: the callbacks run on the scraping thread; `engine` must be safe to call there
// and may return nullptr (before the engine is open, or after it closed), which reads as 0.
#pragma once

#include <functional>

#include "aggregator/engine/storage_engine.h"
#include "shared/metrics/registry.h"
#include "shared/status/status.h"

namespace silt::aggregator {

// Registers every silt_engine_* family in `registry`. `engine` must stay callable for as long as
// the registry may be scraped. InvalidArgument when a name is already registered.
Status RegisterEngineMetrics(std::function<const engine::StorageEngine*()> engine,
                             metrics::Registry* registry);

}  // namespace silt::aggregator
