// Headers: an HTTP header list as it travels in a request or response. Order and repetition are
// kept (a request may carry several `Accept` or `X-Forwarded-For` lines); lookups compare names
// case-insensitively (ASCII), as RFC 9110 says field names are case-insensitive.
// A value type; thread-compatible.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace silt::http {

// True when `a` and `b` are equal ignoring ASCII case.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// True when `name` is a valid field name (an RFC 9110 token: visible ASCII without delimiters).
bool IsValidHeaderName(std::string_view name);

struct Header {
  std::string name;
  std::string value;
};

class Headers {
 public:
  Headers() = default;
  Headers(std::initializer_list<Header> headers) : entries_(headers) {}

  // Appends a line, keeping any existing ones with the same name.
  void Add(std::string name, std::string value);
  // Replaces every line named `name` (in any case) by one line at the end.
  void Set(std::string name, std::string value);
  // Removes every line named `name`; returns how many were removed.
  size_t Remove(std::string_view name);

  // The value of the first line named `name`, or nullopt. The view is valid until this object is
  // modified or destroyed.
  std::optional<std::string_view> Get(std::string_view name) const;
  // The values of every line named `name`, in order.
  std::vector<std::string_view> GetAll(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  // True when a comma-separated list header (Connection, Expect) contains `token`, in any case
  // and across all its lines: HasToken("Connection", "close").
  bool HasToken(std::string_view name, std::string_view token) const;

  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }
  const std::vector<Header>& entries() const { return entries_; }
  std::vector<Header>::const_iterator begin() const { return entries_.begin(); }
  std::vector<Header>::const_iterator end() const { return entries_.end(); }

  // For the request parser, which builds lines from pieces: the last line, to append to.
  // Precondition: !empty().
  Header& back() { return entries_.back(); }
  void reserve(size_t n) { entries_.reserve(n); }

 private:
  std::vector<Header> entries_;
};

}  // namespace silt::http
