#include "shared/config/object_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "shared/config/document.h"
#include "shared/time/duration.h"
#include "shared/units/byte_size.h"

namespace silt::config {
namespace {

using ::testing::HasSubstr;

Document Load(std::string_view text, LoadOptions options = {}) {
  Result<Document> doc = Document::LoadString(text, "agent.yaml", std::move(options));
  EXPECT_TRUE(doc.ok()) << doc.status();
  return std::move(doc).value();
}

LoadOptions WithEnv(std::map<std::string, std::string> vars) {
  LoadOptions options;
  options.expand_env = true;
  options.env = [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  return options;
}

TEST(ObjectReaderTest, ReadsEveryScalarType) {
  Document doc = Load(
      "name: web\nenabled: true\nport: 8080\nratio: 0.25\nlinger: 1h30m\nmax_bytes: 64MiB\n"
      "count: -3\n");
  ObjectReader r = doc.Root();
  std::string name;
  bool enabled = false;
  uint16_t port = 0;
  double ratio = 0;
  int64_t linger = 0;
  int64_t max_bytes = 0;
  int count = 0;
  EXPECT_TRUE(r.Optional("name", &name));
  EXPECT_TRUE(r.Optional("enabled", &enabled));
  EXPECT_TRUE(r.Optional("port", &port));
  EXPECT_TRUE(r.Optional("ratio", &ratio));
  EXPECT_TRUE(r.Optional("linger", &linger, Duration{}));
  EXPECT_TRUE(r.Optional("max_bytes", &max_bytes, ByteSize{}));
  EXPECT_TRUE(r.Required("count", &count));
  ASSERT_TRUE(r.Finish().ok()) << r.Finish();
  EXPECT_EQ(name, "web");
  EXPECT_TRUE(enabled);
  EXPECT_EQ(port, 8080);
  EXPECT_EQ(ratio, 0.25);
  EXPECT_EQ(linger, 90 * time::kMinute);
  EXPECT_EQ(max_bytes, 64 * units::kMiB);
  EXPECT_EQ(count, -3);
}

TEST(ObjectReaderTest, AbsentOptionalKeyKeepsTheDefault) {
  Document doc = Load("other: 1\n");
  ObjectReader r = doc.Root();
  int other = 0;
  int batch_size = 100;
  EXPECT_TRUE(r.Optional("other", &other));
  EXPECT_FALSE(r.Optional("batch_size", &batch_size));
  EXPECT_TRUE(r.Finish().ok());
  EXPECT_EQ(batch_size, 100);
}

TEST(ObjectReaderTest, NullValuesCountAsAbsent) {
  Document doc = Load("a:\nb: ~\nc: null\nd: \"\"\n");
  ObjectReader r = doc.Root();
  std::string a = "default", b = "default", c = "default", d = "default";
  EXPECT_FALSE(r.Optional("a", &a));
  EXPECT_FALSE(r.Optional("b", &b));
  EXPECT_FALSE(r.Optional("c", &c));
  EXPECT_TRUE(r.Optional("d", &d));  // a quoted empty string is a value
  EXPECT_TRUE(r.Finish().ok());
  EXPECT_EQ(a, "default");
  EXPECT_EQ(b, "default");
  EXPECT_EQ(c, "default");
  EXPECT_EQ(d, "");
}

TEST(ObjectReaderTest, MissingRequiredKeyNamesTheObject) {
  Document doc = Load("# agent\nserver:\n  port: 1\n");
  ObjectReader r = doc.Root();
  r.Object("server", [](ObjectReader& server) {
    int port = 0;
    std::string address;
    EXPECT_TRUE(server.Optional("port", &port));
    EXPECT_FALSE(server.Required("address", &address));
  });
  EXPECT_EQ(r.Finish().message(), "agent.yaml:3:3: server: missing required key \"address\"");
}

TEST(ObjectReaderTest, RequiredKeyWithEmptyValueIsAnError) {
  Document doc = Load("paths:\n");
  ObjectReader r = doc.Root();
  std::vector<std::string> paths;
  EXPECT_FALSE(r.Required("paths", &paths));
  EXPECT_EQ(r.Finish().message(),
            "agent.yaml:1:1: paths: expected a list of strings, got an empty value");
}

TEST(ObjectReaderTest, NotAnIntegerNamesPositionPathAndBothSides) {
  Document doc = Load("batch:\n  size: 10k\n");
  ObjectReader r = doc.Root();
  r.Object("batch", [](ObjectReader& batch) {
    int size = 7;
    EXPECT_FALSE(batch.Optional("size", &size));
    EXPECT_EQ(size, 7);
  });
  EXPECT_EQ(r.Finish().message(),
            "agent.yaml:2:9: batch.size: expected an integer from -2147483648 to 2147483647, "
            "got \"10k\"");
}

TEST(ObjectReaderTest, NegativeIntoUnsignedIsAnError) {
  Document doc = Load("batch_size: -1\n");
  ObjectReader r = doc.Root();
  uint32_t batch_size = 0;
  EXPECT_FALSE(r.Optional("batch_size", &batch_size));
  EXPECT_EQ(r.Finish().message(),
            "agent.yaml:1:13: batch_size: expected an integer from 0 to 4294967295, got \"-1\"");
}

TEST(ObjectReaderTest, IntegerOverflowIsAnError) {
  Document doc = Load("port: 70000\nbig: 99999999999999999999\n");
  ObjectReader r = doc.Root();
  uint16_t port = 0;
  int64_t big = 0;
  EXPECT_FALSE(r.Optional("port", &port));
  EXPECT_FALSE(r.Optional("big", &big));
  EXPECT_EQ(r.Finish().message(),
            "agent.yaml:1:7: port: expected an integer from 0 to 65535, got \"70000\"\n"
            "agent.yaml:2:6: big: expected an integer from -9223372036854775808 to "
            "9223372036854775807, got \"99999999999999999999\"");
}

TEST(ObjectReaderTest, BooleansAcceptOnlyTrueAndFalse) {
  Document doc = Load("a: True\nb: FALSE\nc: yes\n");
  ObjectReader r = doc.Root();
  bool a = false, b = true, c = false;
  EXPECT_TRUE(r.Optional("a", &a));
  EXPECT_TRUE(r.Optional("b", &b));
  EXPECT_FALSE(r.Optional("c", &c));
  EXPECT_EQ(r.Finish().message(), "agent.yaml:3:4: c: expected true or false, got \"yes\"");
  EXPECT_TRUE(a);
  EXPECT_FALSE(b);
}

TEST(ObjectReaderTest, NotANumberIsAnError) {
  Document doc = Load("ratio: half\n");
  ObjectReader r = doc.Root();
  double ratio = 0;
  EXPECT_FALSE(r.Optional("ratio", &ratio));
  EXPECT_EQ(r.Finish().message(), "agent.yaml:1:8: ratio: expected a number, got \"half\"");
}

TEST(ObjectReaderTest, QuotingDoesNotChangeTheReading) {
  Document doc = Load("port: \"8080\"\nname: 123\nflag: 'true'\n");
  ObjectReader r = doc.Root();
  int port = 0;
  std::string name;
  bool flag = false;
  EXPECT_TRUE(r.Optional("port", &port));
  EXPECT_TRUE(r.Optional("name", &name));
  EXPECT_TRUE(r.Optional("flag", &flag));
  EXPECT_TRUE(r.Finish().ok());
  EXPECT_EQ(port, 8080);
  EXPECT_EQ(name, "123");
  EXPECT_TRUE(flag);
}

TEST(ObjectReaderTest, MappingWhereAStringIsExpectedIsAnError) {
  Document doc = Load("name:\n  first: a\n");
  ObjectReader r = doc.Root();
  std::string name;
  EXPECT_FALSE(r.Optional("name", &name));
  EXPECT_EQ(r.Finish().message(), "agent.yaml:2:3: name: expected a string, got a mapping");
}

TEST(ObjectReaderTest, BadDurationShowsAnExample) {
  Document doc = Load("linger: 30 seconds\n");
  ObjectReader r = doc.Root();
  int64_t linger = 0;
  EXPECT_FALSE(r.Optional("linger", &linger, Duration{}));
  EXPECT_EQ(r.Finish().message(),
            "agent.yaml:1:9: linger: expected a duration like \"30s\" or \"1h30m\", got "
            "\"30 seconds\"");
}

TEST(ObjectReaderTest, NegativeDurationIsAnErrorUnlessAllowed) {
  Document doc = Load("timeout: -5s\noffset: -1h\n");
  ObjectReader r = doc.Root();
  int64_t timeout = 0, offset = 0;
  EXPECT_FALSE(r.Optional("timeout", &timeout, Duration{}));
  EXPECT_TRUE(r.Optional("offset", &offset, Duration{.allow_negative = true}));
  EXPECT_EQ(r.Finish().message(),
            "agent.yaml:1:10: timeout: expected a duration that is not negative, got \"-5s\"");
  EXPECT_EQ(offset, -time::kHour);
}

TEST(ObjectReaderTest, BadByteSizeShowsAnExample) {
  Document doc = Load("max_bytes: 64 megs\nsegment: 512KB\n");
  ObjectReader r = doc.Root();
  int64_t max_bytes = 0, segment = 0;
  EXPECT_FALSE(r.Optional("max_bytes", &max_bytes, ByteSize{}));
  EXPECT_TRUE(r.Optional("segment", &segment, ByteSize{}));
  EXPECT_EQ(r.Finish().message(),
            "agent.yaml:1:12: max_bytes: expected a size like \"64MiB\" or \"512KB\", got "
            "\"64 megs\"");
  EXPECT_EQ(segment, 512000);
}

TEST(ObjectReaderTest, UnknownKeySuggestsTheClosestKnownKey) {
  Document doc = Load("pahts: [/var/log/*.log]\nbatch_size: 1\n");
  ObjectReader r = doc.Root();
  std::vector<std::string> paths;
  int batch_size = 0;
  EXPECT_FALSE(r.Optional("paths", &paths));
  EXPECT_TRUE(r.Optional("batch_size", &batch_size));
  EXPECT_EQ(r.Finish().message(), "agent.yaml:1:1: unknown key \"pahts\"; did you mean \"paths\"?");
}

TEST(ObjectReaderTest, UnknownKeyFarFromEveryKnownKeyHasNoSuggestion) {
  Document doc = Load("compression: lz4\n");
  ObjectReader r = doc.Root();
  std::string paths;
  EXPECT_FALSE(r.Optional("paths", &paths));
  EXPECT_EQ(r.Finish().message(), "agent.yaml:1:1: unknown key \"compression\"");
}

TEST(ObjectReaderTest, UnknownKeyInNestedObjectNamesItsPath) {
  Document doc = Load("server:\n  tls:\n    cert_fiel: /etc/cert.pem\n");
  ObjectReader r = doc.Root();
  r.Object("server", [](ObjectReader& server) {
    server.Object("tls", [](ObjectReader& tls) {
      std::string cert_file, key_file;
      EXPECT_FALSE(tls.Optional("cert_file", &cert_file));
      EXPECT_FALSE(tls.Optional("key_file", &key_file));
    });
  });
  EXPECT_EQ(r.Finish().message(),
            "agent.yaml:3:5: server.tls: unknown key \"cert_fiel\"; did you mean \"cert_file\"?");
}

TEST(ObjectReaderTest, AllErrorsAreReportedInPositionOrder) {
  Document doc = Load(
      "tyop: 1\n"
      "batch:\n"
      "  size: many\n"
      "  linger: soon\n"
      "enabled: maybe\n");
  ObjectReader r = doc.Root();
  bool enabled = false;
  std::string type;
  EXPECT_FALSE(r.Optional("enabled", &enabled));  // read before batch: order must not matter
  r.Object("batch", [](ObjectReader& batch) {
    int size = 0;
    int64_t linger = 0;
    EXPECT_FALSE(batch.Optional("linger", &linger, Duration{}));
    EXPECT_FALSE(batch.Optional("size", &size));
  });
  EXPECT_FALSE(r.Optional("type", &type));
  Status status = r.Finish();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "agent.yaml:1:1: unknown key \"tyop\"; did you mean \"type\"?\n"
            "agent.yaml:3:9: batch.size: expected an integer from -2147483648 to 2147483647, "
            "got \"many\"\n"
            "agent.yaml:4:11: batch.linger: expected a duration like \"30s\" or \"1h30m\", got "
            "\"soon\"\n"
            "agent.yaml:5:10: enabled: expected true or false, got \"maybe\"");
}

TEST(ObjectReaderTest, DuplicateKeyIsAnErrorAndTheFirstValueIsRead) {
  Document doc = Load("a: 1\nb: 2\na: 3\n");
  ObjectReader r = doc.Root();
  int a = 0, b = 0;
  EXPECT_TRUE(r.Optional("a", &a));
  EXPECT_TRUE(r.Optional("b", &b));
  EXPECT_EQ(r.Finish().message(),
            "agent.yaml:3:1: duplicate key \"a\" (first at line 1, column 1); remove one of them");
  EXPECT_EQ(a, 1);
}

TEST(ObjectReaderTest, DuplicateKeyInNestedObjectNamesItsPath) {
  Document doc = Load("watches:\n  - paths: [a]\n    paths: [b]\n");
  ObjectReader r = doc.Root();
  r.List("watches", [](ObjectReader& w) {
    std::vector<std::string> paths;
    EXPECT_TRUE(w.Required("paths", &paths));
  });
  EXPECT_EQ(r.Finish().message(),
            "agent.yaml:3:5: watches[0]: duplicate key \"paths\" (first at line 2, column 5); "
            "remove one of them");
}

TEST(ObjectReaderTest, NonStringKeyIsAnError) {
  Document doc = Load("? [a, b]\n: 1\nok: 2\n");
  ObjectReader r = doc.Root();
  int ok = 0;
  EXPECT_TRUE(r.Optional("ok", &ok));
  EXPECT_EQ(r.Finish().message(), "agent.yaml:1:3: keys must be strings, got a list");
}

TEST(ObjectReaderTest, ListOfObjectsHasIndexedPaths) {
  Document doc = Load(
      "watches:\n"
      "  - paths: [/a]\n"
      "  - paths: [/b]\n"
      "    multiline:\n"
      "      max_lines: -5\n");
  ObjectReader r = doc.Root();
  std::vector<std::vector<std::string>> seen;
  EXPECT_TRUE(r.List("watches", [&](ObjectReader& w) {
    std::vector<std::string> paths;
    EXPECT_TRUE(w.Required("paths", &paths));
    seen.push_back(paths);
    w.Object("multiline", [](ObjectReader& m) {
      uint32_t max_lines = 0;
      EXPECT_FALSE(m.Optional("max_lines", &max_lines));
    });
  }));
  EXPECT_EQ(r.Finish().message(),
            "agent.yaml:5:18: watches[1].multiline.max_lines: expected an integer from 0 to "
            "4294967295, got \"-5\"");
  EXPECT_EQ(seen, (std::vector<std::vector<std::string>>{{"/a"}, {"/b"}}));
}

TEST(ObjectReaderTest, ListItemThatIsNotAMappingIsAnError) {
  Document doc = Load("watches:\n  - /var/log\n  - paths: [/a]\n");
  ObjectReader r = doc.Root();
  int calls = 0;
  r.List("watches", [&](ObjectReader& w) {
    ++calls;
    std::vector<std::string> paths;
    EXPECT_TRUE(w.Optional("paths", &paths));
  });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(r.Finish().message(),
            "agent.yaml:2:5: watches[0]: expected a mapping, got \"/var/log\"");
}

TEST(ObjectReaderTest, EmptyListIsPresent) {
  Document doc = Load("watches: []\npaths: []\n");
  ObjectReader r = doc.Root();
  std::vector<std::string> paths = {"default"};
  EXPECT_TRUE(r.List("watches", [](ObjectReader&) { ADD_FAILURE(); }));
  EXPECT_TRUE(r.Optional("paths", &paths));
  EXPECT_TRUE(r.Finish().ok());
  EXPECT_TRUE(paths.empty());
}

TEST(ObjectReaderTest, ScalarWhereAListIsExpectedIsAnError) {
  Document doc = Load("paths: /var/log/*.log\nwatches: {}\n");
  ObjectReader r = doc.Root();
  std::vector<std::string> paths;
  EXPECT_FALSE(r.Optional("paths", &paths));
  EXPECT_FALSE(r.List("watches", [](ObjectReader&) {}));
  EXPECT_EQ(r.Finish().message(),
            "agent.yaml:1:8: paths: expected a list of strings, got \"/var/log/*.log\"\n"
            "agent.yaml:2:10: watches: expected a list, got a mapping");
}

TEST(ObjectReaderTest, BadStringListItemLeavesTheDestinationUnchanged) {
  Document doc = Load("paths: [/a, {b: 1}, /c]\n");
  ObjectReader r = doc.Root();
  std::vector<std::string> paths = {"default"};
  EXPECT_FALSE(r.Optional("paths", &paths));
  EXPECT_EQ(r.Finish().message(), "agent.yaml:1:13: paths[1]: expected a string, got a mapping");
  EXPECT_EQ(paths, std::vector<std::string>{"default"});
}

TEST(ObjectReaderTest, StringMapReadsLabels) {
  Document doc = Load("labels:\n  job: nginx\n  env: prod\n");
  ObjectReader r = doc.Root();
  std::map<std::string, std::string> labels;
  EXPECT_TRUE(r.Optional("labels", &labels));
  EXPECT_TRUE(r.Finish().ok());
  EXPECT_EQ(labels, (std::map<std::string, std::string>{{"env", "prod"}, {"job", "nginx"}}));
}

TEST(ObjectReaderTest, StringMapErrorsNameTheEntry) {
  Document doc = Load("labels:\n  job: [a]\n  env: prod\n  env: dev\n");
  ObjectReader r = doc.Root();
  std::map<std::string, std::string> labels;
  EXPECT_FALSE(r.Optional("labels", &labels));
  EXPECT_EQ(r.Finish().message(),
            "agent.yaml:2:8: labels.job: expected a string, got a list\n"
            "agent.yaml:4:3: labels: duplicate key \"env\" (first at line 3, column 3); remove "
            "one of them");
  EXPECT_TRUE(labels.empty());
}

TEST(ObjectReaderTest, MapOfObjectsUsesTheUsersKeys) {
  Document doc = Load(
      "tenants:\n"
      "  team-a:\n"
      "    token: abc\n"
      "  team-b:\n"
      "  team-c:\n"
      "    tokn: x\n");
  ObjectReader r = doc.Root();
  std::vector<std::pair<std::string, std::string>> seen;
  EXPECT_TRUE(r.Map("tenants", [&](std::string_view name, ObjectReader& t) {
    std::string token = "none";
    t.Optional("token", &token);
    seen.emplace_back(name, token);
  }));
  EXPECT_EQ(r.Finish().message(),
            "agent.yaml:6:5: tenants.team-c: unknown key \"tokn\"; did you mean \"token\"?");
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, std::string>>{
                      {"team-a", "abc"}, {"team-b", "none"}, {"team-c", "none"}}));
}

TEST(ObjectReaderTest, EnumMapsNamesToValues) {
  enum class ReadFrom { kHead, kTail };
  Document doc = Load("read_from: tail\n");
  ObjectReader r = doc.Root();
  ReadFrom read_from = ReadFrom::kHead;
  EXPECT_TRUE(
      r.Enum("read_from", &read_from, {{"head", ReadFrom::kHead}, {"tail", ReadFrom::kTail}}));
  EXPECT_TRUE(r.Finish().ok());
  EXPECT_EQ(read_from, ReadFrom::kTail);
}

TEST(ObjectReaderTest, UnknownEnumNameListsChoicesAndSuggests) {
  enum class ReadFrom { kHead, kTail };
  Document doc = Load("read_from: haed\n");
  ObjectReader r = doc.Root();
  ReadFrom read_from = ReadFrom::kTail;
  EXPECT_FALSE(
      r.Enum("read_from", &read_from, {{"head", ReadFrom::kHead}, {"tail", ReadFrom::kTail}}));
  EXPECT_EQ(r.Finish().message(),
            "agent.yaml:1:12: read_from: expected one of \"head\", \"tail\", got \"haed\"; did "
            "you mean \"head\"?");
  EXPECT_EQ(read_from, ReadFrom::kTail);
}

TEST(ObjectReaderTest, RequiredEnumMissingIsAnError) {
  enum class Mode { kA };
  Document doc = Load("{}\n");
  ObjectReader r = doc.Root();
  Mode mode = Mode::kA;
  EXPECT_FALSE(r.Enum("mode", &mode, {{"a", Mode::kA}}, Presence::kRequired));
  EXPECT_EQ(r.Finish().message(), "agent.yaml:1:1: missing required key \"mode\"");
}

TEST(ObjectReaderTest, ObjectThatIsNotAMappingIsAnError) {
  Document doc = Load("tls: true\n");
  ObjectReader r = doc.Root();
  EXPECT_FALSE(r.Object("tls", [](ObjectReader&) { ADD_FAILURE(); }));
  EXPECT_EQ(r.Finish().message(), "agent.yaml:1:6: tls: expected a mapping, got \"true\"");
}

TEST(ObjectReaderTest, NullObjectIsAbsent) {
  Document doc = Load("tls:\n");
  ObjectReader r = doc.Root();
  EXPECT_FALSE(r.Object("tls", [](ObjectReader&) { ADD_FAILURE(); }));
  EXPECT_TRUE(r.Finish().ok());
}

TEST(ObjectReaderTest, RequiredObjectMissingIsAnError) {
  Document doc = Load("other: 1\n");
  ObjectReader r = doc.Root();
  int other = 0;
  r.Optional("other", &other);
  EXPECT_FALSE(r.Object(
      "server", [](ObjectReader&) {}, Presence::kRequired));
  EXPECT_EQ(r.Finish().message(), "agent.yaml:1:1: missing required key \"server\"");
}

TEST(ObjectReaderTest, EnvExpansionIsOffByDefault) {
  Document doc = Load("token: ${TOKEN}\n");
  ObjectReader r = doc.Root();
  std::string token;
  EXPECT_TRUE(r.Optional("token", &token));
  EXPECT_TRUE(r.Finish().ok());
  EXPECT_EQ(token, "${TOKEN}");
}

TEST(ObjectReaderTest, EnvExpansionAppliesToEveryValueKind) {
  Document doc = Load(
      "address: ${HOST}:${PORT:-7458}\n"
      "port: ${PORT_NUM}\n"
      "linger: ${LINGER:-250ms}\n"
      "paths: [\"${LOG_DIR}/*.log\"]\n"
      "labels: {env: \"${ENV}\"}\n"
      "regex: '^x$'\n",
      WithEnv({{"HOST", "logs.example.com"},
               {"PORT_NUM", "3100"},
               {"LOG_DIR", "/srv/logs"},
               {"ENV", "prod"}}));
  ObjectReader r = doc.Root();
  std::string address, regex;
  int port = 0;
  int64_t linger = 0;
  std::vector<std::string> paths;
  std::map<std::string, std::string> labels;
  r.Optional("address", &address);
  r.Optional("port", &port);
  r.Optional("linger", &linger, Duration{});
  r.Optional("paths", &paths);
  r.Optional("labels", &labels);
  r.Optional("regex", &regex);
  ASSERT_TRUE(r.Finish().ok()) << r.Finish();
  EXPECT_EQ(address, "logs.example.com:7458");
  EXPECT_EQ(port, 3100);
  EXPECT_EQ(linger, 250 * time::kMillisecond);
  EXPECT_EQ(paths, std::vector<std::string>{"/srv/logs/*.log"});
  EXPECT_EQ(labels.at("env"), "prod");
  EXPECT_EQ(regex, "^x$");
}

TEST(ObjectReaderTest, UndefinedEnvVariableIsAnErrorAtTheValue) {
  Document doc = Load("server:\n  token: Bearer ${TOKEN}\n", WithEnv({}));
  ObjectReader r = doc.Root();
  r.Object("server", [](ObjectReader& s) {
    std::string token = "unchanged";
    EXPECT_FALSE(s.Optional("token", &token));
    EXPECT_EQ(token, "unchanged");
  });
  EXPECT_EQ(r.Finish().message(),
            "agent.yaml:2:10: server.token: environment variable \"TOKEN\" is not set; set it, or "
            "give a default with \"${TOKEN:-default}\"");
}

TEST(ObjectReaderTest, ExpandedValueOfWrongTypeShowsBothTexts) {
  Document doc = Load("port: ${PORT}\n", WithEnv({{"PORT", "http"}}));
  ObjectReader r = doc.Root();
  uint16_t port = 0;
  EXPECT_FALSE(r.Optional("port", &port));
  EXPECT_EQ(r.Finish().message(),
            "agent.yaml:1:7: port: expected an integer from 0 to 65535, got \"http\" (expanded "
            "from \"${PORT}\")");
}

TEST(ObjectReaderTest, KeysAreNotExpanded) {
  Document doc = Load("${KEY}: 1\n", WithEnv({{"KEY", "port"}}));
  ObjectReader r = doc.Root();
  int port = 0;
  EXPECT_FALSE(r.Optional("port", &port));
  EXPECT_EQ(r.Finish().message(), "agent.yaml:1:1: unknown key \"${KEY}\"");
}

TEST(ObjectReaderTest, AddErrorPointsAtTheValue) {
  Document doc = Load("min: 10\nmax: 5\n");
  ObjectReader r = doc.Root();
  int min = 0, max = 0;
  r.Optional("min", &min);
  r.Optional("max", &max);
  if (max < min) r.AddError("max", "must not be below min (10)");
  r.AddError("absent", "is needed when max is set");
  r.AddError("", "whole object is wrong");
  EXPECT_EQ(r.Finish().message(),
            "agent.yaml:1:1: absent: is needed when max is set\n"
            "agent.yaml:1:1: whole object is wrong\n"
            "agent.yaml:2:6: max: must not be below min (10)");
}

TEST(ObjectReaderTest, HasDoesNotCountAsReading) {
  Document doc = Load("tls: {}\nempty:\n");
  ObjectReader r = doc.Root();
  EXPECT_TRUE(r.Has("tls"));
  EXPECT_FALSE(r.Has("empty"));
  EXPECT_FALSE(r.Has("absent"));
  EXPECT_EQ(r.Finish().message(),
            "agent.yaml:1:1: unknown key \"tls\"\nagent.yaml:2:1: unknown key \"empty\"");
}

TEST(ObjectReaderTest, PathNamesTheObject) {
  Document doc = Load("watches:\n  - multiline: {}\n");
  ObjectReader r = doc.Root();
  EXPECT_EQ(r.path(), "");
  std::string inner;
  r.List("watches", [&](ObjectReader& w) {
    w.Object("multiline", [&](ObjectReader& m) { inner = m.path(); });
  });
  EXPECT_TRUE(r.Finish().ok());
  EXPECT_EQ(inner, "watches[0].multiline");
}

TEST(ObjectReaderTest, MergeKeysAreReportedAsUnsupported) {
  Document doc = Load("base: &b {x: 1}\nother:\n  <<: *b\n");
  ObjectReader r = doc.Root();
  r.Object("base", [](ObjectReader& b) {
    int x = 0;
    b.Optional("x", &x);
  });
  r.Object("other", [](ObjectReader& o) {
    int x = 0;
    o.Optional("x", &x);
  });
  EXPECT_EQ(r.Finish().message(),
            "agent.yaml:3:3: other: unknown key \"<<\"; YAML merge keys are not supported, write "
            "the keys out");
}

TEST(ObjectReaderTest, LongValuesAreCutInMessages) {
  std::string value(200, 'x');
  Document doc = Load("n: " + value + "\n");
  ObjectReader r = doc.Root();
  int n = 0;
  EXPECT_FALSE(r.Optional("n", &n));
  EXPECT_THAT(r.Finish().message(), HasSubstr("got \"" + std::string(80, 'x') + "...\""));
}

}  // namespace
}  // namespace silt::config
