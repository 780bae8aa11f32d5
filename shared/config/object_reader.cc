#include "shared/config/object_reader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "shared/config/read_context.h"
#include "shared/time/duration.h"
#include "shared/units/byte_size.h"

namespace silt::config {

struct ObjectReader::Entry {
  std::string key;
  Position key_position;
  YAML::Node value;
  bool used = false;
};

struct ObjectReader::Impl {
  std::shared_ptr<ReadContext> context;
  std::string path;
  Position position;
  std::vector<Entry> entries;
  std::vector<std::string> asked;  // keys asked about, in order; the candidates for suggestions
  bool checked_unknown = false;
};

namespace {

constexpr size_t kMaxQuoted = 80;

// `text` in double quotes with '"', '\' and control characters escaped, cut at kMaxQuoted bytes.
std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == kMaxQuoted) {
      out.append("...");
      break;
    }
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c == '\n') {
      out.append("\\n");
    } else if (c == '\t') {
      out.append("\\t");
    } else if (c < 0x20 || c == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out.append("\\x").push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  out.push_back('"');
  return out;
}

// What a node is, for "got ..." in messages.
std::string Describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return Quote(node.Scalar());
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    default:
      return "an empty value";
  }
}

std::string JoinPath(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  std::string joined(path);
  joined.push_back('.');
  joined.append(key);
  return joined;
}

std::string ItemPath(std::string_view path, size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

// The position of `node`, or `fallback` for a null node (yaml-cpp places an empty value at the
// start of the next token, often the next line) or a node without a mark.
Position NodePosition(const YAML::Node& node, Position fallback) {
  if (node.IsNull() || node.Mark().is_null()) return fallback;
  return ToPosition(node.Mark());
}

// Levenshtein distance between `a` and `b`.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// "; did you mean "x"?" for the candidate closest to `word` within 2 edits (the first on ties),
// or "" when there is none.
template <typename Candidates>
std::string Suggestion(std::string_view word, const Candidates& candidates) {
  constexpr size_t kMaxDistance = 2;
  std::string_view best;
  size_t best_distance = kMaxDistance + 1;
  for (std::string_view candidate : candidates) {
    size_t distance = EditDistance(word, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  if (best_distance > kMaxDistance) return "";
  return "; did you mean " + Quote(best) + "?";
}

}  // namespace

ObjectReader::ObjectReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ObjectReader::ObjectReader(ObjectReader&&) noexcept = default;
ObjectReader& ObjectReader::operator=(ObjectReader&&) noexcept = default;
ObjectReader::~ObjectReader() = default;

ObjectReader ObjectReader::Make(std::shared_ptr<ReadContext> context, const YAML::Node& node,
                                std::string path) {
  auto impl = std::make_unique<Impl>();
  impl->context = std::move(context);
  impl->path = std::move(path);
  impl->position = NodePosition(node, Position{});
  if (!node.IsMap()) {
    if (!node.IsNull()) {
      impl->context->AddError(impl->position, impl->path,
                              "expected a mapping, got " + Describe(node));
    }
    return ObjectReader(std::move(impl));
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    Position key_position = NodePosition(it->first, impl->position);
    if (!it->first.IsScalar()) {
      impl->context->AddError(key_position, impl->path,
                              "keys must be strings, got " + Describe(it->first));
      continue;
    }
    const std::string& key = it->first.Scalar();
    auto first = std::find_if(impl->entries.begin(), impl->entries.end(),
                              [&key](const Entry& e) { return e.key == key; });
    if (first != impl->entries.end()) {
      impl->context->AddError(key_position, impl->path,
                              "duplicate key " + Quote(key) + " (first at line " +
                                  std::to_string(first->key_position.line) + ", column " +
                                  std::to_string(first->key_position.column) +
                                  "); remove one of them");
      continue;
    }
    impl->entries.push_back(Entry{key, key_position, it->second, false});
  }
  return ObjectReader(std::move(impl));
}

ObjectReader::Entry* ObjectReader::Take(std::string_view key) {
  if (std::find(impl_->asked.begin(), impl_->asked.end(), key) == impl_->asked.end()) {
    impl_->asked.emplace_back(key);
  }
  for (Entry& entry : impl_->entries) {
    if (entry.key == key) {
      entry.used = true;
      return &entry;
    }
  }
  return nullptr;
}

void ObjectReader::ReportNotA(const Entry* entry, Presence presence, std::string_view expected,
                              std::string_view key) {
  if (entry == nullptr) {
    if (presence == Presence::kRequired) {
      impl_->context->AddError(impl_->position, impl_->path, "missing required key " + Quote(key));
    }
    return;
  }
  std::string path = JoinPath(impl_->path, key);
  if (entry->value.IsNull()) {
    if (presence == Presence::kRequired) {
      impl_->context->AddError(entry->key_position, path,
                               "expected " + std::string(expected) + ", got an empty value");
    }
    return;
  }
  impl_->context->AddError(NodePosition(entry->value, entry->key_position), path,
                           "expected " + std::string(expected) + ", got " + Describe(entry->value));
}

std::optional<std::string> ObjectReader::ExpandText(const std::string& text, Position position,
                                                    std::string_view path) {
  if (!impl_->context->options().expand_env) return text;
  Result<std::string> expanded = ExpandEnv(text, impl_->context->options().env);
  if (!expanded.ok()) {
    impl_->context->AddError(position, path, expanded.status().message());
    return std::nullopt;
  }
  return std::move(expanded).value();
}

std::optional<ObjectReader::Scalar> ObjectReader::TakeScalar(std::string_view key,
                                                             Presence presence,
                                                             std::string_view expected) {
  Entry* entry = Take(key);
  if (entry == nullptr || !entry->value.IsScalar()) {
    ReportNotA(entry, presence, expected, key);
    return std::nullopt;
  }
  Position position = NodePosition(entry->value, entry->key_position);
  std::string path = JoinPath(impl_->path, key);
  std::optional<std::string> text = ExpandText(entry->value.Scalar(), position, path);
  if (!text.has_value()) return std::nullopt;
  return Scalar{std::move(*text), entry->value.Scalar(), position, std::move(path)};
}

void ObjectReader::FailScalar(const Scalar& scalar, std::string_view expected,
                              std::string_view hint) {
  std::string message = "expected " + std::string(expected) + ", got " + Quote(scalar.text);
  if (scalar.text != scalar.original) message += " (expanded from " + Quote(scalar.original) + ")";
  message.append(hint);
  impl_->context->AddError(scalar.position, scalar.path, message);
}

bool ObjectReader::Read(std::string_view key, std::string* out, Presence presence) {
  std::optional<Scalar> scalar = TakeScalar(key, presence, "a string");
  if (!scalar.has_value()) return false;
  *out = std::move(scalar->text);
  return true;
}

bool ObjectReader::Read(std::string_view key, bool* out, Presence presence) {
  std::optional<Scalar> scalar = TakeScalar(key, presence, "true or false");
  if (!scalar.has_value()) return false;
  std::optional<bool> value = ParseBool(scalar->text);
  if (!value.has_value()) {
    FailScalar(*scalar, "true or false");
    return false;
  }
  *out = *value;
  return true;
}

bool ObjectReader::Read(std::string_view key, double* out, Presence presence) {
  std::optional<Scalar> scalar = TakeScalar(key, presence, "a number");
  if (!scalar.has_value()) return false;
  std::optional<double> value = ParseDouble(scalar->text);
  if (!value.has_value()) {
    FailScalar(*scalar, "a number");
    return false;
  }
  *out = *value;
  return true;
}

bool ObjectReader::Read(std::string_view key, int64_t* out, Presence presence, Duration tag) {
  constexpr std::string_view kExpected = "a duration like \"30s\" or \"1h30m\"";
  std::optional<Scalar> scalar = TakeScalar(key, presence, kExpected);
  if (!scalar.has_value()) return false;
  Result<int64_t> nanos = time::ParseDuration(scalar->text);
  if (!nanos.ok()) {
    FailScalar(*scalar, kExpected);
    return false;
  }
  if (*nanos < 0 && !tag.allow_negative) {
    FailScalar(*scalar, "a duration that is not negative");
    return false;
  }
  *out = *nanos;
  return true;
}

bool ObjectReader::Read(std::string_view key, int64_t* out, Presence presence, ByteSize) {
  constexpr std::string_view kExpected = "a size like \"64MiB\" or \"512KB\"";
  std::optional<Scalar> scalar = TakeScalar(key, presence, kExpected);
  if (!scalar.has_value()) return false;
  Result<int64_t> bytes = units::ParseByteSize(scalar->text);
  if (!bytes.ok()) {
    FailScalar(*scalar, kExpected);
    return false;
  }
  *out = *bytes;
  return true;
}

bool ObjectReader::Read(std::string_view key, std::vector<std::string>* out, Presence presence) {
  constexpr std::string_view kExpected = "a list of strings";
  Entry* entry = Take(key);
  std::string path = JoinPath(impl_->path, key);
  if (entry != nullptr && entry->value.IsSequence()) {
    std::vector<std::string> items;
    bool ok = true;
    Position list_position = NodePosition(entry->value, entry->key_position);
    for (size_t i = 0; i < entry->value.size(); ++i) {
      YAML::Node item = entry->value[i];
      std::string item_path = ItemPath(path, i);
      Position position = NodePosition(item, list_position);
      if (!item.IsScalar()) {
        impl_->context->AddError(position, item_path, "expected a string, got " + Describe(item));
        ok = false;
        continue;
      }
      std::optional<std::string> text = ExpandText(item.Scalar(), position, item_path);
      if (!text.has_value()) {
        ok = false;
        continue;
      }
      items.push_back(std::move(*text));
    }
    if (ok) *out = std::move(items);
    return ok;
  }
  ReportNotA(entry, presence, kExpected, key);
  return false;
}

bool ObjectReader::Read(std::string_view key, std::map<std::string, std::string>* out,
                        Presence presence) {
  Entry* entry = Take(key);
  if (entry != nullptr && entry->value.IsMap()) {
    std::map<std::string, std::string> values;
    bool ok = true;
    ObjectReader mapping = Make(impl_->context, entry->value, JoinPath(impl_->path, key));
    for (Entry& item : mapping.impl_->entries) {
      item.used = true;
      std::string item_path = JoinPath(mapping.path(), item.key);
      Position position = NodePosition(item.value, item.key_position);
      if (!item.value.IsScalar()) {
        impl_->context->AddError(position, item_path,
                                 "expected a string, got " + Describe(item.value));
        ok = false;
        continue;
      }
      std::optional<std::string> text = ExpandText(item.value.Scalar(), position, item_path);
      if (!text.has_value()) {
        ok = false;
        continue;
      }
      values[item.key] = std::move(*text);
    }
    if (ok) *out = std::move(values);
    return ok;
  }
  ReportNotA(entry, presence, "a mapping of strings", key);
  return false;
}

std::optional<size_t> ObjectReader::ReadChoice(std::string_view key,
                                               const std::vector<std::string_view>& names,
                                               Presence presence) {
  std::string expected = "one of ";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) expected.append(", ");
    expected.append(Quote(names[i]));
  }
  std::optional<Scalar> scalar = TakeScalar(key, presence, expected);
  if (!scalar.has_value()) return std::nullopt;
  auto it = std::find(names.begin(), names.end(), scalar->text);
  if (it == names.end()) {
    FailScalar(*scalar, expected, Suggestion(scalar->text, names));
    return std::nullopt;
  }
  return static_cast<size_t>(it - names.begin());
}

bool ObjectReader::Object(std::string_view key, const std::function<void(ObjectReader&)>& read,
                          Presence presence) {
  Entry* entry = Take(key);
  if (entry == nullptr || !entry->value.IsMap()) {
    ReportNotA(entry, presence, "a mapping", key);
    return false;
  }
  ObjectReader child = Make(impl_->context, entry->value, JoinPath(impl_->path, key));
  read(child);
  child.CheckUnknownKeys();
  return true;
}

bool ObjectReader::List(std::string_view key, const std::function<void(ObjectReader&)>& read,
                        Presence presence) {
  Entry* entry = Take(key);
  if (entry == nullptr || !entry->value.IsSequence()) {
    ReportNotA(entry, presence, "a list", key);
    return false;
  }
  std::string path = JoinPath(impl_->path, key);
  Position list_position = NodePosition(entry->value, entry->key_position);
  for (size_t i = 0; i < entry->value.size(); ++i) {
    YAML::Node item = entry->value[i];
    if (!item.IsMap()) {
      impl_->context->AddError(NodePosition(item, list_position), ItemPath(path, i),
                               "expected a mapping, got " + Describe(item));
      continue;
    }
    ObjectReader child = Make(impl_->context, item, ItemPath(path, i));
    read(child);
    child.CheckUnknownKeys();
  }
  return true;
}

bool ObjectReader::Map(std::string_view key,
                       const std::function<void(std::string_view name, ObjectReader&)>& read,
                       Presence presence) {
  Entry* entry = Take(key);
  if (entry == nullptr || !entry->value.IsMap()) {
    ReportNotA(entry, presence, "a mapping", key);
    return false;
  }
  ObjectReader mapping = Make(impl_->context, entry->value, JoinPath(impl_->path, key));
  for (Entry& item : mapping.impl_->entries) {
    item.used = true;
    std::string item_path = JoinPath(mapping.path(), item.key);
    if (!item.value.IsMap() && !item.value.IsNull()) {
      impl_->context->AddError(NodePosition(item.value, item.key_position), item_path,
                               "expected a mapping, got " + Describe(item.value));
      continue;
    }
    // A null value ("team-a:") is an entry with every setting at its default.
    ObjectReader child = Make(impl_->context, item.value, item_path);
    if (item.value.IsNull()) child.impl_->position = item.key_position;
    read(item.key, child);
    child.CheckUnknownKeys();
  }
  return true;
}

bool ObjectReader::Has(std::string_view key) const {
  for (const Entry& entry : impl_->entries) {
    if (entry.key == key) return !entry.value.IsNull();
  }
  return false;
}

const std::string& ObjectReader::path() const { return impl_->path; }

void ObjectReader::AddError(std::string_view key, std::string_view message) {
  if (key.empty()) {
    impl_->context->AddError(impl_->position, impl_->path, message);
    return;
  }
  Position position = impl_->position;
  for (const Entry& entry : impl_->entries) {
    if (entry.key == key) position = NodePosition(entry.value, entry.key_position);
  }
  impl_->context->AddError(position, JoinPath(impl_->path, key), message);
}

void ObjectReader::CheckUnknownKeys() {
  if (impl_->checked_unknown) return;
  impl_->checked_unknown = true;
  for (const Entry& entry : impl_->entries) {
    if (entry.used) continue;
    std::string message = "unknown key " + Quote(entry.key);
    if (entry.key == "<<") {
      message += "; YAML merge keys are not supported, write the keys out";
    } else {
      message += Suggestion(entry.key, impl_->asked);
    }
    impl_->context->AddError(entry.key_position, impl_->path, message);
  }
}

Status ObjectReader::Finish() {
  CheckUnknownKeys();
  return impl_->context->ToStatus();
}

}  // namespace silt::config
