// QueryParams: the key/value pairs of a URL query string or an application/x-www-form-urlencoded
// body ("query=%7Bjob%3D%22x%22%7D&limit=100"), decoded. Repeated keys are kept in order
// (`match[]=a&match[]=b`), '+' means a space in both forms (as in Go's url.ParseQuery, which Loki
// uses), a key without '=' has the empty value, and empty pairs ("a=1&&b=2") are skipped.
// A value type; thread-compatible.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/http/request.h"
#include "shared/status/result.h"

namespace silt::http {

class QueryParams {
 public:
  QueryParams() = default;

  // Parses an encoded query string (without the leading '?') or form body. Returns
  // InvalidArgument naming the offending pair for a bad percent-escape or an escaped NUL; answer
  // it with 400 (Response::FromStatus).
  static Result<QueryParams> Parse(std::string_view encoded);

  // The parameters of a request as Loki reads them (Go's Request.Form): for POST, PUT and PATCH
  // with Content-Type application/x-www-form-urlencoded the body's pairs come first, then the
  // query string's. Errors as Parse, saying whether the query or the body was bad.
  static Result<QueryParams> FromRequest(const Request& request);

  // The first value of `key`, or nullopt. Views are valid until this object changes or dies.
  std::optional<std::string_view> Get(std::string_view key) const;
  // The first value of `key`, or `fallback`.
  std::string_view GetOr(std::string_view key, std::string_view fallback) const;
  // Every value of `key`, in order.
  std::vector<std::string_view> GetAll(std::string_view key) const;
  bool Has(std::string_view key) const { return Get(key).has_value(); }

  void Add(std::string key, std::string value);
  // Appends every pair of `other` after this object's pairs.
  void Append(const QueryParams& other);

  size_t size() const { return pairs_.size(); }
  bool empty() const { return pairs_.empty(); }
  const std::vector<std::pair<std::string, std::string>>& pairs() const { return pairs_; }

  // The pairs encoded as a query string ("a=1&b=x%20y"), keys and values with PercentEncode.
  std::string Encode() const;

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
};

}  // namespace silt::http
