// Reusable (name, value) list (field_list.h).
#include "aggregator/ingest/pipeline/field_list.h"

#include <utility>

namespace silt::ingest {

size_t FieldList::Find(std::string_view name) const {
  for (size_t i = 0; i < size_; ++i) {
    if (slots_[i].name == name) return i;
  }
  return size_;
}

void FieldList::Set(std::string_view name, std::string_view value) {
  size_t i = Find(name);
  if (i == size_) {
    if (size_ == slots_.size()) slots_.emplace_back();
    slots_[size_].name.assign(name);
    ++size_;
  }
  slots_[i].value.assign(value);
}

std::optional<std::string_view> FieldList::Get(std::string_view name) const {
  size_t i = Find(name);
  if (i == size_) return std::nullopt;
  return std::string_view(slots_[i].value);
}

bool FieldList::Remove(std::string_view name) {
  size_t i = Find(name);
  if (i == size_) return false;
  --size_;
  // Swap keeps both strings' buffers alive in the slot vector for reuse.
  if (i != size_) std::swap(slots_[i], slots_[size_]);
  return true;
}

}  // namespace silt::ingest
