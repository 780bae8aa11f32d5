// LabelSet: the identity of a stream, a set of (name, value) pairs sorted by name (byte order)
// with unique names and no empty values. Canonical text form `{a="x", b="y\"q"}` (see
// string_literal.h for the escaping); the stream fingerprint is XXH3-64 of that text.
//
// Memory: a LabelSet is one pointer to an immutable, reference-counted buffer that holds every
// name and value back to back (length-prefixed), so millions of streams cost one allocation each
// and copies share the buffer. The empty set allocates nothing.
//
// Thread-safety: immutable after construction; const methods and copies may be used from any
// number of threads at once (the reference count is atomic). Assigning to one LabelSet object
// from several threads at once is a race, as with std::shared_ptr.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "shared/status/result.h"

namespace silt::labels {

// An owned label, used to feed builders.
struct Label {
  std::string name;
  std::string value;
  friend bool operator==(const Label&, const Label&) = default;
};

// A label inside a LabelSet (or any caller-owned pair of strings). The views point into the
// LabelSet's shared buffer and stay valid while any copy of that LabelSet is alive.
struct LabelView {
  std::string_view name;
  std::string_view value;
  friend bool operator==(const LabelView&, const LabelView&) = default;
};

class LabelSet {
 public:
  // Forward iterator over the labels in name order; yields LabelView by value.
  class Iterator {
   public:
    using iterator_concept = std::forward_iterator_tag;
    using iterator_category = std::input_iterator_tag;
    using value_type = LabelView;
    using difference_type = std::ptrdiff_t;
    using reference = LabelView;

    Iterator() = default;
    LabelView operator*() const { return current_; }
    const LabelView* operator->() const { return &current_; }
    Iterator& operator++();
    Iterator operator++(int);
    friend bool operator==(const Iterator& a, const Iterator& b) { return a.pos_ == b.pos_; }

   private:
    friend class LabelSet;
    Iterator(const char* pos, const char* end);
    void Decode();

    const char* pos_ = nullptr;   // start of the current entry; == end_ at the end
    const char* end_ = nullptr;
    const char* next_ = nullptr;  // start of the following entry
    LabelView current_;
  };
  using const_iterator = Iterator;

  // The empty set, `{}`.
  LabelSet() = default;
  LabelSet(const LabelSet& other) noexcept;
  LabelSet& operator=(const LabelSet& other) noexcept;
  LabelSet(LabelSet&& other) noexcept : rep_(other.rep_) { other.rep_ = nullptr; }
  LabelSet& operator=(LabelSet&& other) noexcept;
  ~LabelSet();

  // Builds a set from labels already sorted by name with strictly increasing names (no
  // duplicates). Empty values are dropped, as everywhere. Returns InvalidArgument naming the
  // first out-of-order or duplicate name and its index; a decoder of stored labels can report
  // that as Corruption.
  static Result<LabelSet> FromSorted(std::span<const LabelView> labels);
  static Result<LabelSet> FromSorted(std::span<const Label> labels);

  // Builds a set with LabelSetBuilder semantics (any order; the last of duplicate names wins;
  // empty values are dropped). Meant for tests and constants: `LabelSet::Of({{"job", "api"}})`.
  static LabelSet Of(std::initializer_list<LabelView> labels);

  bool empty() const { return rep_ == nullptr; }
  // The number of labels.
  size_t size() const;
  Iterator begin() const;
  Iterator end() const;

  // The value of label `name`, or nullopt when the set has no such label. The view points into
  // this set's shared buffer (see LabelView).
  std::optional<std::string_view> Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }

  // The canonical text form: `{` + `name="value"` pairs joined by `, ` + `}`; `{}` when empty.
  // Names that are not [a-zA-Z_][a-zA-Z0-9_]* are quoted too. The format never changes.
  std::string ToString() const;
  // Appends ToString() to `out` without a temporary.
  void AppendString(std::string* out) const;

  // The stream fingerprint: XXH3-64 (seed 0) of ToString(). Stored on disk and sent on the
  // wire; equal sets have equal fingerprints on every platform and release.
  uint64_t Fingerprint() const;

  // A hash for in-memory hash tables (XXH3-64 of the internal buffer). Cheaper than
  // Fingerprint() but NOT stable across releases: never store or send it.
  size_t Hash() const;

  // Heap bytes of the shared buffer (0 for the empty set); shared by all copies.
  size_t MemoryBytes() const;

  friend bool operator==(const LabelSet& a, const LabelSet& b);
  // Orders label by label, comparing names then values as bytes; a prefix sorts first.
  friend std::strong_ordering operator<=>(const LabelSet& a, const LabelSet& b);

 private:
  friend class LabelSetBuilder;
  struct Rep;

  // Encodes labels that satisfy the invariant (sorted, unique, non-empty values).
  static LabelSet EncodeSorted(std::span<const LabelView> labels);
  std::string_view Bytes() const;

  Rep* rep_ = nullptr;
};

// Prints ToString(); used by GoogleTest and logging.
std::ostream& operator<<(std::ostream& os, const LabelSet& labels);

// Builds LabelSets: Set/Del in any order, then Build(). Like Prometheus' labels.Builder, an empty
// value means "absent", and when a name is set twice the last call wins.
// Not thread-safe; one builder per thread.
class LabelSetBuilder {
 public:
  LabelSetBuilder() = default;
  // Starts from the labels of `base` (e.g. to add or drop labels of an existing stream).
  explicit LabelSetBuilder(const LabelSet& base);

  // Sets `name` to `value`; an empty value removes the label. Returns *this for chaining.
  LabelSetBuilder& Set(std::string_view name, std::string_view value);
  // Removes `name` if present. Returns *this.
  LabelSetBuilder& Del(std::string_view name);
  // The value `name` would have in Build(), or nullopt if it would be absent. The view is valid
  // until the next call to a non-const method.
  std::optional<std::string_view> Get(std::string_view name) const;
  // Returns the set of labels; the builder is unchanged and may be used again.
  LabelSet Build() const;
  // Forgets every label.
  void Reset() { ops_.clear(); }

 private:
  std::vector<Label> ops_;  // every Set/Del in call order; Del is an empty value
};

}  // namespace silt::labels

template <>
struct std::hash<silt::labels::LabelSet> {
  size_t operator()(const silt::labels::LabelSet& labels) const { return labels.Hash(); }
};
