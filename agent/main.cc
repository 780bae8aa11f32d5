// silt-agent: tails log files and delivers their lines (see agent/README.md and
// docs/agent-config.md). Flags:
//   --config PATH      the agent.yaml to load (required)
//   --check-config     validate the config and exit: 0 when valid, 1 with every error otherwise
//   --print-config     validate the config, print it with every default filled in and exit (0/1)
//   --output SPEC      aggregator, jsonl:PATH, jsonl:- (stdout) or null; without it, aggregator
//                      when agent.yaml has an `aggregator` section, else jsonl:-
//   --log-level LEVEL  debug, info, warn or error (overrides log_level in the config)
//   --expand-env       expand ${VAR} and ${VAR:-default} in config values
//   --version          print the version and exit
// Exit codes: 0 clean shutdown, 1 runtime or config error, 2 bad flags.
#include <signal.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <optional>
#include <string>

#include "agent/app/agent.h"
#include "agent/app/output_spec.h"
#include "agent/config/agent_config.h"
#include "agent/config/agent_config_yaml.h"
#include "shared/log/level.h"
#include "shared/log/logger.h"

#ifndef SILT_VERSION
#define SILT_VERSION "unknown"
#endif

namespace silt::agent {
namespace {

struct Flags {
  std::string config_path;
  bool check_config = false;
  bool print_config = false;
  std::string output;  // empty: from the config
  std::string log_level;
  bool expand_env = false;
};

// Tailing keeps a descriptor per file: lift the soft limit to the hard one, as a Go program does.
void RaiseOpenFileLimit() {
  struct rlimit limit;
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

int CheckConfig(const Flags& flags, const Result<AgentConfig>& config, const OutputSpec& output) {
  if (!config.ok()) {
    std::fprintf(stderr, "%s\n", config.status().ToString().c_str());
    return 1;
  }
  // What the start would refuse: TLS files of the aggregator the agent would ship to.
  if (output.kind == OutputSpec::Kind::kAggregator) {
    Status tls = CheckTlsFiles(config->aggregator.value_or(AggregatorConfig{}));
    if (!tls.ok()) {
      std::fprintf(stderr, "%s: %s\n", flags.config_path.c_str(), tls.ToString().c_str());
      return 1;
    }
  }
  std::printf("%s: OK (%zu watches)\n", flags.config_path.c_str(), config->watches.size());
  return 0;
}

int Main(const Flags& flags) {
  Result<OutputSpec> output = ParseOutputSpec(flags.output.empty() ? "jsonl:-" : flags.output);
  if (!output.ok()) {
    std::fprintf(stderr, "%s\n", output.status().ToString().c_str());
    return 2;
  }
  config::LoadOptions load;
  load.expand_env = flags.expand_env;
  Result<AgentConfig> config = LoadAgentConfig(flags.config_path, load);
  if (config.ok() && flags.output.empty() && config->aggregator.has_value()) {
    output->kind = OutputSpec::Kind::kAggregator;
  }
  if (flags.check_config) return CheckConfig(flags, config, *output);
  if (!config.ok()) {
    std::fprintf(stderr, flags.print_config ? "%s\n" : "silt-agent: %s\n",
                 config.status().ToString().c_str());
    return 1;
  }
  if (!flags.log_level.empty()) {  // the flag wins, also in what --print-config and /config show
    Result<log::Level> level = log::ParseLevel(flags.log_level);
    if (!level.ok()) {
      std::fprintf(stderr, "--log-level: %s\n", level.status().ToString().c_str());
      return 2;
    }
    config->log_level = *level;
  }
  if (flags.print_config) {
    std::fputs(EncodeAgentConfigYaml(*config).c_str(), stdout);
    return 0;
  }
  log::LoggerOptions log_options;
  log_options.min_level = config->log_level;
  log::Logger logger(log_options);
  ::signal(SIGPIPE, SIG_IGN);  // a closed stdout pipe is a write error, not a silent death
  RaiseOpenFileLimit();
  Agent agent(std::move(*config), std::move(*output), &logger);
  return agent.Run();
}

}  // namespace
}  // namespace silt::agent

int main(int argc, char** argv) {
  silt::agent::Flags flags;
  CLI::App app{"silt-agent: tails log files through rotation and delivers every line once"};
  app.add_option("--config", flags.config_path, "agent.yaml to load")->required();
  app.add_flag("--check-config", flags.check_config,
               "validate the config, print the result and exit (0 valid, 1 invalid)");
  app.add_flag("--print-config", flags.print_config,
               "validate the config, print it with every default filled in and exit (0 valid, "
               "1 invalid)");
  app.add_option("--output", flags.output,
                 "aggregator, jsonl:PATH, jsonl:- (stdout) or null [default: aggregator when the "
                 "config has an aggregator section, else jsonl:-]");
  app.add_option("--log-level", flags.log_level, "debug, info, warn or error [default: config]");
  app.add_flag("--expand-env", flags.expand_env,
               "expand ${VAR} and ${VAR:-default} in config values");
  app.set_version_flag("--version", std::string("silt-agent ") + SILT_VERSION);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return silt::agent::Main(flags);
}
