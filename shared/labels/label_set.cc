#include "shared/labels/label_set.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <limits>
#include <new>
#include <numeric>

#include "shared/hash/xxh3.h"
#include "shared/labels/string_literal.h"

namespace silt::labels {

// The shared buffer: this header, then `bytes` bytes of entries, each
// varint(name length) name varint(value length) value, in name order.
struct LabelSet::Rep {
  std::atomic<uint32_t> refs;
  uint32_t count;
  uint32_t bytes;

  char* data() { return reinterpret_cast<char*>(this + 1); }
  const char* data() const { return reinterpret_cast<const char*>(this + 1); }
};

namespace {

size_t VarintSize(size_t value) {
  size_t size = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++size;
  }
  return size;
}

char* PutVarint(size_t value, char* out) {
  while (value >= 0x80) {
    *out++ = static_cast<char>((value & 0x7F) | 0x80);
    value >>= 7;
  }
  *out++ = static_cast<char>(value);
  return out;
}

// Reads a varint written by PutVarint (the buffer is built only here, so it is well formed).
const char* GetVarint(const char* in, size_t* value) {
  size_t result = 0;
  int shift = 0;
  while (true) {
    const auto byte = static_cast<unsigned char>(*in++);
    result |= static_cast<size_t>(byte & 0x7F) << shift;
    if (byte < 0x80) break;
    shift += 7;
  }
  *value = result;
  return in;
}

const char* GetString(const char* in, std::string_view* out) {
  size_t length = 0;
  in = GetVarint(in, &length);
  *out = std::string_view(in, length);
  return in + length;
}

}  // namespace

LabelSet::Iterator::Iterator(const char* pos, const char* end) : pos_(pos), end_(end) { Decode(); }

void LabelSet::Iterator::Decode() {
  if (pos_ == end_) return;
  next_ = GetString(GetString(pos_, &current_.name), &current_.value);
}

LabelSet::Iterator& LabelSet::Iterator::operator++() {
  pos_ = next_;
  Decode();
  return *this;
}

LabelSet::Iterator LabelSet::Iterator::operator++(int) {
  Iterator before = *this;
  ++*this;
  return before;
}

LabelSet::LabelSet(const LabelSet& other) noexcept : rep_(other.rep_) {
  if (rep_ != nullptr) rep_->refs.fetch_add(1, std::memory_order_relaxed);
}

LabelSet& LabelSet::operator=(const LabelSet& other) noexcept {
  // Already sharing the bytes (a per-entry assignment of a stream's labels): no reference count
  // changes, which are atomic.
  if (rep_ == other.rep_) return *this;
  LabelSet copy(other);
  std::swap(rep_, copy.rep_);
  return *this;
}

LabelSet& LabelSet::operator=(LabelSet&& other) noexcept {
  LabelSet moved(std::move(other));
  std::swap(rep_, moved.rep_);
  return *this;
}

LabelSet::~LabelSet() {
  if (rep_ != nullptr && rep_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    rep_->~Rep();
    ::operator delete(rep_);
  }
}

LabelSet LabelSet::EncodeSorted(std::span<const LabelView> labels) {
  LabelSet result;
  if (labels.empty()) return result;
  size_t bytes = 0;
  for (const LabelView& label : labels) {
    bytes += VarintSize(label.name.size()) + label.name.size() + VarintSize(label.value.size()) +
             label.value.size();
  }
  assert(bytes <= std::numeric_limits<uint32_t>::max() && "label set larger than 4 GiB");
  void* memory = ::operator new(sizeof(Rep) + bytes);
  Rep* rep =
      new (memory) Rep{{1}, static_cast<uint32_t>(labels.size()), static_cast<uint32_t>(bytes)};
  char* out = rep->data();
  for (const LabelView& label : labels) {
    out = PutVarint(label.name.size(), out);
    out = std::copy(label.name.begin(), label.name.end(), out);
    out = PutVarint(label.value.size(), out);
    out = std::copy(label.value.begin(), label.value.end(), out);
  }
  result.rep_ = rep;
  return result;
}

Result<LabelSet> LabelSet::FromSorted(std::span<const LabelView> labels) {
  std::vector<LabelView> kept;
  kept.reserve(labels.size());
  for (size_t i = 0; i < labels.size(); ++i) {
    const LabelView& label = labels[i];
    if (i > 0 && labels[i - 1].name >= label.name) {
      const std::string problem =
          labels[i - 1].name == label.name
              ? "appears twice"
              : "sorts before the previous name " + Quote(labels[i - 1].name);
      return Status::InvalidArgument("label " + std::to_string(i) + ": name " + Quote(label.name) +
                                     " " + problem +
                                     "; labels must be sorted by name with no duplicates");
    }
    if (!label.value.empty()) kept.push_back(label);
  }
  return EncodeSorted(kept);
}

Result<LabelSet> LabelSet::FromSorted(std::span<const Label> labels) {
  std::vector<LabelView> views;
  views.reserve(labels.size());
  for (const Label& label : labels) views.push_back({label.name, label.value});
  return FromSorted(std::span<const LabelView>(views));
}

LabelSet LabelSet::Of(std::initializer_list<LabelView> labels) {
  LabelSetBuilder builder;
  for (const LabelView& label : labels) builder.Set(label.name, label.value);
  return builder.Build();
}

size_t LabelSet::size() const { return rep_ == nullptr ? 0 : rep_->count; }

std::string_view LabelSet::Bytes() const {
  return rep_ == nullptr ? std::string_view() : std::string_view(rep_->data(), rep_->bytes);
}

LabelSet::Iterator LabelSet::begin() const {
  const std::string_view bytes = Bytes();
  return Iterator(bytes.data(), bytes.data() + bytes.size());
}

LabelSet::Iterator LabelSet::end() const {
  const std::string_view bytes = Bytes();
  return Iterator(bytes.data() + bytes.size(), bytes.data() + bytes.size());
}

std::optional<std::string_view> LabelSet::Get(std::string_view name) const {
  for (const LabelView label : *this) {
    if (label.name == name) return label.value;
    if (label.name > name) break;  // sorted: it cannot come later
  }
  return std::nullopt;
}

void LabelSet::AppendString(std::string* out) const {
  out->push_back('{');
  bool first = true;
  for (const LabelView label : *this) {
    if (!first) out->append(", ");
    first = false;
    AppendLabelName(label.name, out);
    out->push_back('=');
    AppendQuoted(label.value, out);
  }
  out->push_back('}');
}

std::string LabelSet::ToString() const {
  std::string out;
  out.reserve(Bytes().size() + 4 * size() + 2);
  AppendString(&out);
  return out;
}

uint64_t LabelSet::Fingerprint() const { return hash::Xxh3(ToString()); }

size_t LabelSet::Hash() const { return static_cast<size_t>(hash::Xxh3(Bytes())); }

size_t LabelSet::MemoryBytes() const { return rep_ == nullptr ? 0 : sizeof(Rep) + rep_->bytes; }

bool operator==(const LabelSet& a, const LabelSet& b) {
  // The encoding is canonical, so equal sets have equal bytes.
  return a.rep_ == b.rep_ || a.Bytes() == b.Bytes();
}

std::strong_ordering operator<=>(const LabelSet& a, const LabelSet& b) {
  LabelSet::Iterator ia = a.begin(), ib = b.begin();
  const LabelSet::Iterator ea = a.end(), eb = b.end();
  for (; ia != ea && ib != eb; ++ia, ++ib) {
    if (auto c = ia->name.compare(ib->name); c != 0) return c <=> 0;
    if (auto c = ia->value.compare(ib->value); c != 0) return c <=> 0;
  }
  if (ia == ea && ib == eb) return std::strong_ordering::equal;
  return ia == ea ? std::strong_ordering::less : std::strong_ordering::greater;
}

std::ostream& operator<<(std::ostream& os, const LabelSet& labels) {
  return os << labels.ToString();
}

LabelSetBuilder::LabelSetBuilder(const LabelSet& base) {
  ops_.reserve(base.size());
  for (const LabelView label : base) {
    ops_.push_back({std::string(label.name), std::string(label.value)});
  }
}

LabelSetBuilder& LabelSetBuilder::Set(std::string_view name, std::string_view value) {
  ops_.push_back({std::string(name), std::string(value)});
  return *this;
}

LabelSetBuilder& LabelSetBuilder::Del(std::string_view name) { return Set(name, {}); }

std::optional<std::string_view> LabelSetBuilder::Get(std::string_view name) const {
  for (auto it = ops_.rbegin(); it != ops_.rend(); ++it) {
    if (it->name != name) continue;
    if (it->value.empty()) return std::nullopt;
    return std::string_view(it->value);
  }
  return std::nullopt;
}

LabelSet LabelSetBuilder::Build() const {
  std::vector<size_t> order(ops_.size());
  std::iota(order.begin(), order.end(), size_t{0});
  // Stable: among equal names the calls stay in order, so the last of a run is the last call.
  std::stable_sort(order.begin(), order.end(),
                   [this](size_t a, size_t b) { return ops_[a].name < ops_[b].name; });
  std::vector<LabelView> labels;
  labels.reserve(order.size());
  for (size_t i = 0; i < order.size(); ++i) {
    const Label& op = ops_[order[i]];
    if (i + 1 < order.size() && ops_[order[i + 1]].name == op.name) continue;
    if (!op.value.empty()) labels.push_back({op.name, op.value});
  }
  return LabelSet::EncodeSorted(labels);
}

}  // namespace silt::labels
