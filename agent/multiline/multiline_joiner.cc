#include "agent/multiline/multiline_joiner.h"

#include <cassert>
#include <utility>
#include <vector>

namespace silt::agent {

MultilineJoiner::MultilineJoiner(BatchSink* downstream, time::TimerService* timers,
                                 RuleLookup lookup)
    : downstream_(downstream), timers_(timers), lookup_(std::move(lookup)) {
  assert(downstream != nullptr && timers != nullptr);
}

MultilineJoiner::~MultilineJoiner() {
  for (auto& [source, held] : held_) timers_->Cancel(held.timer);
}

const MultilineRule* MultilineJoiner::RuleFor(const std::string& path) {
  auto it = rules_.find(path);
  if (it == rules_.end()) it = rules_.emplace(path, lookup_ ? lookup_(path) : nullptr).first;
  return it->second;
}

void MultilineJoiner::Deliver(Batch batch) {
  bool any_rule = false;
  for (const SourceChunk& chunk : batch.chunks) {
    if (RuleFor(chunk.path) != nullptr) any_rule = true;
  }
  if (!any_rule) {
    downstream_->Deliver(std::move(batch));
    return;
  }
  Batch out;
  for (SourceChunk& chunk : batch.chunks) {
    const MultilineRule* rule = RuleFor(chunk.path);
    if (rule == nullptr) {
      out.chunks.push_back(std::move(chunk));
    } else {
      Join(std::move(chunk), *rule, &out);
    }
  }
  Send(std::move(out));
}

void MultilineJoiner::Join(SourceChunk chunk, const MultilineRule& rule, Batch* out) {
  const uint64_t source = chunk.source_id;
  auto it = held_.find(source);
  Held* held = it == held_.end() ? nullptr : &it->second;
  SourceChunk emitted;
  emitted.source_id = source;
  emitted.path = chunk.path;
  emitted.start_offset = held != nullptr ? held->out_start : chunk.start_offset;
  for (Line& line : chunk.lines) {
    if (held != nullptr && held->lines > 0 && rule.IsStart(line.text)) Emit(*held, &emitted);
    if (held == nullptr) {
      held = &held_[source];
      held->path = chunk.path;
      held->rule = &rule;
    }
    Add(*held, std::move(line), &emitted);
  }
  if (held != nullptr && held->lines > 0) {
    held->in_end = chunk.end_offset;
    held->out_start = held->entry.start_offset;
    emitted.end_offset = held->entry.start_offset;
    ArmTimer(source, *held);
  } else {
    emitted.end_offset = chunk.end_offset;
    if (held != nullptr) {
      timers_->Cancel(held->timer);
      held_.erase(source);
    }
  }
  if (emitted.end_offset > emitted.start_offset || !emitted.lines.empty()) {
    out->chunks.push_back(std::move(emitted));
  }
}

void MultilineJoiner::Add(Held& held, Line line, SourceChunk* emitted) {
  if (held.lines == 0) {
    held.entry = std::move(line);
    held.lines = 1;
  } else {
    held.entry.text.push_back('\n');
    held.entry.text.append(line.text);
    held.entry.end_offset = line.end_offset;
    held.entry.truncated = held.entry.truncated || line.truncated;
    held.entry.unterminated = line.unterminated;
    ++held.lines;
    ++stats_.joined_lines;
  }
  if (held.lines >= held.rule->options().max_lines) {
    ++stats_.max_lines_flushes;
    Emit(held, emitted);
  } else if (held.entry.unterminated) {
    Emit(held, emitted);  // the last line of a file that will not grow again
  }
}

void MultilineJoiner::Emit(Held& held, SourceChunk* chunk) {
  chunk->lines.push_back(std::move(held.entry));
  held.entry = Line();
  held.lines = 0;
  ++stats_.entries;
}

void MultilineJoiner::ArmTimer(uint64_t source_id, Held& held) {
  timers_->Cancel(held.timer);
  held.timer = timers_->Schedule(held.rule->options().flush_timeout_ns,
                                 [this, source_id] { OnTimeout(source_id); });
}

void MultilineJoiner::OnTimeout(uint64_t source_id) {
  auto it = held_.find(source_id);
  if (it == held_.end()) return;
  Held& held = it->second;
  held.timer = time::TimerService::kInvalidTimerId;
  SourceChunk chunk;
  chunk.source_id = source_id;
  chunk.path = held.path;
  chunk.start_offset = held.out_start;
  chunk.end_offset = held.in_end;
  Emit(held, &chunk);
  ++stats_.timeout_flushes;
  held_.erase(it);
  Batch batch;
  batch.chunks.push_back(std::move(chunk));
  Send(std::move(batch));
}

void MultilineJoiner::FlushAll() {
  Batch batch;
  for (auto& [source, held] : held_) {
    timers_->Cancel(held.timer);
    SourceChunk chunk;
    chunk.source_id = source;
    chunk.path = held.path;
    chunk.start_offset = held.out_start;
    chunk.end_offset = held.in_end;
    Emit(held, &chunk);
    batch.chunks.push_back(std::move(chunk));
  }
  held_.clear();
  Send(std::move(batch));
}

void MultilineJoiner::Send(Batch batch) {
  if (batch.chunks.empty()) return;
  batch.lines = 0;
  batch.bytes = 0;
  for (const SourceChunk& chunk : batch.chunks) {
    batch.lines += chunk.lines.size();
    for (const Line& line : chunk.lines) batch.bytes += line.text.size();
  }
  downstream_->Deliver(std::move(batch));
}

MultilineStats MultilineJoiner::stats() const {
  MultilineStats stats = stats_;
  stats.held_entries = held_.size();
  return stats;
}

}  // namespace silt::agent
