// The workload shared by engine_crash_writer (the process the crash test kills) and
// engine_crash_test (which restarts it and checks the data): the engine options both open the
// data directory with, the agents and sources, and the deterministic lines. Source `s` is one
// file of one agent; its line `i` covers the file bytes [i * kLineBytes, (i + 1) * kLineBytes)
// (the text plus its newline) and goes to the stream StreamLabels(s). So an acknowledged end
// offset `e` of source `s` means that lines 0 .. e / kLineBytes - 1 must be stored.
// Stateless functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "aggregator/engine/engine_options.h"
#include "shared/labels/label_set.h"

namespace silt::engine::crash {

inline constexpr int kSources = 4;
inline constexpr int kSourcesPerAgent = 2;
inline constexpr int kAgents = kSources / kSourcesPerAgent;
// File bytes per line, newline included (the stored line is one byte shorter).
inline constexpr uint64_t kLineBytes = 120;
inline constexpr std::string_view kTenant = "crash";
// Partitions of one minute: with the writer's fast clock (see engine_crash_writer.cc) batches
// often straddle a partition boundary and completed partitions are flushed every few seconds.
inline constexpr int64_t kPartitionNs = 60 * kSecondNs;

// Options for the data directory: small head, WAL segments and out-of-order window, so that
// flushes, checkpoints and segment deletion happen every few hundred milliseconds. `fs`, `clock`
// and `logger` (may be null) must outlive the engine.
EngineOptions CrashEngineOptions(fs::FileSystem* fs, const time::Clock* clock, log::Logger* logger,
                                 const std::string& data_dir);

// The agent that owns source `source` ("host-0", "host-1") and the source's 64-bit id.
std::string AgentId(int source);
uint64_t SourceId(int source);

// {job="crash", source="s<source>"}.
labels::LabelSet StreamLabels(int source);

// Line `index` of `source`: "s<source> i<index, 12 digits> " and padding that depends on both,
// kLineBytes - 1 bytes in all (indexes wrap at 10^12).
std::string Line(int source, uint64_t index);
// Line(source, index) into `line` (reusing its buffer). Precondition: source < 10.
void FillLine(int source, uint64_t index, std::string* line);

// The (source, index) a stored line claims to be; false when `line` does not have Line's shape.
// The caller compares the whole text against Line(source, index).
bool ParseLine(std::string_view line, int* source, uint64_t* index);

}  // namespace silt::engine::crash
