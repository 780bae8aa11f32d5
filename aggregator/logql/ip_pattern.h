// IpPattern: the argument of `ip("...")` in line and label filters: a single address
// ("192.168.0.1", "::1"), a CIDR block ("10.0.0.0/8", "2001:db8::/32") or an inclusive range
// ("192.168.0.1-192.168.0.50", both ends of one family). Value type; thread-safe.
#pragma once

#include <string_view>

#include "shared/status/status.h"

namespace silt::logql {

// OK when `pattern` is one of the three forms; otherwise InvalidArgument saying which form was
// expected and what is wrong.
Status ValidateIpPattern(std::string_view pattern);

}  // namespace silt::logql
