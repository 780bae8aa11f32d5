#include "aggregator/logql/exec/query_plan.h"

#include <variant>

#include "aggregator/bloom/bloom_query.h"
#include "aggregator/store/block_line_search.h"
#include "aggregator/store/chunk_reader.h"

namespace silt::logql::exec {
namespace {

bool HasRequiredToken(std::string_view literal) {
  bool found = false;
  bloom::ForEachRequiredToken(literal, [&](std::string_view) { found = true; });
  return found;
}

// The literal group of `filter`, or an empty group when it cannot prove anything.
std::vector<std::string> LiteralGroup(const LineFilter& filter) {
  std::vector<std::string> group;
  if (filter.op != LineFilterOp::kContains) return group;
  for (const LineFilterTerm& term : filter.terms) {
    // One alternative without a checkable token lets every block through, so the whole
    // group cannot skip anything.
    if (term.is_ip || !HasRequiredToken(term.value)) return {};
    group.push_back(term.value);
  }
  return group;
}

// The literals of a `|=` filter as a group for the decompressed-block check, or an empty group.
std::vector<std::string> ScanGroup(const LineFilter& filter) {
  std::vector<std::string> group;
  if (filter.op != LineFilterOp::kContains) return group;
  for (const LineFilterTerm& term : filter.terms) {
    if (term.is_ip || term.value.empty()) return {};
    group.push_back(term.value);
  }
  return group;
}

// Whether some literal of `group` occurs anywhere in `bytes` (one pass per literal).
bool GroupInBytes(std::string_view bytes, const std::vector<std::string>& group) {
  for (const std::string& literal : group) {
    if (store::FindLiteral(bytes, literal) != nullptr) return true;
  }
  return false;
}

// Whether some literal of `group` may occur in the block. A bloom that cannot be read proves
// nothing: the block is read (it has its own checksum).
bool GroupMayMatch(const store::ChunkReader& reader, uint32_t stream_index,
                   const index::BlockRef& block, const std::vector<std::string>& group,
                   BlockCounters* counters) {
  for (const std::string& literal : group) {
    Result<bool> may = reader.BlockMayContainLiteral(stream_index, block.block_index, literal);
    if (!may.ok()) {
      ++counters->bloom_errors;
      return true;
    }
    if (*may) return true;
  }
  return false;
}

}  // namespace

Result<LogQueryPlan> PlanLogQuery(const LogQuery& query, const LogQueryRange& range) {
  if (range.from >= range.through) {
    return Status::InvalidArgument(
        "end timestamp must not be before or equal to start time (start " +
        std::to_string(range.from) + ", end " + std::to_string(range.through) +
        " ns); pass an end after the start");
  }
  if (range.limit == 0) {
    return Status::InvalidArgument("limit must be a positive value; pass --limit 1 or more");
  }
  if (range.interval < 0) {
    return Status::InvalidArgument("interval must be >= 0");
  }
  LogQueryPlan plan;
  plan.matchers = query.selector;
  plan.range = range;
  for (const PipelineStage& stage : query.pipeline) {
    if (std::holds_alternative<LineFormatStage>(stage) ||
        std::holds_alternative<DecolorizeStage>(stage)) {
      break;  // later filters see a changed line: the stored bytes prove nothing about them
    }
    const LineFilter* filter = std::get_if<LineFilter>(&stage);
    if (filter == nullptr) continue;
    std::vector<std::string> group = LiteralGroup(*filter);
    if (!group.empty()) plan.required_literals.push_back(std::move(group));
    if (std::vector<std::string> scan = ScanGroup(*filter); !scan.empty()) {
      plan.scan_literals.push_back(std::move(scan));
    }
  }
  return plan;
}

engine::BlockFilter MakeBlockFilter(const LogQueryPlan& plan, bool use_blooms,
                                    const QueryDeadline& deadline, BlockCounters* counters) {
  const bool skip = use_blooms && !plan.required_literals.empty();
  engine::BlockFilter filter = [&plan, skip, counters](const store::ChunkReader& reader,
                                                       uint32_t stream_index,
                                                       const index::BlockRef& block) {
    if (skip) {
      for (const std::vector<std::string>& group : plan.required_literals) {
        if (!GroupMayMatch(reader, stream_index, block, group, counters)) {
          ++counters->blocks_skipped;
          return false;
        }
      }
    }
    ++counters->blocks_read;
    counters->chunks_read.insert(&reader);
    return true;
  };
  filter.stop = [&deadline] { return deadline.Passed(); };
  if (plan.scan_literals.empty()) return filter;
  filter.required_line_literals = plan.scan_literals;
  filter.after_decompress = [&plan, counters](std::string_view bytes) {
    for (const std::vector<std::string>& group : plan.scan_literals) {
      if (!GroupInBytes(bytes, group)) {
        --counters->blocks_read;  // let through by before_read, now proven to hold no match
        ++counters->blocks_skipped;
        return false;
      }
    }
    return true;
  };
  return filter;
}

}  // namespace silt::logql::exec
