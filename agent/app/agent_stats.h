// AgentStats: one snapshot of every component's counters, taken on the loop thread for the
// metrics registry and the periodic status line.
// Thread-safety: a value type.
#pragma once

#include "agent/discovery/discovery.h"
#include "agent/multiline/multiline_joiner.h"
#include "agent/sink/sink_stats.h"
#include "agent/tailer/tailer_set.h"

namespace silt::agent {

struct AgentStats {
  TailerStats tailer;
  DiscoveryStats discovery;
  MultilineStats multiline;
  SinkStats output;
  uint64_t positions_save_errors = 0;
  uint64_t label_values_rejected = 0;  // path_labels captures dropped (invalid UTF-8, too long)
};

}  // namespace silt::agent
