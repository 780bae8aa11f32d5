// SyslogEnv: what the syslog TCP sessions, the UDP receiver and their BatchPushers share
// (owned by the SyslogService; everything must outlive them).
// Thread-safety: read-only after setup; used on the loop thread.
#pragma once

#include <memory>

#include "aggregator/ingest/pipeline/listener_pipeline.h"
#include "aggregator/ingest/syslog/syslog_metrics.h"
#include "aggregator/ingest/syslog/syslog_options.h"
#include "aggregator/server/agent_session.h"
#include "aggregator/server/completion_mailbox.h"
#include "shared/log/logger.h"
#include "shared/time/clock.h"
#include "shared/time/timer_service.h"

namespace silt::ingest {

struct SyslogEnv {
  const SyslogOptions* options = nullptr;
  const SyslogMetrics* metrics = nullptr;
  // syslog.pipeline; null when none is configured.
  const ListenerPipeline* pipeline = nullptr;
  // StorageEngine::Push's contract; may complete on any thread.
  server::PushFn push;
  // Brings push outcomes back to the loop.
  std::shared_ptr<server::CompletionMailbox> mailbox;
  time::TimerService* timers = nullptr;
  const time::Clock* clock = nullptr;
  log::Logger* logger = nullptr;
};

}  // namespace silt::ingest
