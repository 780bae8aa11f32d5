#include "aggregator/server/tenant_auth.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace silt::server {
namespace {

using ::testing::HasSubstr;

net::PeerInfo Peer(std::string cn = "") {
  net::PeerInfo peer;
  peer.address = "127.0.0.1:5000";
  peer.client_common_name = std::move(cn);
  return peer;
}

TEST(TenantAuthTest, WithoutTokensEveryAgentIsTheDefaultTenant) {
  TenantAuth auth;
  EXPECT_EQ(*ResolveTenant(auth, "", Peer()), "fake");
  EXPECT_EQ(*ResolveTenant(auth, "any-token", Peer()), "fake");
}

TEST(TenantAuthTest, ConfiguredTokenMapsToItsTenant) {
  TenantAuth auth;
  auth.tokens = {{"s3cret", "team-a"}};
  EXPECT_EQ(*ResolveTenant(auth, "s3cret", Peer()), "team-a");
}

TEST(TenantAuthTest, UnknownTokenIsRejectedWithoutEchoingIt) {
  TenantAuth auth;
  auth.tokens = {{"s3cret", "team-a"}};
  Result<std::string> tenant = ResolveTenant(auth, "guess", Peer());
  ASSERT_FALSE(tenant.ok());
  EXPECT_EQ(tenant.status().code(), StatusCode::kUnauthenticated);
  EXPECT_THAT(tenant.status().message(), HasSubstr("127.0.0.1:5000"));
  EXPECT_THAT(tenant.status().message(), ::testing::Not(HasSubstr("guess")));
}

TEST(TenantAuthTest, MissingTokenWithAuthOnIsRejected) {
  TenantAuth auth;
  auth.tokens = {{"s3cret", "team-a"}};
  EXPECT_EQ(ResolveTenant(auth, "", Peer()).status().code(), StatusCode::kUnauthenticated);
  EXPECT_THAT(ResolveTenant(auth, "", Peer("web-1")).status().message(), HasSubstr("web-1"));
}

TEST(TenantAuthTest, ClientCertificateNameMapsToItsTenant) {
  TenantAuth auth;
  auth.tokens = {{"s3cret", "team-a"}};
  auth.client_cn_tenants = {{"web-1", "team-b"}};
  EXPECT_EQ(*ResolveTenant(auth, "", Peer("web-1")), "team-b");
  auth.tokens.clear();
  EXPECT_EQ(*ResolveTenant(auth, "", Peer("web-1")), "team-b");
  EXPECT_EQ(*ResolveTenant(auth, "", Peer("other")), "fake");
}

TEST(TenantAuthTest, ValidationNamesTheBadTenant) {
  TenantAuth auth;
  auth.tokens = {{"t", "bad/tenant"}};
  Status status = ValidateTenantAuth(auth);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("auth.tokens"));
  auth.tokens.clear();
  auth.default_tenant = "..";
  EXPECT_THAT(ValidateTenantAuth(auth).message(), HasSubstr("auth.default_tenant"));
}

}  // namespace
}  // namespace silt::server
