// Document: a parsed YAML config file (agent.yaml, aggregator.yaml, tenants, rules), read
// through ObjectReader. This is the edge where yaml-cpp's exceptions stop: loading and reading
// return Status, and every error names the source, line and column.
//
//   SILT_ASSIGN_OR_RETURN(config::Document doc, config::Document::LoadFile(path));
//   config::ObjectReader r = doc.Root();
//   ... r.Optional(...) ...
//   SILT_RETURN_IF_ERROR(r.Finish());
//
// Thread-safety: none. yaml-cpp nodes are not safe to read from several threads at once, so one
// thread loads and reads a Document (config loading happens once, at startup or on reload).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "shared/config/load_options.h"
#include "shared/config/object_reader.h"
#include "shared/status/result.h"

namespace silt::config {

class Document {
 public:
  // Files larger than this are refused (ResourceExhausted): a config is small, and this keeps a
  // mistaken path such as /dev/zero from exhausting memory.
  static constexpr size_t kMaxFileBytes = 16 << 20;

  // Reads and parses the file at `path`; messages name it as given. Errors: NotFound,
  // PermissionDenied or IOError naming the path when it cannot be read; InvalidArgument
  // "<path>:<line>:<column>: invalid YAML: ..." when it does not parse, or when it holds more than
  // one YAML document.
  static Result<Document> LoadFile(const std::string& path, LoadOptions options = {});
  // As LoadFile, parsing `text`; `name` stands for the source in messages ("<flag --config>").
  static Result<Document> LoadString(std::string_view text, std::string name,
                                     LoadOptions options = {});

  Document(Document&&) noexcept;
  Document& operator=(Document&&) noexcept;
  ~Document();

  // A reader for the top-level mapping, starting a fresh read with no errors. An empty document
  // (no content, or only comments) reads as an empty mapping, so every option takes its default;
  // a top-level list or scalar is an error reported by Finish(). The Document must outlive the
  // reader.
  ObjectReader Root() const;

  // The source name used in messages (the path for LoadFile).
  const std::string& name() const;

 private:
  struct State;
  explicit Document(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace silt::config
