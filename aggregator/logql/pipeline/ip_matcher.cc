// ip() patterns compiled to address ranges (ip_matcher.h).
#include "aggregator/logql/pipeline/ip_matcher.h"

#include <arpa/inet.h>

#include <charconv>
#include <optional>
#include <string>

#include "aggregator/logql/ip_pattern.h"

namespace silt::logql::pipeline {
namespace {

struct Address {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};
};

// Parses one address with inet_pton (dotted quads without leading zeros; RFC 4291 text).
std::optional<Address> ParseAddress(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  char buffer[46];
  text.copy(buffer, text.size());
  buffer[text.size()] = '\0';
  Address address;
  if (text.find(':') == std::string_view::npos) {
    if (inet_pton(AF_INET, buffer, address.bytes.data()) != 1) return std::nullopt;
    return address;
  }
  address.v6 = true;
  if (inet_pton(AF_INET6, buffer, address.bytes.data()) != 1) return std::nullopt;
  return address;
}

bool IsAddressChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
         c == '.';
}

}  // namespace

Result<IpMatcher> IpMatcher::Create(std::string_view pattern) {
  SILT_RETURN_IF_ERROR(ValidateIpPattern(pattern));
  IpMatcher m;
  size_t slash = pattern.find('/');
  size_t dash = pattern.find('-');
  std::optional<Address> low;
  std::optional<Address> high;
  if (slash != std::string_view::npos) {
    low = ParseAddress(pattern.substr(0, slash));
    std::string_view bits_text = pattern.substr(slash + 1);
    int bits = 0;
    std::from_chars(bits_text.data(), bits_text.data() + bits_text.size(), bits);
    if (low) {
      high = low;
      int total = low->v6 ? 128 : 32;
      for (int bit = bits; bit < total; ++bit) {
        uint8_t mask = static_cast<uint8_t>(0x80 >> (bit % 8));
        low->bytes[bit / 8] &= static_cast<uint8_t>(~mask);
        high->bytes[bit / 8] |= mask;
      }
    }
  } else if (dash != std::string_view::npos) {
    low = ParseAddress(pattern.substr(0, dash));
    high = ParseAddress(pattern.substr(dash + 1));
  } else {
    low = ParseAddress(pattern);
    high = low;
  }
  if (!low || !high || low->v6 != high->v6) {
    return Status::InvalidArgument("invalid ip pattern \"" + std::string(pattern) +
                                   "\": expected an address, a CIDR block or a range of one family");
  }
  m.v6_ = low->v6;
  m.low_ = low->bytes;
  m.high_ = high->bytes;
  return m;
}

bool IpMatcher::InRange(const Bytes& address, bool v6) const {
  if (v6 != v6_) return false;
  size_t n = v6 ? 16 : 4;
  auto compare = [n](const Bytes& a, const Bytes& b) {
    for (size_t i = 0; i < n; ++i) {
      if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    }
    return 0;
  };
  return compare(low_, address) <= 0 && compare(address, high_) <= 0;
}

bool IpMatcher::MatchesAddress(std::string_view text) const {
  std::optional<Address> address = ParseAddress(text);
  return address && InRange(address->bytes, address->v6);
}

bool IpMatcher::MatchesAnyInLine(std::string_view line) const {
  size_t i = 0;
  while (i < line.size()) {
    if (!IsAddressChar(line[i])) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < line.size() && IsAddressChar(line[end])) ++end;
    std::string_view run = line.substr(i, end - i);
    if (MatchesAddress(run)) return true;
    // IPv4 addresses inside a longer run ("ip:10.0.0.1:80" style text, "a1.2.3.4").
    for (size_t k = 0; k < run.size();) {
      if (run[k] < '0' || run[k] > '9') {
        ++k;
        continue;
      }
      size_t e = k;
      while (e < run.size() && ((run[e] >= '0' && run[e] <= '9') || run[e] == '.')) ++e;
      std::string_view candidate = run.substr(k, e - k);
      while (!candidate.empty() && candidate.back() == '.') candidate.remove_suffix(1);
      if (candidate.size() != run.size() && MatchesAddress(candidate)) return true;
      k = e;
    }
    i = end;
  }
  return false;
}

}  // namespace silt::logql::pipeline
