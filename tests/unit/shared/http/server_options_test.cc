#include "shared/http/server_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace silt::http {
namespace {

using ::testing::HasSubstr;

TEST(ServerOptionsTest, DefaultsAreValid) {
  ServerOptions options;
  EXPECT_TRUE(options.Validate().ok()) << options.Validate();
  EXPECT_EQ(options.max_header_bytes, 64u * 1024);
  EXPECT_EQ(options.max_body_bytes, 64u * 1024 * 1024);
  EXPECT_EQ(options.header_timeout, 30 * time::kSecond);
  EXPECT_EQ(options.keep_alive_timeout, 120 * time::kSecond);
}

TEST(ServerOptionsTest, AcceptsIpv4AndIpv6Literals) {
  for (const char* host : {"127.0.0.1", "0.0.0.0", "::1", "::", "[::1]", "fe80::1"}) {
    ServerOptions options;
    options.host = host;
    EXPECT_TRUE(options.Validate().ok()) << host;
  }
}

TEST(ServerOptionsTest, HostNameIsRejected) {
  ServerOptions options;
  options.host = "localhost";
  Status status = options.Validate();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("host = \"localhost\""));
  EXPECT_THAT(status.message(), HasSubstr("address literal"));
}

TEST(ServerOptionsTest, PortOutOfRangeIsNamed) {
  ServerOptions options;
  options.port = 65536;
  EXPECT_THAT(options.Validate().message(), HasSubstr("port = 65536"));
  options.port = -1;
  EXPECT_THAT(options.Validate().message(), HasSubstr("port = -1"));
}

TEST(ServerOptionsTest, HeaderLimitIsBoundedByTheParser) {
  ServerOptions options;
  options.max_header_bytes = 128 * 1024;
  EXPECT_THAT(options.Validate().message(), HasSubstr("max_header_bytes = 128KiB"));
  options.max_header_bytes = 100;
  EXPECT_THAT(options.Validate().message(), HasSubstr("max_header_bytes"));
  options.max_header_bytes = kMaxHeaderBytesLimit;
  EXPECT_TRUE(options.Validate().ok());
}

TEST(ServerOptionsTest, NonPositiveTimeoutIsNamed) {
  ServerOptions options;
  options.read_timeout = 0;
  EXPECT_THAT(options.Validate().message(), HasSubstr("read_timeout = 0s"));
  options = ServerOptions();
  options.keep_alive_timeout = -time::kSecond;
  EXPECT_THAT(options.Validate().message(), HasSubstr("keep_alive_timeout = -1s"));
}

TEST(ServerOptionsTest, ZeroLimitsAreNamed) {
  ServerOptions a;
  a.max_connections = 0;
  EXPECT_THAT(a.Validate().message(), HasSubstr("max_connections"));
  ServerOptions b;
  b.max_body_bytes = 0;
  EXPECT_THAT(b.Validate().message(), HasSubstr("max_body_bytes"));
  ServerOptions c;
  c.max_decoded_body_bytes = 0;
  EXPECT_THAT(c.Validate().message(), HasSubstr("max_decoded_body_bytes"));
  ServerOptions d;
  d.backlog = 0;
  EXPECT_THAT(d.Validate().message(), HasSubstr("backlog"));
}

TEST(ServerOptionsTest, LimitsCarryOver) {
  ServerOptions options;
  options.max_header_bytes = 2048;
  options.max_headers = 7;
  options.max_body_bytes = 10;
  options.max_decoded_body_bytes = 20;
  RequestLimits limits = options.limits();
  EXPECT_EQ(limits.max_header_bytes, 2048u);
  EXPECT_EQ(limits.max_headers, 7u);
  EXPECT_EQ(limits.max_body_bytes, 10u);
  EXPECT_EQ(limits.max_decoded_body_bytes, 20u);
}

TEST(ServerOptionsTest, TlsNeedsCertificateAndKey) {
  ServerOptions options;
  options.tls = net::TlsServerOptions{.cert_file = "/etc/silt/http.pem"};
  Status status = options.Validate();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("tls"));
  options.tls->key_file = "/etc/silt/http.key";
  EXPECT_TRUE(options.Validate().ok());
}

TEST(ServerOptionsTest, TlsClientAuthNeedsClientCa) {
  ServerOptions options;
  options.tls = net::TlsServerOptions{
      .cert_file = "c.pem", .key_file = "k.pem", .client_auth = net::ClientAuth::kRequired};
  Status status = options.Validate();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("client_ca_file"));
  options.tls->client_ca_file = "ca.pem";
  EXPECT_TRUE(options.Validate().ok());
}

}  // namespace
}  // namespace silt::http
