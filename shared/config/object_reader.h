// ObjectReader: reads one YAML mapping of a config Document into a C++ struct, declaratively and
// without exceptions. Each call names a key and where to store its value; problems are recorded,
// not returned one by one, so a single Finish() reports every error in the file at once, each as
// "<file>:<line>:<column>: <key path>: <what was expected>, got <what was found>".
//
//   ObjectReader r = doc.Root();
//   r.Optional("batch_size", &opts.batch_size);                 // range-checked for its type
//   r.Optional("linger", &opts.linger_ns, config::Duration{});  // "30s" -> nanoseconds
//   r.Optional("max_bytes", &opts.max_bytes, config::ByteSize{});
//   r.Required("paths", &opts.paths);                           // std::vector<std::string>
//   r.Enum("read_from", &opts.read_from, {{"head", ReadFrom::kHead}, {"tail", ReadFrom::kTail}});
//   r.Object("tls", [&](config::ObjectReader& tls) { tls.Optional("ca_file", &opts.ca); });
//   r.List("watches", [&](config::ObjectReader& w) { ... });
//   SILT_RETURN_IF_ERROR(r.Finish());
//
// Rules, the same for every reader:
// - A key present with a null value ("key:", "key: ~", "key: null") counts as absent: Optional
//   leaves the destination unchanged, Required reports an error. A destination is written only
//   when its whole value is valid.
// - Keys this object never asked about are errors ("unknown key"), with the closest asked-about
//   key suggested when it is within 2 edits. They are checked when a nested reader's callback
//   returns and, for the root, in Finish(). Repeated keys and keys that are not strings are
//   errors too.
// - Quoting does not change how a value is read: "8080" and 8080 both fill an int. Booleans are
//   only true/True/TRUE/false/False/FALSE (not yes/no/on/off).
//
// Lifetime: a reader refers to its Document, which must outlive it. Callbacks receive readers
// that live only for the call. Thread-safety: none; one thread reads a document.
#pragma once

#include <concepts>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "shared/config/scalar.h"
#include "shared/status/status.h"

namespace YAML {
class Node;
}  // namespace YAML

namespace silt::config {

class ReadContext;

// A 1-based position in a config source.
struct Position {
  int line = 1;
  int column = 1;
};

enum class Presence { kOptional, kRequired };

// Tag: read a duration string ("30s", "1h30m", "250ms"; silt::time::ParseDuration) into int64
// nanoseconds. Negative durations are errors unless allowed.
struct Duration {
  bool allow_negative = false;
};
// Tag: read a byte size ("64MiB", "512KB", "1024"; silt::units::ParseByteSize) into int64 bytes.
struct ByteSize {};

class ObjectReader {
 public:
  ObjectReader(ObjectReader&&) noexcept;
  ObjectReader& operator=(ObjectReader&&) noexcept;
  ~ObjectReader();

  // Reads `key` into *out. Supported destinations: std::string, bool, any integer type (range-
  // checked: "-1" into an unsigned or "70000" into uint16_t is an error), double,
  // std::vector<std::string> (a list of strings), std::map<std::string, std::string> (a mapping
  // of strings, e.g. labels), and int64_t with a Duration{} or ByteSize{} tag.
  // Returns true when *out was written; false when the key is absent or null, or on error
  // (recorded for Finish()). Required additionally records an error when the key is absent or
  // null.
  template <typename T, typename... Tag>
  bool Optional(std::string_view key, T* out, Tag... tag) {
    return Read(key, out, Presence::kOptional, tag...);
  }
  template <typename T, typename... Tag>
  bool Required(std::string_view key, T* out, Tag... tag) {
    return Read(key, out, Presence::kRequired, tag...);
  }

  // Reads `key` as one of the names in `choices` (case-sensitive) and stores the matching value.
  // Returns as Optional/Required do; an unknown name is an error listing the choices.
  template <typename E>
  bool Enum(std::string_view key, E* out,
            std::initializer_list<std::pair<std::string_view, std::type_identity_t<E>>> choices,
            Presence presence = Presence::kOptional) {
    std::vector<std::string_view> names;
    for (const auto& choice : choices) names.push_back(choice.first);
    std::optional<size_t> index = ReadChoice(key, names, presence);
    if (!index.has_value()) return false;
    *out = (choices.begin() + *index)->second;
    return true;
  }

  // Calls `read` with a reader for the mapping at `key`, then checks that mapping for unknown
  // keys. Returns true when `read` was called; false when the key is absent or null, or its value
  // is not a mapping (an error).
  bool Object(std::string_view key, const std::function<void(ObjectReader&)>& read,
              Presence presence = Presence::kOptional);
  // Calls `read` for each item of the list at `key`, in order; every item must be a mapping (its
  // path is "key[i]"). Returns true when the key holds a list (possibly empty).
  bool List(std::string_view key, const std::function<void(ObjectReader&)>& read,
            Presence presence = Presence::kOptional);
  // Calls `read(name, reader)` for each entry of the mapping at `key` whose keys are chosen by
  // the user (tenant ids, rule names), in file order; every value must be a mapping. Returns true
  // when the key holds a mapping (possibly empty).
  bool Map(std::string_view key,
           const std::function<void(std::string_view name, ObjectReader&)>& read,
           Presence presence = Presence::kOptional);

  // True when `key` is present with a non-null value. Does not count as reading the key.
  bool Has(std::string_view key) const;
  // The key path of this object ("" for the root, "watches[2].multiline").
  const std::string& path() const;

  // Records a caller's own validation error about `key` ("must be greater than batch_size"),
  // positioned at its value, or at this object when the key is absent or `key` is empty.
  void AddError(std::string_view key, std::string_view message);

  // Checks this object for unknown keys (once), then returns OK, or InvalidArgument listing every
  // error recorded while reading the document so far, one per line, sorted by position.
  [[nodiscard]] Status Finish();

 private:
  friend class Document;
  struct Impl;
  struct Entry;
  // A scalar value taken from the document, after environment expansion.
  struct Scalar {
    std::string text;
    std::string original;  // before expansion
    Position position;
    std::string path;
  };

  explicit ObjectReader(std::unique_ptr<Impl> impl);
  // A reader for `node` (any type; a non-mapping is reported as an error at `path`).
  static ObjectReader Make(std::shared_ptr<ReadContext> context, const YAML::Node& node,
                           std::string path);

  bool Read(std::string_view key, std::string* out, Presence presence);
  bool Read(std::string_view key, bool* out, Presence presence);
  bool Read(std::string_view key, double* out, Presence presence);
  bool Read(std::string_view key, std::vector<std::string>* out, Presence presence);
  bool Read(std::string_view key, std::map<std::string, std::string>* out, Presence presence);
  bool Read(std::string_view key, int64_t* out, Presence presence, Duration tag);
  bool Read(std::string_view key, int64_t* out, Presence presence, ByteSize tag);
  template <std::integral T>
  requires(!std::is_same_v<T, bool>) bool Read(std::string_view key, T* out, Presence presence) {
    std::optional<Scalar> scalar = TakeScalar(key, presence, "an integer");
    if (!scalar.has_value()) return false;
    T value{};
    if (ParseInteger(scalar->text, &value) != IntegerParse::kOk) {
      FailScalar(*scalar, "an integer from " + std::to_string(std::numeric_limits<T>::min()) +
                              " to " + std::to_string(std::numeric_limits<T>::max()));
      return false;
    }
    *out = value;
    return true;
  }

  // Marks `key` as asked about and returns its entry, or nullptr when absent.
  Entry* Take(std::string_view key);
  // Takes `key` and returns its scalar text; records an error (using `expected` to describe the
  // wanted value) and returns nullopt when it is missing-but-required, null, or not a scalar.
  std::optional<Scalar> TakeScalar(std::string_view key, Presence presence,
                                   std::string_view expected);
  // Records "<path>: expected <expected>, got <scalar text><hint>" at the scalar.
  void FailScalar(const Scalar& scalar, std::string_view expected, std::string_view hint = "");
  // Records why `entry` (nullptr when absent) does not hold `expected`: a missing or empty
  // required key, or a value of another kind.
  void ReportNotA(const Entry* entry, Presence presence, std::string_view expected,
                  std::string_view key);
  // `text` after environment expansion (when enabled); records the error and returns nullopt
  // when expansion fails.
  std::optional<std::string> ExpandText(const std::string& text, Position position,
                                        std::string_view path);
  std::optional<size_t> ReadChoice(std::string_view key, const std::vector<std::string_view>& names,
                                   Presence presence);
  void CheckUnknownKeys();

  std::unique_ptr<Impl> impl_;
};

}  // namespace silt::config
