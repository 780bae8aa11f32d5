// MemorySink: a Sink that keeps every line in memory, for tests that check what was logged
// (of this module or of any module that takes a Logger). Thread-safe.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "shared/log/sink.h"

namespace silt::log {

class MemorySink final : public Sink {
 public:
  void Write(std::string_view line) override;

  // The lines written so far, one per Write call, in order, each without its trailing '\n'.
  std::vector<std::string> Lines() const;
  // Everything written so far, exactly as written.
  std::string Text() const;
  void Clear();

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> writes_;
};

}  // namespace silt::log
