// EvalContext: what every node of one metric query's evaluation shares: the engine and tenant
// to read, the step grid, the limits, the deadline, the memory budget and the statistics being
// counted.
// Used by one thread for one query; every pointer must outlive the evaluation.
#pragma once

#include <cstddef>
#include <string>

#include "aggregator/engine/storage_engine.h"
#include "aggregator/logql/exec/query_deadline.h"
#include "aggregator/logql/exec/query_memory.h"
#include "aggregator/logql/exec/query_stats.h"
#include "aggregator/logql/metric/step_values.h"

namespace silt::logql::metric {

struct EvalContext {
  const engine::StorageEngine* engine = nullptr;
  std::string tenant;
  StepGrid grid;
  bool use_blooms = true;
  const exec::QueryDeadline* deadline = nullptr;
  exec::QueryStats* stats = nullptr;
  exec::QueryMemory* memory = nullptr;  // the query's budget; null: nothing is charged
};

}  // namespace silt::logql::metric
