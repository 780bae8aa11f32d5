#include "shared/config/document.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstdio>
#include <exception>
#include <vector>

#include "shared/config/read_context.h"

namespace silt::config {

struct Document::State {
  std::string name;
  LoadOptions options;
  YAML::Node root;  // null for an empty document
};

namespace {

std::string At(const std::string& name, Position position) {
  return name + ":" + std::to_string(position.line) + ":" + std::to_string(position.column) + ": ";
}

// Reads all of `path` into `out`, refusing files above `limit` bytes.
Status ReadWholeFile(const std::string& path, size_t limit, std::string* out) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return Status::FromErrno(errno, "opening config file " + path);
  char buffer[64 * 1024];
  Status status;
  while (true) {
    size_t n = std::fread(buffer, 1, sizeof(buffer), file);
    out->append(buffer, n);
    if (out->size() > limit) {
      status =
          Status::ResourceExhausted("config file " + path + " is larger than " +
                                    std::to_string(limit >> 20) + "MiB; is this the right file?");
      break;
    }
    if (n < sizeof(buffer)) {
      if (std::ferror(file)) status = Status::FromErrno(errno, "reading config file " + path);
      break;
    }
  }
  std::fclose(file);
  return status;
}

}  // namespace

Document::Document(std::unique_ptr<State> state) : state_(std::move(state)) {}
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;
Document::~Document() = default;

Result<Document> Document::LoadFile(const std::string& path, LoadOptions options) {
  std::string text;
  SILT_RETURN_IF_ERROR(ReadWholeFile(path, kMaxFileBytes, &text));
  return LoadString(text, path, std::move(options));
}

Result<Document> Document::LoadString(std::string_view text, std::string name,
                                      LoadOptions options) {
  auto state = std::make_unique<State>();
  try {
    std::vector<YAML::Node> documents = YAML::LoadAll(std::string(text));
    if (documents.size() > 1) {
      return Status::InvalidArgument(
          At(name, ToPosition(documents[1].Mark())) + "expected one YAML document, found " +
          std::to_string(documents.size()) + "; remove the extra \"---\" separators");
    }
    if (!documents.empty()) state->root = documents[0];
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(At(name, ToPosition(e.mark)) + "invalid YAML: " + e.msg);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(name + ": invalid YAML: " + e.what());
  }
  state->name = std::move(name);
  state->options = std::move(options);
  return Document(std::move(state));
}

ObjectReader Document::Root() const {
  auto context = std::make_shared<ReadContext>(state_->name, state_->options);
  return ObjectReader::Make(std::move(context), state_->root, "");
}

const std::string& Document::name() const { return state_->name; }

}  // namespace silt::config
