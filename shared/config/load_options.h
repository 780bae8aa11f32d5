// Options for loading a config Document.
#pragma once

#include "shared/config/env_expander.h"

namespace silt::config {

struct LoadOptions {
  // Expand ${VAR} and ${VAR:-default} in scalar values (never in keys) when they are read, like
  // Loki's -config.expand-env; see env_expander.h for the syntax. Off by default: a '$' in a
  // value is then kept as written.
  bool expand_env = false;
  // Where variables come from when expand_env is on; empty means the process environment.
  EnvLookup env;
};

}  // namespace silt::config
