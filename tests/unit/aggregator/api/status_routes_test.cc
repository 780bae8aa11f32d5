#include "aggregator/api/status_routes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <optional>

#include "tests/unit/shared/http/test_server.h"

namespace silt::api {
namespace {

using ::silt::http::testing::RawClient;
using ::silt::http::testing::RawResponse;
using ::silt::http::testing::TestServer;
using ::testing::HasSubstr;

class StatusRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto counter = registry_.RegisterCounter("silt_test_things_total", "Things.");
    ASSERT_TRUE(counter.ok());
    (*counter)->Add(3);
    StatusRoutesOptions options;
    options.registry = &registry_;
    options.config_yaml = "data_dir: /tmp/x\n";
    options.build.version = "1.2.3";
    options.build.revision = "abc\"def";
    http::Router router;
    ASSERT_TRUE(AddStatusRoutes(options, &router).ok());
    server_ = std::make_unique<TestServer>(std::move(router));
    ASSERT_TRUE(server_->status().ok());
  }
  void TearDown() override { EXPECT_TRUE(server_->Shutdown()); }

  RawResponse Get(const std::string& path) {
    RawClient client(server_->port());
    EXPECT_TRUE(client.Send("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n"));
    return client.ReadResponse().value_or(RawResponse{});
  }

  metrics::Registry registry_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(StatusRoutesTest, MetricsExposesTheRegistry) {
  RawResponse r = Get("/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(std::string(r.headers.Get("Content-Type").value_or("")), HasSubstr("version=0.0.4"));
  EXPECT_THAT(r.body, HasSubstr("silt_test_things_total 3\n"));
}

TEST_F(StatusRoutesTest, ConfigServesTheYaml) {
  RawResponse r = Get("/config");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "data_dir: /tmp/x\n");
}

TEST_F(StatusRoutesTest, BuildInfoHasLokisFields) {
  RawResponse r = Get("/loki/api/v1/status/buildinfo");
  ASSERT_EQ(r.status, 200);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(r.body).get(root), simdjson::SUCCESS) << r.body;
  EXPECT_EQ(std::string_view(root["version"].get_string()), "1.2.3");
  EXPECT_EQ(std::string_view(root["revision"].get_string()), "abc\"def");
  for (const char* field : {"branch", "buildUser", "buildDate", "goVersion"}) {
    EXPECT_EQ(std::string_view(root[field].get_string()), "unknown") << field;
  }
}

TEST(BuildInfoTest, CurrentBuildKnowsItsVersionAndCompiler) {
  BuildInfo info = CurrentBuildInfo();
  EXPECT_FALSE(info.version.empty());
  EXPECT_NE(info.version, "unknown");
  EXPECT_NE(info.go_version, "unknown");
  EXPECT_NE(info.build_date, "unknown");
}

}  // namespace
}  // namespace silt::api
