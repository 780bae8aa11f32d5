// AgentConfig: silt-agent's YAML configuration (agent.yaml), every option with its default. The
// reference, one table per section with defaults and units, is docs/agent-config.md; a commented
// example ready for packaging is agent/config/agent.example.yaml.
//
// Loading goes through shared/config, so unknown keys, wrong types and invalid values are all
// reported at once, each as "<file>:<line>:<column>: <key path>: <problem>". Beyond types, the
// loader checks what would otherwise fail later: glob syntax (absolute paths), path_labels and
// multiline regexes (RE2), label names and values (shared/labels rules, Loki's limits), that
// every watch ends up with at least one label, the encoding, and ranges of sizes and intervals.
//
// Thread-safety: a value type.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/config/aggregator_config.h"
#include "agent/discovery/discovery.h"
#include "agent/multiline/multiline_rule.h"
#include "agent/tailer/line_splitter.h"
#include "agent/tailer/tailer_set.h"
#include "shared/config/load_options.h"
#include "shared/log/level.h"
#include "shared/status/result.h"

namespace silt::agent {

struct WatchConfig {
  std::vector<std::string> paths;             // absolute globs; required
  std::vector<std::string> exclude;           // globs, or file-name patterns without '/'
  std::map<std::string, std::string> labels;  // merged over the global labels
  std::vector<std::string> path_labels;       // RE2 regexes with named groups
  std::optional<MultilineOptions> multiline;  // none: one line is one entry
  std::string encoding = "utf-8";             // only utf-8 (bytes pass through unchanged)
};

struct AgentConfig {
  struct Positions {
    std::string file = "silt-agent-data/positions";
    int64_t save_interval_ns = 1'000'000'000;  // 1 s
  };
  struct Batching {
    size_t max_lines = 4096;
    int64_t max_bytes = 1 << 20;      // 1 MiB of line text
    int64_t linger_ns = 100'000'000;  // 100 ms
  };
  struct Limits {
    size_t max_open_files = 4096;  // watched paths (rotated files are counted apart)
    size_t max_open_rotated = 32;
    int64_t rotate_wait_ns = 5'000'000'000;            // 5 s
    int64_t forget_after_ns = 24 * 3'600'000'000'000;  // 24 h
  };
  struct DiscoveryConfig {
    WatchMethod method = WatchMethod::kAuto;
    int64_t rescan_interval_ns = 10'000'000'000;  // 10 s
    int64_t poll_interval_ns = 1'000'000'000;     // 1 s
    size_t inotify_max_directories = 0;           // 0: no own limit
    std::vector<std::string> ignored_suffixes = {".gz", ".bz2", ".xz", ".zst"};
  };
  struct Reading {
    int64_t interval_ns = 250'000'000;  // 250 ms
    int64_t chunk_size = 64 * 1024;     // bytes per read call
  };
  struct StatusReporting {
    int64_t log_interval_ns = 60'000'000'000;  // 60 s; 0: off
    std::string metrics_listen;                // "host:port"; empty: no HTTP endpoint
  };

  Positions positions;
  log::Level log_level = log::Level::kInfo;
  std::map<std::string, std::string> labels;  // added to every watch's labels
  ReadFrom read_from = ReadFrom::kHead;
  int64_t max_line_size = 256 * 1024;
  OversizeLinePolicy max_line_size_policy = OversizeLinePolicy::kTruncate;
  std::vector<WatchConfig> watches;
  Batching batch;
  Limits limits;
  DiscoveryConfig discovery;
  Reading read;
  StatusReporting status;
  // Present when agent.yaml has an `aggregator:` section: the agent then ships there (unless
  // --output says otherwise).
  std::optional<AggregatorConfig> aggregator;
};

// Reads and validates the file at `path`. NotFound/PermissionDenied/IOError naming the path when
// it cannot be read; InvalidArgument listing every problem, one "<path>:<line>:<col>: ..." per
// line, when it is not a valid agent config.
Result<AgentConfig> LoadAgentConfig(const std::string& path, config::LoadOptions options = {});
// The same for `text`; `name` stands for the source in messages.
Result<AgentConfig> ParseAgentConfig(std::string_view text, std::string name,
                                     config::LoadOptions options = {});

}  // namespace silt::agent
