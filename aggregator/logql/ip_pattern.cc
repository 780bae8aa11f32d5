// ip() pattern validation (ip_pattern.h).
#include "aggregator/logql/ip_pattern.h"

#include <arpa/inet.h>

#include <charconv>
#include <string>

#include "shared/units/decimal.h"

namespace silt::logql {
namespace {

// 4 for an IPv4 address, 6 for IPv6, 0 for neither.
int AddressFamily(std::string_view text) {
  std::string address(text);
  unsigned char buffer[16];
  if (inet_pton(AF_INET, address.c_str(), buffer) == 1) return 4;
  if (inet_pton(AF_INET6, address.c_str(), buffer) == 1) return 6;
  return 0;
}

Status Invalid(std::string_view pattern, std::string_view why) {
  return Status::InvalidArgument("invalid ip pattern " + units::QuoteForError(pattern) + ": " +
                                 std::string(why) +
                                 " (use an address, a CIDR such as 10.0.0.0/8, or a range "
                                 "such as 10.0.0.1-10.0.0.9)");
}

}  // namespace

Status ValidateIpPattern(std::string_view pattern) {
  if (size_t slash = pattern.find('/'); slash != std::string_view::npos) {
    int family = AddressFamily(pattern.substr(0, slash));
    if (family == 0) return Invalid(pattern, "the part before '/' is not an IP address");
    std::string_view bits = pattern.substr(slash + 1);
    int value = -1;
    auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), value);
    if (bits.empty() || ec != std::errc() || end != bits.data() + bits.size() || value < 0 ||
        value > (family == 4 ? 32 : 128)) {
      return Invalid(pattern, "the prefix length after '/' is out of range");
    }
    return Status::Ok();
  }
  if (size_t dash = pattern.find('-'); dash != std::string_view::npos) {
    int from = AddressFamily(pattern.substr(0, dash));
    int to = AddressFamily(pattern.substr(dash + 1));
    if (from == 0 || to == 0) return Invalid(pattern, "both ends of a range must be addresses");
    if (from != to) return Invalid(pattern, "a range cannot mix IPv4 and IPv6");
    return Status::Ok();
  }
  if (AddressFamily(pattern) == 0) return Invalid(pattern, "not an IP address");
  return Status::Ok();
}

}  // namespace silt::logql
