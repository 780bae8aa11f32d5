// The subcommands of `silt` (docs/cli.md): each takes its parsed flags and the client options,
// checks its flags (usage errors), talks to the server and prints. Each returns the process exit
// code: 0 ok, 1 the query failed (the server answered 4xx/5xx, or an answer was unusable),
// 2 usage (a flag value is wrong), 3 unreachable (connection refused, DNS, TLS, timeout), after
// printing one line "silt: <what happened and what to do>" on stderr.
//
// Thread-compatible: called once from main.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "aggregator/cli/http_client.h"
#include "shared/status/status.h"

namespace silt::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitQueryError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitUnreachable = 3;

// --since/--from/--to as given.
struct RangeFlags {
  std::string since;
  std::string from;
  std::string to;
};

// --output, --no-labels, --include-label.
struct OutputFlags {
  std::string output = "default";
  bool no_labels = false;
  std::vector<std::string> include_labels;
};

struct QueryFlags {
  std::string query;
  RangeFlags range{"1h", "", ""};
  int64_t limit = 100;
  int64_t batch = 5000;
  bool forward = false;
  bool tail = false;
  OutputFlags output;
};

struct InstantFlags {
  std::string query;
  std::string time;
  int64_t limit = 100;
  OutputFlags output;
};

struct TailFlags {
  std::string query;
  std::string since = "1h";
  int64_t limit = 100;
  int64_t delay_for = 0;
  OutputFlags output;
};

struct IndexFlags {  // labels, series, stats
  std::string name_or_selector;
  RangeFlags range{"6h", "", ""};
  std::string output = "default";
};

struct ExportFlags {
  std::string query;
  RangeFlags range{"1h", "", ""};
  std::string output_path;
  std::string part = "1h";
  int64_t batch = 5000;
  int level = 3;
};

// The exit code for a failure of the request phase: 3 for kUnavailable, 1 otherwise.
int ExitCodeFor(const Status& status);
// Prints "silt: <message>" on stderr and returns `code`.
int Fail(int code, const Status& status);

int RunQuery(const QueryFlags& flags, const HttpClientOptions& options);
int RunInstant(const InstantFlags& flags, const HttpClientOptions& options);
int RunTail(const TailFlags& flags, const HttpClientOptions& options);
int RunLabels(const IndexFlags& flags, const HttpClientOptions& options);
int RunSeries(const IndexFlags& flags, const HttpClientOptions& options);
int RunStats(const IndexFlags& flags, const HttpClientOptions& options);
int RunExport(const ExportFlags& flags, const HttpClientOptions& options);

}  // namespace silt::cli
