// silt-aggregator: the central server (see aggregator/README.md and docs/aggregator-config.md).
//
//   silt-aggregator [serve] [--config FILE] [--data-dir DIR] [--log-level LEVEL]
//                   [--check-config] [--print-config] [--expand-env]
//   silt-aggregator dump --data-dir DIR [--tenant T] [--since TIME] [--until TIME]
//                   [--selector '{a="b"}'] [--log-level LEVEL]
//   silt-aggregator query --data-dir DIR [--tenant T] [--since 1h | --start T [--end T]]
//                   [--limit 100] [--direction backward|forward] [--no-blooms] [--timeout 1m]
//                   [--max-series N] [--step 30s] [--instant] [--log-level LEVEL] 'LOGQL'
//   silt-aggregator ingest --data-dir DIR [--tenant T] [--batch-entries N] [--flush]
//                   [--log-level LEVEL] < push.json
//
// Without --config every option takes its documented default (data in ./silt-data, agents on
// 127.0.0.1:7458). Exit codes: 0 success (and a clean shutdown on SIGTERM/SIGINT), 1 runtime
// failure (cannot start, data directory in use, shutdown error), 2 bad flags or config (for
// query: a bad or unsupported query; for ingest: input with problems, its good streams stored).
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>

#include "aggregator/app/aggregator_server.h"
#include "aggregator/app/dump_command.h"
#include "aggregator/app/ingest_command.h"
#include "aggregator/app/query_command.h"
#include "aggregator/app/rebuild_index_command.h"
#include "aggregator/app/verify_command.h"
#include "aggregator/config/aggregator_config.h"
#include "aggregator/config/aggregator_config_yaml.h"
#include "shared/log/level.h"
#include "shared/log/logger.h"
#include "shared/time/timestamp.h"

#ifndef SILT_VERSION
#define SILT_VERSION "unknown"
#endif

namespace silt::aggregator {
namespace {

constexpr int kExitRuntime = 1;
constexpr int kExitUsage = 2;

struct ServeFlags {
  std::string config_path;
  std::string data_dir;
  std::string log_level;
  bool check_config = false;
  bool print_config = false;
  bool expand_env = false;
};

struct DumpFlags {
  std::string data_dir;
  std::string tenant;
  std::string since;
  std::string until;
  std::string selector;
  std::string log_level = "warn";
};

int Usage(const std::string& message) {
  std::fprintf(stderr, "silt-aggregator: %s\n", message.c_str());
  return kExitUsage;
}

std::optional<log::Level> LevelFlag(const std::string& text) {
  Result<log::Level> level = log::ParseLevel(text);
  if (!level.ok()) return std::nullopt;
  return *level;
}

int Serve(const ServeFlags& flags) {
  AggregatorConfig config;
  if (!flags.config_path.empty()) {
    config::LoadOptions load;
    load.expand_env = flags.expand_env;
    Result<AggregatorConfig> loaded = LoadAggregatorConfig(flags.config_path, load);
    if (!loaded.ok()) return Usage(loaded.status().ToString());
    config = std::move(*loaded);
  }
  if (!flags.data_dir.empty()) {
    config.data_dir = flags.data_dir;
    config.storage.data_dir = flags.data_dir;
  }
  if (!flags.log_level.empty()) {
    std::optional<log::Level> level = LevelFlag(flags.log_level);
    if (!level) return Usage("--log-level: expected debug, info, warn or error");
    config.log_level = *level;
  }
  if (flags.print_config) {
    std::fputs(EncodeAggregatorConfigYaml(config).c_str(), stdout);
    return 0;
  }
  if (flags.check_config) {
    // What the listeners would refuse at start: their certificates and keys.
    if (Status tls = CheckTlsFiles(config); !tls.ok()) return Usage(tls.ToString());
    std::printf("%s: OK (data_dir %s, agent listener %s:%d%s)\n",
                flags.config_path.empty() ? "defaults" : flags.config_path.c_str(),
                config.data_dir.c_str(), config.agent_listener.listen.host.c_str(),
                config.agent_listener.listen.port, config.agent_listener.listen.tls ? ", TLS" : "");
    return 0;
  }
  log::Logger logger(log::LoggerOptions{.min_level = config.log_level});
  ::signal(SIGPIPE, SIG_IGN);
  config.agent_listener.session.server_version = SILT_VERSION;  // announced in every Welcome
  AggregatorServer server(std::move(config), &logger);
  return server.Run();
}

int Dump(const DumpFlags& flags) {
  std::optional<log::Level> level = LevelFlag(flags.log_level);
  if (!level) return Usage("--log-level: expected debug, info, warn or error");
  DumpOptions options;
  options.data_dir = flags.data_dir;
  options.tenant = flags.tenant;
  options.selector = flags.selector;
  if (!flags.since.empty()) {
    Result<int64_t> since = time::ParseLokiTime(flags.since);
    if (!since.ok()) return Usage("--since: " + std::string(since.status().message()));
    options.since = *since;
  }
  if (!flags.until.empty()) {
    Result<int64_t> until = time::ParseLokiTime(flags.until);
    if (!until.ok()) return Usage("--until: " + std::string(until.status().message()));
    options.until = *until;
  }
  log::Logger logger(log::LoggerOptions{.min_level = *level});
  ::signal(SIGPIPE, SIG_IGN);
  Status dumped = RunDump(options, stdout, &logger);
  if (dumped.ok()) return 0;
  std::fprintf(stderr, "silt-aggregator dump: %s\n", dumped.ToString().c_str());
  return dumped.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitRuntime;
}

int ExitFor(const char* command, const Status& status) {
  if (status.ok()) return 0;
  std::fprintf(stderr, "silt-aggregator %s: %s\n", command, status.ToString().c_str());
  return status.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitRuntime;
}

int Query(const QueryCommandOptions& options, const std::string& log_level) {
  std::optional<log::Level> level = LevelFlag(log_level);
  if (!level) return Usage("--log-level: expected debug, info, warn or error");
  log::Logger logger(log::LoggerOptions{.min_level = *level});
  ::signal(SIGPIPE, SIG_IGN);
  return ExitFor("query", RunQuery(options, stdout, &logger));
}

int Ingest(const IngestOptions& options, const std::string& log_level) {
  std::optional<log::Level> level = LevelFlag(log_level);
  if (!level) return Usage("--log-level: expected debug, info, warn or error");
  log::Logger logger(log::LoggerOptions{.min_level = *level});
  std::string input{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  if (std::cin.bad()) return Usage("ingest: reading stdin failed");
  Result<IngestReport> report = RunIngest(options, input, stdout, stderr, &logger);
  if (!report.ok()) return ExitFor("ingest", report.status());
  return report->problems == 0 ? 0 : kExitUsage;
}

// `query` and `ingest` flags on their subcommands.
void AddQueryFlags(CLI::App* cmd, QueryCommandOptions* q, std::string* log_level) {
  cmd->add_option("--data-dir", q->data_dir, "the data directory to read")->required();
  cmd->add_option("--tenant", q->tenant, "tenant id")->capture_default_str();
  cmd->add_option("--since", q->since, "range length before --end when --start is not given")
      ->capture_default_str();
  cmd->add_option("--start", q->start, "range start, inclusive (RFC 3339, unix s or ns)");
  cmd->add_option("--end", q->end, "range end, exclusive [default: now]");
  cmd->add_option("--limit", q->limit, "most entries returned")->capture_default_str();
  cmd->add_option("--direction", q->direction, "backward (newest first) or forward")
      ->capture_default_str();
  cmd->add_flag(
      "--no-blooms", [q](int64_t) { q->use_blooms = false; },
      "read every block (results are identical; for checks)");
  cmd->add_option("--timeout", q->timeout, "give up after this long (0: never)")
      ->capture_default_str();
  cmd->add_option("--max-series", q->max_series, "most output streams (0: no limit)")
      ->capture_default_str();
  cmd->add_option("--max-query-memory", q->max_query_memory,
                  "most memory a query may hold: blocks, samples, results (0: no limit)")
      ->capture_default_str();
  cmd->add_option("--step", q->step,
                  "metric range query step: duration or seconds [default: max(1s, range/250)]");
  cmd->add_flag("--instant", q->instant, "metric query: evaluate once at --end (a vector)");
  cmd->add_option("--log-level", *log_level, "log level on stderr")->capture_default_str();
  cmd->add_option("query", q->query, "the LogQL query (log or metric)")->required();
}

void AddIngestFlags(CLI::App* cmd, IngestOptions* i, std::string* log_level) {
  cmd->add_option("--data-dir", i->data_dir, "the data directory to write")->required();
  cmd->add_option("--tenant", i->tenant, "tenant id")->capture_default_str();
  cmd->add_option("--batch-entries", i->batch_entries, "entries per push (whole streams)")
      ->capture_default_str();
  cmd->add_flag("--flush", i->flush, "write chunk files before exit");
  cmd->add_option("--log-level", *log_level, "log level on stderr")->capture_default_str();
}

int RebuildIndex(const RebuildIndexOptions& options, const std::string& log_level) {
  std::optional<log::Level> level = LevelFlag(log_level);
  if (!level) return Usage("--log-level: expected debug, info, warn or error");
  log::Logger logger(log::LoggerOptions{.min_level = *level});
  ::signal(SIGPIPE, SIG_IGN);
  Result<RebuildIndexReport> report = RunRebuildIndex(options, stdout, &logger);
  if (!report.ok()) return ExitFor("rebuild-index", report.status());
  return report->failed_partitions == 0 ? 0 : kExitRuntime;
}

int Verify(const VerifyOptions& options, const std::string& log_level) {
  std::optional<log::Level> level = LevelFlag(log_level);
  if (!level) return Usage("--log-level: expected debug, info, warn or error");
  log::Logger logger(log::LoggerOptions{.min_level = *level});
  ::signal(SIGPIPE, SIG_IGN);
  Result<VerifyReport> report = RunVerify(options, stdout, &logger);
  if (!report.ok()) return ExitFor("verify", report.status());
  return report->problems == 0 ? 0 : kExitRuntime;
}

}  // namespace
}  // namespace silt::aggregator

int main(int argc, char** argv) {
  silt::aggregator::ServeFlags serve;
  silt::aggregator::DumpFlags dump;
  silt::aggregator::QueryCommandOptions query;
  silt::aggregator::IngestOptions ingest;
  std::string query_log_level = "warn";
  std::string ingest_log_level = "warn";
  silt::aggregator::RebuildIndexOptions rebuild;
  std::string rebuild_log_level = "warn";
  silt::aggregator::VerifyOptions verify;
  std::string verify_log_level = "warn";
  CLI::App app{"silt-aggregator: receives, stores and serves logs"};
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", std::string("silt-aggregator ") + SILT_VERSION);
  auto add_serve_flags = [&](CLI::App* to) {
    to->add_option("--config", serve.config_path, "aggregator.yaml to load [default: none]");
    to->add_option("--data-dir", serve.data_dir, "overrides data_dir from the config");
    to->add_option("--log-level", serve.log_level, "debug, info, warn or error [default: config]");
    to->add_flag("--check-config", serve.check_config, "validate the config and exit (0 or 2)");
    to->add_flag("--print-config", serve.print_config,
                 "validate the config, print it with every default filled in (as GET /config "
                 "does) and exit (0 or 2)");
    to->add_flag("--expand-env", serve.expand_env, "expand ${VAR} and ${VAR:-default} in values");
  };
  add_serve_flags(&app);
  CLI::App* serve_cmd = app.add_subcommand("serve", "run the server (the default)");
  add_serve_flags(serve_cmd);
  CLI::App* dump_cmd = app.add_subcommand("dump", "print a data directory's entries as JSON lines");
  dump_cmd->add_option("--data-dir", dump.data_dir, "the data directory to read")->required();
  dump_cmd->add_option("--tenant", dump.tenant, "only this tenant [default: every tenant]");
  dump_cmd->add_option("--since", dump.since, "entries at or after (RFC 3339, unix s or ns)");
  dump_cmd->add_option("--until", dump.until, "entries before (RFC 3339, unix s or ns)");
  dump_cmd->add_option("--selector", dump.selector, "streams with these labels, {a=\"b\"}");
  dump_cmd->add_option("--log-level", dump.log_level, "log level on stderr")->capture_default_str();
  CLI::App* query_cmd =
      app.add_subcommand("query", "run a LogQL query on a data directory, print Loki JSON");
  silt::aggregator::AddQueryFlags(query_cmd, &query, &query_log_level);
  CLI::App* ingest_cmd =
      app.add_subcommand("ingest", "store a Loki JSON push body from stdin in a data directory");
  silt::aggregator::AddIngestFlags(ingest_cmd, &ingest, &ingest_log_level);
  CLI::App* rebuild_cmd = app.add_subcommand(
      "rebuild-index", "rebuild every partition's index.silt from its chunk files (server stopped)");
  rebuild_cmd->add_option("--data-dir", rebuild.data_dir, "the data directory")->required();
  rebuild_cmd->add_option("--tenant", rebuild.tenant, "only this tenant [default: every tenant]");
  rebuild_cmd->add_option("--log-level", rebuild_log_level, "log level on stderr")
      ->capture_default_str();
  CLI::App* verify_cmd = app.add_subcommand(
      "verify", "check every chunk file, index and WAL segment of a data directory (server stopped)");
  verify_cmd->add_option("--data-dir", verify.data_dir, "the data directory")->required();
  verify_cmd->add_option("--tenant", verify.tenant,
                         "only this tenant's partitions, not the WAL [default: everything]");
  verify_cmd->add_option("--log-level", verify_log_level, "log level on stderr")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : silt::aggregator::kExitUsage;
  }
  if (dump_cmd->parsed()) return silt::aggregator::Dump(dump);
  if (query_cmd->parsed()) return silt::aggregator::Query(query, query_log_level);
  if (ingest_cmd->parsed()) return silt::aggregator::Ingest(ingest, ingest_log_level);
  if (rebuild_cmd->parsed()) return silt::aggregator::RebuildIndex(rebuild, rebuild_log_level);
  if (verify_cmd->parsed()) return silt::aggregator::Verify(verify, verify_log_level);
  return silt::aggregator::Serve(serve);
}
