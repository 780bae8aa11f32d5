// ReadContext: the state shared by all ObjectReaders of one read of a Document: the source name
// used in messages, the load options, and the errors recorded so far. Internal to shared/config.
// Thread-safety: none (one reading thread).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "shared/config/load_options.h"
#include "shared/config/object_reader.h"
#include "shared/status/status.h"

namespace YAML {
struct Mark;
}  // namespace YAML

namespace silt::config {

// The 1-based position of a yaml-cpp mark; 1:1 for a mark yaml-cpp left unset.
Position ToPosition(const YAML::Mark& mark);

class ReadContext {
 public:
  ReadContext(std::string source_name, LoadOptions options);

  const LoadOptions& options() const { return options_; }

  // Records "<source>:<line>:<column>: <path>: <message>" (without "<path>: " when path is empty).
  void AddError(Position position, std::string_view path, std::string_view message);

  // OK when no error was recorded; otherwise InvalidArgument with one error per line, sorted by
  // position, duplicates dropped.
  Status ToStatus() const;

 private:
  struct Error {
    Position position;
    std::string text;
  };

  std::string source_name_;
  LoadOptions options_;
  std::vector<Error> errors_;
};

}  // namespace silt::config
