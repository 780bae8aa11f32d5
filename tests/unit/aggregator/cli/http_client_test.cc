#include "aggregator/cli/http_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace silt::cli {
namespace {

using ::testing::HasSubstr;

TEST(HttpClientTest, UrlEncodesParametersAndDropsTrailingSlash) {
  HttpClientOptions options;
  options.addr = "http://loki:3100/prefix/";
  HttpClient client(options);
  EXPECT_EQ(client.Url("/loki/api/v1/query", {{"query", "{job=\"a b\"} |= \"&\""}, {"limit", "5"}}),
            "http://loki:3100/prefix/loki/api/v1/query?query=%7Bjob%3D%22a%20b%22%7D%20%7C%3D%20%22"
            "%26%22&limit=5");
}

TEST(HttpClientTest, AuthHeadersCarryTenantAndToken) {
  HttpClientOptions options;
  EXPECT_TRUE(HttpClient(options).AuthHeaders().empty());
  options.org_id = "team-a";
  options.token = "s3cret";
  EXPECT_THAT(HttpClient(options).AuthHeaders(),
              ::testing::ElementsAre("X-Scope-OrgID: team-a", "Authorization: Bearer s3cret"));
}

TEST(HttpClientTest, ConnectionRefusedSaysWhatToDo) {
  Status status = TransportError("http://127.0.0.1:3100", CURLE_COULDNT_CONNECT, "ignored");
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(status.message(),
            "cannot reach http://127.0.0.1:3100 (connection refused): is silt-aggregator "
            "running? set SILT_ADDR or --addr");
}

TEST(HttpClientTest, TlsFailureNamesTheCertificateFlags) {
  Status status =
      TransportError("https://h:3100", CURLE_PEER_FAILED_VERIFICATION, "self-signed certificate");
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_THAT(status.message(), HasSubstr("(TLS handshake failed: self-signed certificate)"));
  EXPECT_THAT(status.message(), HasSubstr("--ca-cert"));
}

TEST(HttpClientTest, UnknownHostIsUnavailable) {
  Status status = TransportError("http://nowhere:3100", CURLE_COULDNT_RESOLVE_HOST, "x");
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_THAT(status.message(), HasSubstr("host name not found"));
}

TEST(HttpClientTest, ServerErrorsKeepLokisMessageAndAreNeverUnavailable) {
  Status bad = ServerError(400, "parse error at line 1, col 6: syntax error\n", "http://x/q");
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.message(),
            "server answered 400: parse error at line 1, col 6: syntax error (GET http://x/q)");
  EXPECT_EQ(ServerError(401, "", "u").code(), StatusCode::kUnauthenticated);
  EXPECT_THAT(ServerError(401, "", "u").message(), HasSubstr("SILT_TOKEN"));
  EXPECT_EQ(ServerError(429, "slow down", "u").code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(ServerError(503, "not ready", "u").code(), StatusCode::kIOError);
  EXPECT_EQ(ServerError(400, "first\nsecond\n", "u").message(),
            "server answered 400: first second (GET u)");
  // A long body is cut to 500 bytes and "...".
  EXPECT_EQ(ServerError(500, std::string(2000, 'x'), "u").message(),
            "server answered 500: " + std::string(500, 'x') + "... (GET u)");
}

}  // namespace
}  // namespace silt::cli
