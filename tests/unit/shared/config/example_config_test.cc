// A complete agent-style config read through Document and ObjectReader, as the agent's config
// loader will do it: the happy path into a struct, and the same file with several mistakes.

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "shared/config/document.h"
#include "shared/time/duration.h"
#include "shared/units/byte_size.h"

namespace silt::config {
namespace {

enum class ReadFrom { kHead, kTail };

struct Multiline {
  std::string first_line;
  uint32_t max_lines = 128;
  int64_t timeout = 3 * time::kSecond;
};

struct Watch {
  std::vector<std::string> paths;
  std::vector<std::string> exclude;
  std::map<std::string, std::string> labels;
  ReadFrom read_from = ReadFrom::kHead;
  std::optional<Multiline> multiline;
};

struct Tls {
  std::string ca_file;
  bool insecure_skip_verify = false;
};

struct AgentConfig {
  std::string data_dir = "./silt-agent-data";
  std::string address;
  std::string token;
  std::optional<Tls> tls;
  int64_t batch_max_bytes = units::kMiB;
  uint32_t batch_max_entries = 10000;
  int64_t batch_linger = time::kSecond;
  int64_t positions_sync = 10 * time::kSecond;
  std::map<std::string, std::string> labels;
  std::vector<Watch> watches;
};

void ReadWatch(ObjectReader& r, Watch* w) {
  r.Required("paths", &w->paths);
  r.Optional("exclude", &w->exclude);
  r.Optional("labels", &w->labels);
  r.Enum("read_from", &w->read_from, {{"head", ReadFrom::kHead}, {"tail", ReadFrom::kTail}});
  r.Object("multiline", [&](ObjectReader& m) {
    Multiline multiline;
    m.Required("first_line", &multiline.first_line);
    m.Optional("max_lines", &multiline.max_lines);
    m.Optional("timeout", &multiline.timeout, Duration{});
    w->multiline = multiline;
  });
}

Result<AgentConfig> ReadAgentConfig(const Document& doc) {
  AgentConfig c;
  ObjectReader r = doc.Root();
  r.Optional("data_dir", &c.data_dir);
  r.Object(
      "server",
      [&](ObjectReader& s) {
        s.Required("address", &c.address);
        s.Optional("token", &c.token);
        s.Object("tls", [&](ObjectReader& t) {
          Tls tls;
          t.Optional("ca_file", &tls.ca_file);
          t.Optional("insecure_skip_verify", &tls.insecure_skip_verify);
          c.tls = tls;
        });
      },
      Presence::kRequired);
  r.Object("batch", [&](ObjectReader& b) {
    b.Optional("max_bytes", &c.batch_max_bytes, ByteSize{});
    b.Optional("max_entries", &c.batch_max_entries);
    b.Optional("linger", &c.batch_linger, Duration{});
  });
  r.Optional("positions_sync", &c.positions_sync, Duration{});
  r.Optional("labels", &c.labels);
  r.List(
      "watches",
      [&](ObjectReader& w) {
        Watch watch;
        ReadWatch(w, &watch);
        c.watches.push_back(std::move(watch));
      },
      Presence::kRequired);
  SILT_RETURN_IF_ERROR(r.Finish());
  return c;
}

constexpr std::string_view kAgentYaml = R"(# /etc/silt/agent.yaml
data_dir: /var/lib/silt-agent

server:
  address: logs.example.com:7458
  token: ${SILT_TOKEN}
  tls:
    ca_file: /etc/silt/ca.pem
    insecure_skip_verify: false

batch:
  max_bytes: 2MiB
  max_entries: 5000
  linger: 250ms

labels:
  host: ${HOSTNAME:-unknown}
  env: prod

watches:
  - paths: [/var/log/nginx/*.log]
    labels: {job: nginx}
    read_from: tail
  - paths:
      - /var/log/app/*.log
      - /srv/app/logs/*.log
    exclude: ["*.gz"]
    labels:
      job: app
    multiline:
      first_line: '^\d{4}-\d{2}-\d{2}'
      max_lines: 500
)";

LoadOptions Env() {
  LoadOptions options;
  options.expand_env = true;
  options.env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "SILT_TOKEN") return "s3cr3t";
    return std::nullopt;
  };
  return options;
}

TEST(ExampleConfigTest, CompleteAgentConfigIsReadIntoTheStruct) {
  Result<Document> doc = Document::LoadString(kAgentYaml, "/etc/silt/agent.yaml", Env());
  ASSERT_TRUE(doc.ok()) << doc.status();
  Result<AgentConfig> config = ReadAgentConfig(*doc);
  ASSERT_TRUE(config.ok()) << config.status();
  const AgentConfig& c = *config;
  EXPECT_EQ(c.data_dir, "/var/lib/silt-agent");
  EXPECT_EQ(c.address, "logs.example.com:7458");
  EXPECT_EQ(c.token, "s3cr3t");
  ASSERT_TRUE(c.tls.has_value());
  EXPECT_EQ(c.tls->ca_file, "/etc/silt/ca.pem");
  EXPECT_FALSE(c.tls->insecure_skip_verify);
  EXPECT_EQ(c.batch_max_bytes, 2 * units::kMiB);
  EXPECT_EQ(c.batch_max_entries, 5000u);
  EXPECT_EQ(c.batch_linger, 250 * time::kMillisecond);
  EXPECT_EQ(c.positions_sync, 10 * time::kSecond);  // default kept
  EXPECT_EQ(c.labels, (std::map<std::string, std::string>{{"env", "prod"}, {"host", "unknown"}}));
  ASSERT_EQ(c.watches.size(), 2u);
  EXPECT_EQ(c.watches[0].paths, std::vector<std::string>{"/var/log/nginx/*.log"});
  EXPECT_EQ(c.watches[0].read_from, ReadFrom::kTail);
  EXPECT_EQ(c.watches[0].labels.at("job"), "nginx");
  EXPECT_FALSE(c.watches[0].multiline.has_value());
  EXPECT_EQ(c.watches[1].paths,
            (std::vector<std::string>{"/var/log/app/*.log", "/srv/app/logs/*.log"}));
  EXPECT_EQ(c.watches[1].exclude, std::vector<std::string>{"*.gz"});
  EXPECT_EQ(c.watches[1].read_from, ReadFrom::kHead);
  ASSERT_TRUE(c.watches[1].multiline.has_value());
  EXPECT_EQ(c.watches[1].multiline->first_line, "^\\d{4}-\\d{2}-\\d{2}");
  EXPECT_EQ(c.watches[1].multiline->max_lines, 500u);
  EXPECT_EQ(c.watches[1].multiline->timeout, 3 * time::kSecond);
}

TEST(ExampleConfigTest, EveryMistakeInTheFileIsReportedAtOnce) {
  constexpr std::string_view kBroken = R"(data_dir: /var/lib/silt-agent
server:
  adress: logs.example.com:7458
  token: ${SILT_TOKEN}
batch:
  max_bytes: 2 MB   # one space before the unit is fine
  max_entries: -1
  linger: 250 millis
watches:
  - paths: [/var/log/nginx/*.log]
    read_from: end
  - labels: {job: app}
    multiline:
      first_line: '^\d'
      max_line: 500
)";
  Result<Document> doc = Document::LoadString(kBroken, "agent.yaml", Env());
  ASSERT_TRUE(doc.ok()) << doc.status();
  Result<AgentConfig> config = ReadAgentConfig(*doc);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(config.status().message(),
            "agent.yaml:3:3: server: missing required key \"address\"\n"
            "agent.yaml:3:3: server: unknown key \"adress\"; did you mean \"address\"?\n"
            "agent.yaml:7:16: batch.max_entries: expected an integer from 0 to 4294967295, got "
            "\"-1\"\n"
            "agent.yaml:8:11: batch.linger: expected a duration like \"30s\" or \"1h30m\", got "
            "\"250 millis\"\n"
            "agent.yaml:11:16: watches[0].read_from: expected one of \"head\", \"tail\", got "
            "\"end\"; did you mean \"head\"?\n"
            "agent.yaml:12:5: watches[1]: missing required key \"paths\"\n"
            "agent.yaml:15:7: watches[1].multiline: unknown key \"max_line\"; did you mean "
            "\"max_lines\"?");
}

}  // namespace
}  // namespace silt::config
