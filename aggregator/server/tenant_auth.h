// TenantAuth: maps an agent's Hello token, or its verified mTLS client certificate common name,
// to the tenant its batches are stored under (DESIGN.md "Tenant": never taken from the client
// without authentication when auth is on). With no tokens configured the server runs
// single-tenant and every agent writes to `default_tenant` (Loki's `fake`).
// Plain data plus a pure function; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "shared/net/byte_stream.h"
#include "shared/status/result.h"

namespace silt::server {

struct TenantAuth {
  // Bearer token -> tenant id. Non-empty turns authentication on.
  std::map<std::string, std::string> tokens;
  // Verified client certificate common name -> tenant id (mTLS).
  std::map<std::string, std::string> client_cn_tenants;
  // The tenant of every agent while `tokens` is empty and no CN mapping applies.
  std::string default_tenant = "fake";

  bool auth_enabled() const { return !tokens.empty(); }
};

// The tenant for a Hello carrying `token` from `peer`, in this order: a non-empty token that is
// configured; a verified client CN that is mapped; without tokens configured, the default
// tenant (a token is then ignored). Unauthenticated (naming the peer, never echoing the token)
// when auth is on and neither the token nor the certificate maps to a tenant.
Result<std::string> ResolveTenant(const TenantAuth& auth, std::string_view token,
                                  const net::PeerInfo& peer);

// OK, or InvalidArgument naming the first bad tenant id in the maps (engine tenant rules).
Status ValidateTenantAuth(const TenantAuth& auth);

}  // namespace silt::server
