#include "aggregator/server/tenant_auth.h"

#include "aggregator/engine/data_layout.h"

namespace silt::server {

Result<std::string> ResolveTenant(const TenantAuth& auth, std::string_view token,
                                  const net::PeerInfo& peer) {
  if (!token.empty() && auth.auth_enabled()) {
    auto it = auth.tokens.find(std::string(token));
    if (it != auth.tokens.end()) return it->second;
    return Status::Unauthenticated("agent at " + peer.address +
                                   " sent a token that is not configured (auth.tokens); check "
                                   "the agent's token");
  }
  if (!peer.client_common_name.empty()) {
    auto it = auth.client_cn_tenants.find(peer.client_common_name);
    if (it != auth.client_cn_tenants.end()) return it->second;
  }
  if (!auth.auth_enabled()) return auth.default_tenant;
  std::string identity = peer.client_common_name.empty()
                             ? "no token and no client certificate"
                             : "no token, and its client certificate CN '" +
                                   peer.client_common_name +
                                   "' is not in auth.client_cn_tenants";
  return Status::Unauthenticated("agent at " + peer.address + " sent " + identity +
                                 "; authentication is on (auth.tokens): give the agent a token");
}

Status ValidateTenantAuth(const TenantAuth& auth) {
  SILT_RETURN_IF_ERROR(engine::ValidateTenantId(auth.default_tenant)
                           .WithContext("auth.default_tenant"));
  for (const auto& [token, tenant] : auth.tokens) {
    if (token.empty()) return Status::InvalidArgument("auth.tokens: a token is empty");
    SILT_RETURN_IF_ERROR(engine::ValidateTenantId(tenant).WithContext("auth.tokens"));
  }
  for (const auto& [cn, tenant] : auth.client_cn_tenants) {
    SILT_RETURN_IF_ERROR(
        engine::ValidateTenantId(tenant).WithContext("auth.client_cn_tenants[" + cn + "]"));
  }
  return Status::Ok();
}

}  // namespace silt::server
