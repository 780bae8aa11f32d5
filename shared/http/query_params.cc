#include "shared/http/query_params.h"

#include <utility>

#include "shared/http/headers.h"
#include "shared/http/percent_encoding.h"

namespace silt::http {
namespace {

// True when a Content-Type value names application/x-www-form-urlencoded (parameters such as
// "; charset=utf-8" are allowed).
bool IsFormContentType(std::string_view content_type) {
  const size_t semicolon = content_type.find(';');
  std::string_view media = content_type.substr(0, semicolon);
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.remove_prefix(1);
  return EqualsIgnoreCase(media, "application/x-www-form-urlencoded");
}

}  // namespace

Result<QueryParams> QueryParams::Parse(std::string_view encoded) {
  QueryParams params;
  size_t pair_start = 0;
  while (pair_start <= encoded.size()) {
    size_t pair_end = encoded.find('&', pair_start);
    if (pair_end == std::string_view::npos) pair_end = encoded.size();
    const std::string_view pair = encoded.substr(pair_start, pair_end - pair_start);
    pair_start = pair_end + 1;
    if (pair.empty()) continue;
    const size_t equals = pair.find('=');
    const std::string_view key = pair.substr(0, equals);
    const std::string_view value =
        equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
    auto decoded_key = PercentDecode(key, PlusMeans::kSpace);
    if (!decoded_key.ok()) return decoded_key.status().WithContext("bad parameter name");
    auto decoded_value = PercentDecode(value, PlusMeans::kSpace);
    if (!decoded_value.ok()) {
      return decoded_value.status().WithContext("bad value of parameter \"" + *decoded_key + "\"");
    }
    params.pairs_.emplace_back(std::move(*decoded_key), std::move(*decoded_value));
  }
  return params;
}

Result<QueryParams> QueryParams::FromRequest(const Request& request) {
  QueryParams params;
  const bool body_allowed =
      request.method == "POST" || request.method == "PUT" || request.method == "PATCH";
  const auto content_type = request.headers.Get("Content-Type");
  if (body_allowed && content_type.has_value() && IsFormContentType(*content_type)) {
    auto form = Parse(request.body);
    if (!form.ok()) return form.status().WithContext("form body");
    params = std::move(*form);
  }
  auto query = Parse(request.query);
  if (!query.ok()) return query.status().WithContext("query string");
  params.Append(*query);
  return params;
}

std::optional<std::string_view> QueryParams::Get(std::string_view key) const {
  for (const auto& [k, v] : pairs_) {
    if (k == key) return std::string_view(v);
  }
  return std::nullopt;
}

std::string_view QueryParams::GetOr(std::string_view key, std::string_view fallback) const {
  return Get(key).value_or(fallback);
}

std::vector<std::string_view> QueryParams::GetAll(std::string_view key) const {
  std::vector<std::string_view> values;
  for (const auto& [k, v] : pairs_) {
    if (k == key) values.emplace_back(v);
  }
  return values;
}

void QueryParams::Add(std::string key, std::string value) {
  pairs_.emplace_back(std::move(key), std::move(value));
}

void QueryParams::Append(const QueryParams& other) {
  pairs_.insert(pairs_.end(), other.pairs_.begin(), other.pairs_.end());
}

std::string QueryParams::Encode() const {
  std::string out;
  for (const auto& [k, v] : pairs_) {
    if (!out.empty()) out.push_back('&');
    out.append(PercentEncode(k));
    out.push_back('=');
    out.append(PercentEncode(v));
  }
  return out;
}

}  // namespace silt::http
