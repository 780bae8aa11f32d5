// EncodeAgentConfigYaml: the effective AgentConfig as agent.yaml text, every key with its value
// after defaults (what `silt-agent --print-config` prints), so an operator can see what a short
// agent.yaml really means. Durations and sizes are in the forms the loader reads back ("250ms",
// "1MiB"), and loading the text gives the same config. The aggregator token is a secret and is
// shown as "<redacted>" (empty when unset); certificate and key paths are not secrets and are
// shown. The `aggregator` section appears only when the config has one, as the agent ships to an
// aggregator only then (unless --output says so).
// Thread-safety: a pure function.
#pragma once

#include <string>

#include "agent/config/agent_config.h"

namespace silt::agent {

// The YAML document, ending with a newline.
std::string EncodeAgentConfigYaml(const AgentConfig& config);

}  // namespace silt::agent
