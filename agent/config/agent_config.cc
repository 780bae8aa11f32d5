#include "agent/config/agent_config.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "agent/discovery/glob_pattern.h"
#include "agent/discovery/path_labeler.h"
#include "shared/config/document.h"
#include "shared/labels/label_set.h"
#include "shared/labels/validation.h"

namespace silt::agent {
namespace {

using config::ObjectReader;

constexpr int64_t kMaxLineSizeLimit = 64 << 20;

void CheckGlobs(ObjectReader& r, std::string_view key, const std::vector<std::string>& patterns,
                bool name_patterns_allowed) {
  for (const std::string& pattern : patterns) {
    const bool name_only = name_patterns_allowed && pattern.find('/') == std::string::npos;
    Result<std::vector<std::string>> expanded = ExpandBraces(pattern);
    if (!expanded.ok()) {
      r.AddError(key, expanded.status().message());
      continue;
    }
    for (const std::string& alternative : *expanded) {
      Status status =
          name_only ? CheckNamePattern(alternative) : GlobPattern::Compile(alternative).status();
      if (!status.ok()) r.AddError(key, status.message());
    }
  }
}

labels::LabelSet ToLabelSet(const std::map<std::string, std::string>& base,
                            const std::map<std::string, std::string>& extra) {
  labels::LabelSetBuilder builder;
  for (const auto& [name, value] : base) builder.Set(name, value);
  for (const auto& [name, value] : extra) builder.Set(name, value);
  return builder.Build();
}

void CheckLabels(ObjectReader& r, const std::map<std::string, std::string>& global,
                 const WatchConfig& watch) {
  const labels::LabelSet merged = ToLabelSet(global, watch.labels);
  if (merged.empty() && watch.path_labels.empty()) {
    r.AddError("labels",
               "the watch has no labels; give it at least one (labels: {job: myapp}) here or "
               "in the top-level labels, since streams without labels are rejected");
    return;
  }
  if (merged.empty()) return;
  Status valid = labels::ValidateLabelSet(merged, labels::ValidationLimits{});
  if (!valid.ok()) r.AddError("labels", valid.message());
}

void ReadMultiline(ObjectReader& w, WatchConfig* watch) {
  w.Object("multiline", [&](ObjectReader& m) {
    MultilineOptions options;
    m.Required("start_pattern", &options.start_pattern);
    m.Optional("max_lines", &options.max_lines);
    m.Optional("flush_timeout", &options.flush_timeout_ns, config::Duration{});
    if (options.start_pattern.empty()) return;  // reported by Required
    Result<MultilineRule> rule = MultilineRule::Create(options);
    if (!rule.ok()) {
      const std::string_view key = options.max_lines == 0          ? "max_lines"
                                   : options.flush_timeout_ns <= 0 ? "flush_timeout"
                                                                   : "start_pattern";
      m.AddError(key, rule.status().message());
      return;
    }
    watch->multiline = std::move(options);
  });
}

void ReadEncoding(ObjectReader& w, WatchConfig* watch) {
  std::string encoding;
  if (!w.Optional("encoding", &encoding)) return;
  std::string lower = encoding;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower != "utf-8" && lower != "utf8") {
    w.AddError("encoding", "encoding \"" + encoding +
                               "\" is not supported; only utf-8 is (lines pass through as bytes, "
                               "so ASCII and UTF-8 logs need no setting)");
    return;
  }
  watch->encoding = "utf-8";
}

void ReadWatch(ObjectReader& w, const AgentConfig& config, WatchConfig* watch) {
  if (w.Required("paths", &watch->paths) && watch->paths.empty()) {
    w.AddError("paths", "the list is empty; give at least one glob such as /var/log/*.log");
  }
  CheckGlobs(w, "paths", watch->paths, false);
  w.Optional("exclude", &watch->exclude);
  CheckGlobs(w, "exclude", watch->exclude, true);
  w.Optional("labels", &watch->labels);
  if (w.Optional("path_labels", &watch->path_labels)) {
    Result<PathLabeler> labeler = PathLabeler::Create(watch->path_labels);
    if (!labeler.ok()) w.AddError("path_labels", labeler.status().message());
  }
  ReadMultiline(w, watch);
  ReadEncoding(w, watch);
  CheckLabels(w, config.labels, *watch);
}

template <typename T>
void CheckPositive(ObjectReader& r, std::string_view key, T value, std::string_view what) {
  if (value <= 0) r.AddError(key, std::string(what) + " must be greater than 0");
}

void ReadTuning(ObjectReader& r, AgentConfig* c) {
  r.Object("batch", [&](ObjectReader& b) {
    if (b.Optional("max_lines", &c->batch.max_lines)) {
      CheckPositive(b, "max_lines", c->batch.max_lines, "max_lines");
    }
    if (b.Optional("max_bytes", &c->batch.max_bytes, config::ByteSize{})) {
      CheckPositive(b, "max_bytes", c->batch.max_bytes, "max_bytes");
    }
    b.Optional("linger", &c->batch.linger_ns, config::Duration{});
  });
  r.Object("limits", [&](ObjectReader& l) {
    l.Optional("max_open_files", &c->limits.max_open_files);
    if (l.Optional("max_open_rotated", &c->limits.max_open_rotated)) {
      CheckPositive(l, "max_open_rotated", c->limits.max_open_rotated, "max_open_rotated");
    }
    l.Optional("rotate_wait", &c->limits.rotate_wait_ns, config::Duration{});
    l.Optional("forget_after", &c->limits.forget_after_ns, config::Duration{});
  });
  r.Object("read", [&](ObjectReader& rd) {
    if (rd.Optional("interval", &c->read.interval_ns, config::Duration{})) {
      CheckPositive(rd, "interval", c->read.interval_ns, "the read interval");
    }
    if (rd.Optional("chunk_size", &c->read.chunk_size, config::ByteSize{}) &&
        (c->read.chunk_size < 4096 || c->read.chunk_size > (16 << 20))) {
      rd.AddError("chunk_size", "chunk_size must be between 4KiB and 16MiB");
    }
  });
}

void ReadDiscovery(ObjectReader& r, AgentConfig* c) {
  r.Object("discovery", [&](ObjectReader& d) {
    d.Enum("method", &c->discovery.method,
           {{"auto", WatchMethod::kAuto}, {"poll", WatchMethod::kPoll}});
    if (d.Optional("rescan_interval", &c->discovery.rescan_interval_ns, config::Duration{})) {
      CheckPositive(d, "rescan_interval", c->discovery.rescan_interval_ns, "rescan_interval");
    }
    if (d.Optional("poll_interval", &c->discovery.poll_interval_ns, config::Duration{})) {
      CheckPositive(d, "poll_interval", c->discovery.poll_interval_ns, "poll_interval");
    }
    d.Optional("inotify_max_directories", &c->discovery.inotify_max_directories);
    d.Optional("ignored_suffixes", &c->discovery.ignored_suffixes);
  });
}

void CheckListenAddress(ObjectReader& s, const std::string& address) {
  const size_t colon = address.rfind(':');
  int port = -1;
  if (colon != std::string::npos && colon + 1 < address.size() && address.size() - colon <= 6 &&
      std::all_of(address.begin() + static_cast<std::ptrdiff_t>(colon) + 1, address.end(),
                  [](unsigned char ch) { return std::isdigit(ch) != 0; })) {
    port = std::stoi(address.substr(colon + 1));
  }
  if (colon == 0 || port < 0 || port > 65535) {
    s.AddError("metrics_listen",
               "expected host:port such as 127.0.0.1:9745 (port 0 picks a free port), got \"" +
                   address + "\"");
  }
}

void ReadTopLevel(ObjectReader& r, AgentConfig* c) {
  r.Object("positions", [&](ObjectReader& p) {
    if (p.Optional("file", &c->positions.file) && c->positions.file.empty()) {
      p.AddError("file", "the positions file path is empty");
    }
    if (p.Optional("save_interval", &c->positions.save_interval_ns, config::Duration{})) {
      CheckPositive(p, "save_interval", c->positions.save_interval_ns, "save_interval");
    }
  });
  r.Enum("log_level", &c->log_level,
         {{"debug", log::Level::kDebug},
          {"info", log::Level::kInfo},
          {"warn", log::Level::kWarn},
          {"error", log::Level::kError}});
  r.Optional("labels", &c->labels);
  r.Enum("read_from", &c->read_from, {{"head", ReadFrom::kHead}, {"tail", ReadFrom::kTail}});
  if (r.Optional("max_line_size", &c->max_line_size, config::ByteSize{}) &&
      (c->max_line_size <= 0 || c->max_line_size > kMaxLineSizeLimit)) {
    r.AddError("max_line_size", "max_line_size must be between 1 byte and 64MiB");
  }
  r.Enum("max_line_size_policy", &c->max_line_size_policy,
         {{"truncate", OversizeLinePolicy::kTruncate}, {"skip", OversizeLinePolicy::kSkip}});
  r.Object("status", [&](ObjectReader& s) {
    s.Optional("log_interval", &c->status.log_interval_ns, config::Duration{});
    if (s.Optional("metrics_listen", &c->status.metrics_listen) &&
        !c->status.metrics_listen.empty()) {
      CheckListenAddress(s, c->status.metrics_listen);
    }
  });
}

Result<AgentConfig> ReadAgentConfig(const config::Document& doc) {
  AgentConfig c;
  ObjectReader r = doc.Root();
  ReadTopLevel(r, &c);
  ReadTuning(r, &c);
  ReadDiscovery(r, &c);
  ReadAggregatorConfig(r, "aggregator", &c.aggregator);
  const bool listed = r.List(
      "watches",
      [&](ObjectReader& w) {
        WatchConfig watch;
        ReadWatch(w, c, &watch);
        c.watches.push_back(std::move(watch));
      },
      config::Presence::kRequired);
  if (listed && c.watches.empty()) {
    r.AddError("watches", "the list is empty; add a watch with the paths to tail");
  }
  SILT_RETURN_IF_ERROR(r.Finish());
  return c;
}

}  // namespace

Result<AgentConfig> LoadAgentConfig(const std::string& path, config::LoadOptions options) {
  SILT_ASSIGN_OR_RETURN(config::Document doc, config::Document::LoadFile(path, std::move(options)));
  return ReadAgentConfig(doc);
}

Result<AgentConfig> ParseAgentConfig(std::string_view text, std::string name,
                                     config::LoadOptions options) {
  SILT_ASSIGN_OR_RETURN(config::Document doc,
                        config::Document::LoadString(text, std::move(name), std::move(options)));
  return ReadAgentConfig(doc);
}

}  // namespace silt::agent
