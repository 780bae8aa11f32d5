#include "agent/app/self_metrics.h"

namespace silt::agent {
namespace {

struct Definition {
  const char* name;
  const char* help;
  uint64_t (*read)(const AgentStats&);
};

constexpr Definition kCounters[] = {
    {"silt_agent_read_bytes_total", "Bytes read from tailed files.",
     [](const AgentStats& s) { return s.tailer.bytes_read; }},
    {"silt_agent_read_lines_total", "Lines read from tailed files, before multiline joining.",
     [](const AgentStats& s) { return s.tailer.lines_read; }},
    {"silt_agent_rotations_total",
     "Watched paths whose file was renamed away, replaced or deleted.",
     [](const AgentStats& s) { return s.tailer.rotations; }},
    {"silt_agent_truncations_total", "Files truncated or rewritten in place (copytruncate).",
     [](const AgentStats& s) { return s.tailer.truncations; }},
    {"silt_agent_copies_recovered_total", "Truncated sources continued in their rotated copy.",
     [](const AgentStats& s) { return s.tailer.copies_recovered; }},
    {"silt_agent_rotated_found_total", "Rotated files found that the agent had not seen yet.",
     [](const AgentStats& s) { return s.tailer.rotated_found; }},
    {"silt_agent_dropped_bytes_total",
     "Unread bytes of rotated files closed because max_open_rotated was reached.",
     [](const AgentStats& s) { return s.tailer.bytes_dropped; }},
    {"silt_agent_rotated_abandoned_total", "Rotated files closed before their end.",
     [](const AgentStats& s) { return s.tailer.rotated_abandoned; }},
    {"silt_agent_truncated_lines_total", "Lines cut to max_line_size.",
     [](const AgentStats& s) { return s.tailer.lines_truncated; }},
    {"silt_agent_skipped_lines_total", "Lines dropped for their size (max_line_size_policy skip).",
     [](const AgentStats& s) { return s.tailer.lines_skipped; }},
    {"silt_agent_skipped_bytes_total", "Bytes of skipped lines and of truncated lines' tails.",
     [](const AgentStats& s) { return s.tailer.bytes_skipped; }},
    {"silt_agent_files_opened_total", "Sources started, resumed or continued in a copy.",
     [](const AgentStats& s) { return s.tailer.files_opened; }},
    {"silt_agent_files_closed_total", "Rotated files drained and closed, or abandoned.",
     [](const AgentStats& s) { return s.tailer.files_closed; }},
    {"silt_agent_tail_errors_total", "Failed stat, open, read or list calls on tailed files.",
     [](const AgentStats& s) { return s.tailer.errors; }},
    {"silt_agent_discovery_scans_total", "Evaluations of the watches' globs.",
     [](const AgentStats& s) { return s.discovery.scans; }},
    {"silt_agent_watch_events_total", "Change reports from inotify and the stat poller.",
     [](const AgentStats& s) { return s.discovery.events; }},
    {"silt_agent_watch_fallbacks_total",
     "Directories polled with stat because inotify was refused or cannot work there.",
     [](const AgentStats& s) { return s.discovery.fallbacks; }},
    {"silt_agent_multiline_entries_total", "Entries emitted by multiline joining.",
     [](const AgentStats& s) { return s.multiline.entries; }},
    {"silt_agent_multiline_timeout_flushes_total", "Multiline entries ended by flush_timeout.",
     [](const AgentStats& s) { return s.multiline.timeout_flushes; }},
    {"silt_agent_output_entries_total", "Entries written by the output.",
     [](const AgentStats& s) { return s.output.entries; }},
    {"silt_agent_output_bytes_total", "Bytes written by the output.",
     [](const AgentStats& s) { return s.output.bytes; }},
    {"silt_agent_output_errors_total", "Failed writes of the output.",
     [](const AgentStats& s) { return s.output.write_errors; }},
    {"silt_agent_positions_save_errors_total", "Failed writes of the positions file.",
     [](const AgentStats& s) { return s.positions_save_errors; }},
    {"silt_agent_label_values_rejected_total",
     "path_labels captures dropped for invalid UTF-8 or length.",
     [](const AgentStats& s) { return s.label_values_rejected; }},
};

constexpr Definition kGauges[] = {
    {"silt_agent_watched_paths", "Paths the watches match that the agent tails.",
     [](const AgentStats& s) { return s.discovery.watched_paths; }},
    {"silt_agent_paths_over_limit", "Matching paths not tailed because of max_open_files.",
     [](const AgentStats& s) { return s.discovery.paths_over_limit; }},
    {"silt_agent_open_files", "Open files, rotated ones included.",
     [](const AgentStats& s) { return s.tailer.open_files; }},
    {"silt_agent_open_rotated_files", "Rotated files still being drained.",
     [](const AgentStats& s) { return s.tailer.open_rotated_files; }},
    {"silt_agent_lag_bytes", "Bytes in open files not read yet.",
     [](const AgentStats& s) { return s.tailer.lag_bytes; }},
    {"silt_agent_multiline_held_entries", "Multiline entries being assembled.",
     [](const AgentStats& s) { return s.multiline.held_entries; }},
    {"silt_agent_discovery_scan_errors", "Unreadable directories or files in the last scan.",
     [](const AgentStats& s) { return s.discovery.scan_errors; }},
};

}  // namespace

Result<std::unique_ptr<SelfMetrics>> SelfMetrics::Create(metrics::Registry* registry) {
  std::unique_ptr<SelfMetrics> self(new SelfMetrics());
  for (const Definition& d : kCounters) {
    SILT_ASSIGN_OR_RETURN(metrics::Counter * counter, registry->RegisterCounter(d.name, d.help));
    self->counters_.push_back({counter, d.read});
  }
  for (const Definition& d : kGauges) {
    SILT_ASSIGN_OR_RETURN(metrics::Gauge * gauge, registry->RegisterGauge(d.name, d.help));
    self->gauges_.push_back({gauge, d.read});
  }
  SILT_ASSIGN_OR_RETURN(metrics::GaugeFamily * directories,
                        registry->RegisterGaugeFamily(
                            "silt_agent_watch_directories",
                            "Directories watched, by method (inotify or poll).", {"method"}));
  self->gauges_.push_back({&directories->WithLabels({"inotify"}),
                           [](const AgentStats& s) { return s.discovery.inotify_directories; }});
  self->gauges_.push_back({&directories->WithLabels({"poll"}),
                           [](const AgentStats& s) { return s.discovery.polled_directories; }});
  return self;
}

void SelfMetrics::Update(const AgentStats& stats) {
  for (CounterBinding& binding : counters_) {
    const uint64_t now = binding.read(stats);
    if (now > binding.last) binding.counter->Inc(now - binding.last);
    binding.last = now;
  }
  for (GaugeBinding& binding : gauges_) {
    binding.gauge->Set(static_cast<double>(binding.read(stats)));
  }
}

}  // namespace silt::agent
