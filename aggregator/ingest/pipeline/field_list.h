// FieldList: a small list of (name, value) string pairs with unique names, used for an entry's
// extracted fields, its structured metadata and the labels its pipeline promotes. Entries are
// few (tens), so lookups are linear scans, which beat hashing at that size. Clear() keeps every
// slot and its string capacity, so a list reused from entry to entry stops allocating once warm.
// Thread-safety: none; a list belongs to one PipelineEntry, used by one thread at a time.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace silt::ingest {

struct Field {
  std::string name;
  std::string value;
};

class FieldList {
 public:
  // Sets `name` to `value`, replacing the value of an existing field of that name. Neither view
  // may point into this list (a new slot may move the others).
  void Set(std::string_view name, std::string_view value);
  // The value of `name`, or nullopt. The view is valid until the list is next changed.
  std::optional<std::string_view> Get(std::string_view name) const;
  // Removes `name`; returns false when there was no such field. Order of the rest may change.
  bool Remove(std::string_view name);
  // Forgets every field, keeping the allocated slots for reuse.
  void Clear() { size_ = 0; }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const Field* begin() const { return slots_.data(); }
  const Field* end() const { return slots_.data() + size_; }

 private:
  // The index of `name` among the live fields, or size_.
  size_t Find(std::string_view name) const;

  std::vector<Field> slots_;  // [0, size_) are live; the rest are kept for their capacity
  size_t size_ = 0;
};

}  // namespace silt::ingest
