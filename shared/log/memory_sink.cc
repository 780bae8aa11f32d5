#include "shared/log/memory_sink.h"

namespace silt::log {

void MemorySink::Write(std::string_view line) {
  std::lock_guard<std::mutex> lock(mutex_);
  writes_.emplace_back(line);
}

std::vector<std::string> MemorySink::Lines() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> lines = writes_;
  for (std::string& line : lines) {
    if (!line.empty() && line.back() == '\n') line.pop_back();
  }
  return lines;
}

std::string MemorySink::Text() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string text;
  for (const std::string& write : writes_) text += write;
  return text;
}

void MemorySink::Clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  writes_.clear();
}

}  // namespace silt::log
