#include "aggregator/app/engine_metrics.h"

#include <atomic>
#include <memory>
#include <utility>

namespace silt::aggregator {
namespace {

using EngineGetter = std::shared_ptr<const std::function<const engine::StorageEngine*()>>;

struct CounterSpec {
  const char* name;
  const char* help;
  // The counter inside the engine.
  const std::atomic<uint64_t>& (*field)(const engine::StorageEngine& e);
};

#define SILT_STAT(member) \
  [](const engine::StorageEngine& e) -> const std::atomic<uint64_t>& { return e.stats().member; }
#define SILT_READ(member)                                              \
  [](const engine::StorageEngine& e) -> const std::atomic<uint64_t>& { \
    return e.read_counters().member;                                   \
  }

const CounterSpec kCounters[] = {
    {"silt_engine_pushes_total", "Pushes the storage engine accepted.", SILT_STAT(pushes)},
    {"silt_engine_entries_accepted_total", "Entries written durably (duplicates included).",
     SILT_STAT(entries_accepted)},
    {"silt_engine_entries_rejected_total", "Entries refused (too old for the head).",
     SILT_STAT(entries_rejected)},
    {"silt_engine_entries_redelivered_total",
     "Entries skipped as already stored from an earlier delivery.", SILT_STAT(entries_redelivered)},
    {"silt_engine_pushes_refused_memory_total", "Pushes refused because the head was full.",
     SILT_STAT(pushes_refused_memory)},
    {"silt_engine_flushes_total", "Head partitions written as chunk files.", SILT_STAT(flushes)},
    {"silt_engine_flush_failures_total", "Chunk file writes that failed (retried later).",
     SILT_STAT(flush_failures)},
    {"silt_engine_chunk_bytes_written_total", "Bytes of chunk files written.",
     SILT_STAT(chunk_bytes_written)},
    {"silt_engine_checkpoints_total", "WAL checkpoints taken after flushes.",
     SILT_STAT(checkpoints)},
    {"silt_engine_chunks_opened_total", "Chunk files opened for reading.",
     SILT_READ(chunks_opened)},
    {"silt_engine_corrupt_chunks_total", "Chunk files that failed to open as corrupt.",
     SILT_READ(corrupt_chunks)},
    {"silt_engine_blocks_read_total", "Chunk blocks read from disk and decompressed.",
     SILT_READ(blocks_read)},
    {"silt_engine_block_bytes_read_total", "Compressed bytes of the blocks read.",
     SILT_READ(block_bytes_read)},
    {"silt_engine_block_cache_hits_total", "Blocks served from the block cache.",
     SILT_READ(block_cache_hits)},
    {"silt_engine_blocks_rejected_total", "Blocks a query skipped (bloom or content filter).",
     SILT_READ(blocks_rejected)},
    {"silt_engine_corrupt_blocks_total", "Blocks that failed their checksum or to decode.",
     SILT_READ(corrupt_blocks)},
    {"silt_engine_blooms_read_total", "Block bloom filters read.", SILT_READ(blooms_read)},
    {"silt_engine_corrupt_blooms_total", "Bloom filters that failed to decode.",
     SILT_READ(corrupt_blooms)},
};

#undef SILT_STAT
#undef SILT_READ

}  // namespace

Status RegisterEngineMetrics(std::function<const engine::StorageEngine*()> engine,
                             metrics::Registry* registry) {
  EngineGetter get =
      std::make_shared<const std::function<const engine::StorageEngine*()>>(std::move(engine));
  for (const CounterSpec& spec : kCounters) {
    auto field = spec.field;
    SILT_RETURN_IF_ERROR(registry->RegisterCallback(
        spec.name, spec.help, metrics::MetricType::kCounter, [get, field]() -> double {
          const engine::StorageEngine* e = (*get)();
          return e == nullptr ? 0.0 : static_cast<double>(field(*e).load());
        }));
  }
  return registry->RegisterCallback(
      "silt_engine_head_bytes", "Bytes the in-memory head holds (entries not yet in chunk files).",
      metrics::MetricType::kGauge, [get]() -> double {
        const engine::StorageEngine* e = (*get)();
        return e == nullptr ? 0.0 : static_cast<double>(e->head().bytes());
      });
}

}  // namespace silt::aggregator
