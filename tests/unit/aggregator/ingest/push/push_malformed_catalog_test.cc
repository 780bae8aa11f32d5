// A catalog of malformed push requests sent as raw bytes to a real server with a real storage
// engine: each gets the right status and a readable message, the valid stream sent next to the
// bad part (labels {case="<name>"}) is stored or not as the case says, and the server keeps
// answering. One table row per failure mode.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tests/unit/aggregator/ingest/push/push_proto_for_test.h"
#include "tests/unit/aggregator/ingest/push/push_server_fixture.h"
#include "tests/unit/shared/http/compress_for_test.h"

namespace silt::ingest {
namespace {

using ::silt::http::testing::RawClient;
using ::silt::http::testing::RawResponse;
using ::silt::ingest::testing::kNow;
using ::silt::ingest::testing::ProtoEntry;
using ::silt::ingest::testing::ProtoStream;
using ::silt::ingest::testing::Snappy;
using ::testing::HasSubstr;

constexpr const char* kJson = "application/json";
constexpr const char* kProto = "application/x-protobuf";
constexpr int64_t kWeek = 7 * 24 * 3600 * 1'000'000'000LL;
constexpr int64_t kSecondsNow = kNow / 1'000'000'000;

struct Case {
  std::string name;
  std::string path;
  std::string content_type;   // "" sends none
  std::string extra_headers;  // whole lines, each ending in \r\n
  std::string body;
  int status;
  std::string message;  // a substring of the answer's body
  size_t kept;          // lines stored under {case="<name>"}
};

std::string Ts(int64_t offset) { return std::to_string(kNow + offset); }

// A valid Loki JSON stream {case="<name>"} with one line.
std::string Good(const std::string& name) {
  return R"({"stream":{"case":")" + name + R"("},"values":[[")" + Ts(1) + R"(","good"]]})";
}
// A push of Good(name) followed by `bad` (more elements of "streams").
std::string WithGood(const std::string& name, const std::string& bad) {
  return R"({"streams":[)" + Good(name) + "," + bad + "]}";
}
// A stream with labels `labels` (JSON object text) and one entry `entry` (JSON array text).
std::string Stream(const std::string& labels, const std::string& entry) {
  return R"({"stream":)" + labels + R"(,"values":[)" + entry + "]}";
}
std::string Entry(const std::string& line, int64_t offset = 2) {
  return "[\"" + Ts(offset) + "\",\"" + line + "\"]";
}

ProtoStream GoodProto(const std::string& name) {
  return {"{case=\"" + name + "\"}", {ProtoEntry{kSecondsNow, 1, "good", {}}}};
}
std::string Proto(const std::string& name, std::vector<ProtoStream> bad) {
  bad.insert(bad.begin(), GoodProto(name));
  return testing::ProtoBody(bad);
}

std::string Simple(const std::string& name, const std::string& bad) {
  return R"([{"message":"good","labels":{"case":")" + name + R"("}},)" + bad + "]";
}

std::string Nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

void AddJsonCases(std::vector<Case>* c) {
  auto add = [c](std::string name, std::string bad, int status, std::string message, size_t kept) {
    std::string body = WithGood(name, bad);
    c->push_back({name, "/loki/api/v1/push", kJson, "", body, status, message, kept});
  };
  add("stream_not_object", "1", 400, "streams[1] at line 1, column", 1);
  add("labels_not_object", Stream("\"job=x\"", Entry("x")), 400, "stream: must be an object", 1);
  add("label_value_number", Stream(R"({"job":5})", Entry("x")), 400, "label values must be strings",
      1);
  add("label_value_null", Stream(R"({"job":null})", Entry("x")), 400,
      "label values must be strings", 1);
  add("label_value_object", Stream(R"({"job":{}})", Entry("x")), 400,
      "label values must be strings", 1);
  add("missing_stream_key", R"({"values":[)" + Entry("x") + "]}", 400, "stream: missing", 1);
  add("missing_values", R"({"stream":{"job":"x"}})", 400, "values: missing", 1);
  add("values_not_array", R"({"stream":{"job":"x"},"values":{}})", 400, "values: must be an array",
      1);
  add("entry_not_array", Stream(R"({"job":"x"})", "\"line\""), 400, "values[0]: must be", 1);
  add("entry_one_element", Stream(R"({"job":"x"})", "[\"" + Ts(2) + "\"]"), 400, "not 1 elements",
      1);
  add("entry_four_elements", Stream(R"({"job":"x"})", "[\"" + Ts(2) + "\",\"x\",{},1]"), 400,
      "not 4 elements", 1);
  add("ts_number", Stream(R"({"job":"x"})", "[" + Ts(2) + ",\"x\"]"), 400,
      "the timestamp must be a string of nanoseconds", 1);
  add("ts_negative", Stream(R"({"job":"x"})", R"(["-5","x"])"), 400, "not a non-negative integer",
      1);
  add("ts_fraction", Stream(R"({"job":"x"})", R"(["1.5","x"])"), 400, "not a non-negative integer",
      1);
  add("ts_huge", Stream(R"({"job":"x"})", R"(["999999999999999999999999999","x"])"), 400,
      "not a non-negative integer", 1);
  add("ts_empty", Stream(R"({"job":"x"})", R"(["","x"])"), 400, "not a non-negative integer", 1);
  add("ts_rfc3339", Stream(R"({"job":"x"})", R"(["2025-12-06T00:00:00Z","x"])"), 400,
      "not a non-negative integer", 1);
  add("line_number", Stream(R"({"job":"x"})", "[\"" + Ts(2) + "\",5]"), 400,
      "the log line must be a string", 1);
  add("line_null", Stream(R"({"job":"x"})", "[\"" + Ts(2) + "\",null]"), 400,
      "the log line must be a string", 1);
  add("line_object", Stream(R"({"job":"x"})", "[\"" + Ts(2) + "\",{\"a\":1}]"), 400,
      "the log line must be a string", 1);
  add("metadata_not_object", Stream(R"({"job":"x"})", "[\"" + Ts(2) + "\",\"x\",[]]"), 400,
      "structured metadata must be an object", 1);
  add("metadata_value_number", Stream(R"({"job":"x"})", "[\"" + Ts(2) + "\",\"x\",{\"k\":1}]"), 400,
      "metadata values must be strings", 1);
  add("metadata_bad_name", Stream(R"({"job":"x"})", "[\"" + Ts(2) + "\",\"x\",{\"a-b\":\"1\"}]"),
      400, "has invalid structured metadata", 1);
  add("label_invalid_name", Stream(R"({"bad-name":"x"})", Entry("x")), 400, "invalid label name",
      1);
  add("label_reserved", Stream(R"({"__x":"x"})", Entry("x")), 400, "reserved label name", 1);
  add("labels_empty", Stream("{}", Entry("x")), 400,
      "error at least one label pair is required per stream", 1);
  add("labels_only_empty_value", Stream(R"({"job":""})", Entry("x")), 400,
      "error at least one label pair is required per stream", 1);
  std::string many = "{";
  for (int i = 0; i < 16; ++i)
    many += std::string(i ? "," : "") + "\"l" + std::to_string(i) + "\":\"v\"";
  add("too_many_labels", Stream(many + "}", Entry("x")), 400, "has 16 label names; limit 15", 1);
  add("label_name_too_long", Stream("{\"" + std::string(1025, 'n') + "\":\"v\"}", Entry("x")), 400,
      "has label name too long", 1);
  add("label_value_too_long", Stream("{\"job\":\"" + std::string(2049, 'v') + "\"}", Entry("x")),
      400, "has label value too long", 1);
  add("line_too_long", Stream(R"({"job":"x"})", Entry(std::string(256 * 1024 + 1, 'x'))), 400,
      "Max entry size '262144' bytes exceeded for stream '{job=\"x\"}' while adding an entry with "
      "length '262145' bytes",
      1);
  add("too_old", Stream(R"({"job":"x"})", Entry("old", -kWeek - 1)), 400, "has timestamp too old",
      1);
  add("too_new", Stream(R"({"job":"x"})", Entry("new", 11 * 60 * 1'000'000'000LL)), 400,
      "has timestamp too new", 1);
  add("bad_escape", Stream(R"({"job":"x"})", "[\"" + Ts(2) + "\",\"a\\qb\"]"), 400,
      "values[0][1]: the log line is not a valid JSON string", 1);
  add("lone_surrogate", Stream(R"({"job":"x"})", "[\"" + Ts(2) + "\",\"\\ud800\"]"), 400,
      "values[0][1]: the log line is not a valid JSON string", 1);
  add("missing_comma", R"({"stream":{"job":"x"} "values":[]})", 400, "reading stopped there", 1);
  add("deep_nesting_in_line", Stream(R"({"job":"x"})", "[\"" + Ts(2) + "\"," + Nested(200) + "]"),
      400, "the log line must be a string", 1);
  // Accepted as Loki accepts them: the good stream and the odd one are both stored.
  add("invalid_utf8_line",
      Stream(R"({"case":"invalid_utf8_line"})", Entry("a\xff"
                                                      "b")),
      204, "", 2);
  add("escaped_nul_line", Stream(R"({"case":"escaped_nul_line"})", Entry("a\\u0000b")), 204, "", 2);
  add("duplicate_label_key", Stream(R"({"case":"x","case":"duplicate_label_key"})", Entry("dup")),
      204, "", 2);
  add("unknown_keys",
      R"({"stream":{"case":"unknown_keys"},"hash":[1e999],"values":[)" + Entry("u") + "]}", 204, "",
      2);
  // Whole-body problems.
  auto whole = [c](std::string name, std::string body, std::string message, size_t kept = 0) {
    c->push_back({name, "/loki/api/v1/push", kJson, "", body, 400, message, kept});
  };
  whole("empty_body", "", "not valid JSON");
  whole("not_json", "hello", "expected {\"streams\":[...]}");
  whole("json_array_root", "[]", "expected {\"streams\":[...]}");
  whole("json_string_root", "\"streams\"", "expected {\"streams\":[...]}");
  whole("streams_missing", "{}", "no \"streams\" key");
  whole("streams_not_array", R"({"streams":{}})", "\"streams\" must be an array");
  whole("streams_null", R"({"streams":null})", "\"streams\" must be an array");
  whole("truncated_in_string",
        std::string(R"({"streams":[)") + Good("truncated_in_string") +
            R"(,{"stream":{"job":"x"},"values":[[")",
        "not valid JSON");
  whole("truncated_after_stream", std::string(R"({"streams":[)") + Good("truncated_after_stream"),
        "reading stopped there", 1);
  whole("trailing_garbage",
        WithGood("trailing_garbage", Stream(R"({"job":"y"})", Entry("y"))) + " trailing",
        "trailing content", 1);
  whole("raw_nul_in_string",
        std::string(R"({"streams":[)") + Good("raw_nul_in_string") + "," +
            Stream(R"({"job":"x"})", "[\"" + Ts(2) + "\",\"a" + std::string(1, '\0') + "b\"]") +
            "]}",
        "");
  // Skipping an unknown key is iterative, so depth costs nothing: accepted as Loki would.
  c->push_back(
      {"deep_nesting_in_unknown_key", "/loki/api/v1/push", kJson, "",
       R"({"x":)" + Nested(2000) + R"(,"streams":[)" + Good("deep_nesting_in_unknown_key") + "]}",
       204, "", 1});
  whole("utf8_bom",
        "\xef\xbb\xbf" + WithGood("utf8_bom", Stream(R"({"case":"utf8_bom"})", Entry("b"))), "", 0);
}

void AddProtoCases(std::vector<Case>* c) {
  auto add = [c](std::string name, std::string body, int status, std::string message, size_t kept) {
    c->push_back({name, "/loki/api/v1/push", kProto, "", body, status, message, kept});
  };
  add("proto_bad_labels", Proto("proto_bad_labels", {{"{job=\"x\"", {{kSecondsNow, 2, "x", {}}}}}),
      400, "Error parsing labels '{job=\"x\"' with error", 1);
  add("proto_labels_not_prometheus",
      Proto("proto_labels_not_prometheus", {{"job=x", {{kSecondsNow, 2, "x", {}}}}}), 400,
      "Error parsing labels", 1);
  add("proto_duplicate_label",
      Proto("proto_duplicate_label", {{"{a=\"1\", a=\"2\"}", {{kSecondsNow, 2, "x", {}}}}}), 400,
      "Error parsing labels", 1);
  add("proto_empty_labels", Proto("proto_empty_labels", {{"{}", {{kSecondsNow, 2, "x", {}}}}}), 400,
      "error at least one label pair is required per stream", 1);
  add("proto_negative_ts", Proto("proto_negative_ts", {{"{job=\"x\"}", {{-5, 0, "x", {}}}}}), 400,
      "is not a time between 1970 and 2262", 1);
  add("proto_bad_nanos", Proto("proto_bad_nanos", {{"{job=\"x\"}", {{kSecondsNow, -1, "x", {}}}}}),
      400, "is not a time between 1970 and 2262", 1);
  add("proto_line_too_long",
      Proto("proto_line_too_long",
            {{"{job=\"x\"}", {{kSecondsNow, 2, std::string(300 * 1024, 'x'), {}}}}}),
      400, "Max entry size '262144' bytes exceeded", 1);
  add("proto_too_old",
      Proto("proto_too_old", {{"{job=\"x\"}", {{kSecondsNow - 8 * 24 * 3600, 0, "x", {}}}}}), 400,
      "has timestamp too old", 1);
  add("proto_too_new",
      Proto("proto_too_new", {{"{job=\"x\"}", {{kSecondsNow + 3600, 0, "x", {}}}}}), 400,
      "has timestamp too new", 1);
  add("proto_bad_metadata_name",
      Proto("proto_bad_metadata_name", {{"{job=\"x\"}", {{kSecondsNow, 2, "x", {{"1a", "v"}}}}}}),
      400, "has invalid structured metadata", 1);
  add("proto_invalid_utf8_line",
      Proto("proto_invalid_utf8_line",
            {{"{case=\"proto_invalid_utf8_line\"}", {{kSecondsNow, 2, "\xff\xfe", {}}}}}),
      204, "", 2);
  add("proto_invalid_utf8_label",
      Proto("proto_invalid_utf8_label", {{"{job=\"\xff\"}", {{kSecondsNow, 2, "x", {}}}}}), 400,
      "not valid UTF-8", 1);
  add("proto_not_snappy", "\xff\xff\xff\xff\xff\xff\xff", 400, "not snappy-compressed", 0);
  std::string corrupt = Proto("proto_corrupt_snappy", {});
  corrupt.resize(corrupt.size() - 3);
  add("proto_corrupt_snappy", corrupt, 400, "corrupt snappy data", 0);
  add("proto_not_protobuf", Snappy("{\"streams\":[]}"), 400, "not a protobuf logproto.PushRequest",
      0);
  std::string raw = testing::MakePushRequest({GoodProto("proto_truncated")}).SerializeAsString();
  add("proto_truncated", Snappy(raw.substr(0, raw.size() - 2)), 400,
      "not a protobuf logproto.PushRequest", 0);
  // A snappy header claiming 1 GiB: refused before anything is allocated.
  add("proto_snappy_bomb", std::string("\x80\x80\x80\x80\x04", 5) + "\x00\x00", 413,
      "request body too large: 1073741824 bytes", 0);
  c->push_back({"proto_no_content_type_garbage", "/loki/api/v1/push", "", "", "hello", 400,
                "corrupt snappy data", 0});
  add("proto_empty_body", "", 400, "not snappy-compressed", 0);
}

void AddHttpCases(std::vector<Case>* c) {
  const std::string good = WithGood("x", Good("x"));
  c->push_back({"content_type_text", "/loki/api/v1/push", "text/plain", "", good, 415,
                "unsupported Content-Type 'text/plain'", 0});
  c->push_back({"content_type_form", "/loki/api/v1/push", "application/x-www-form-urlencoded", "",
                good, 415, "send application/json or application/x-protobuf", 0});
  c->push_back({"content_encoding_br", "/loki/api/v1/push", kJson, "Content-Encoding: br\r\n", good,
                415, "unsupported Content-Encoding", 0});
  c->push_back({"gzip_corrupt", "/loki/api/v1/push", kJson, "Content-Encoding: gzip\r\n",
                "\x1f\x8b\x08\x00garbage", 400, "", 0});
  c->push_back({"gzip_bomb", "/loki/api/v1/push", kJson, "Content-Encoding: gzip\r\n",
                http::testing::Gzip(std::string(8 << 20, ' ')), 413, "", 0});
  c->push_back({"tenant_slash", "/loki/api/v1/push", kJson, "X-Scope-OrgID: a/b\r\n",
                WithGood("tenant_slash", Good("tenant_slash")), 400, "invalid X-Scope-OrgID header",
                0});
  c->push_back({"tenant_dotdot", "/loki/api/v1/push", kJson, "X-Scope-OrgID: ..\r\n",
                WithGood("tenant_dotdot", Good("tenant_dotdot")), 400,
                "invalid X-Scope-OrgID header", 0});
  c->push_back({"tenant_too_long", "/loki/api/v1/push", kJson,
                "X-Scope-OrgID: " + std::string(65, 't') + "\r\n",
                WithGood("tenant_too_long", Good("tenant_too_long")), 400,
                "invalid X-Scope-OrgID header", 0});
  c->push_back({"tenant_multi", "/loki/api/v1/push", kJson, "X-Scope-OrgID: a|b\r\n",
                WithGood("tenant_multi", Good("tenant_multi")), 400, "invalid X-Scope-OrgID header",
                0});
}

void AddSimpleCases(std::vector<Case>* c) {
  auto add = [c](std::string name, std::string bad, int status, std::string message, size_t kept) {
    std::string body = Simple(name, bad);
    c->push_back({name, "/api/v1/logs", kJson, "", body, status, message, kept});
  };
  add("simple_missing_message", R"({"labels":{"job":"x"}})", 400, "message: missing", 1);
  add("simple_message_number", R"({"message":1,"labels":{"job":"x"}})", 400,
      "message: must be a string", 1);
  add("simple_no_labels", R"({"message":"x"})", 400, "at least one label pair", 1);
  add("simple_labels_array", R"({"message":"x","labels":["job"]})", 400,
      "labels: must be an object", 1);
  add("simple_bad_timestamp", R"({"message":"x","labels":{"job":"x"},"timestamp":"soon"})", 400,
      "timestamp: 'soon' is neither RFC 3339", 1);
  add("simple_timestamp_bool", R"({"message":"x","labels":{"job":"x"},"timestamp":true})", 400,
      "timestamp: must be a number or a string", 1);
  add("simple_timestamp_20_digits",
      R"({"message":"x","labels":{"job":"x"},"timestamp":12345678901234567890})", 400,
      "more than 19 digits", 1);
  add("simple_too_old",
      R"({"message":"x","labels":{"job":"x"},"timestamp":"2020-01-01T00:00:00Z"})", 400,
      "has timestamp too old", 1);
  add("simple_entry_string", R"("just text")", 400, "must be an object", 1);
  add("simple_invalid_label", R"({"message":"x","labels":{"a b":"x"}})", 400, "invalid label name",
      1);
  c->push_back(
      {"simple_scalar", "/api/v1/logs", kJson, "", "42", 400, "must be an entry object", 0});
  c->push_back({"simple_not_json", "/api/v1/logs", kJson, "", "message=x", 400, "", 0});
  c->push_back({"simple_xml", "/api/v1/logs", "application/xml", "", "<log/>", 415,
                "send application/json", 0});
}

std::vector<Case> Catalog() {
  std::vector<Case> cases;
  AddJsonCases(&cases);
  AddProtoCases(&cases);
  AddHttpCases(&cases);
  AddSimpleCases(&cases);
  return cases;
}

class PushMalformedCatalogTest : public testing::PushServerFixture {
 protected:
  void SetUp() override {
    http::ServerOptions options;
    options.max_decoded_body_bytes = 4 << 20;
    Start(options);
  }

  std::optional<RawResponse> Send(const Case& c) {
    RawClient client(server_->port());
    if (!client.connected()) return std::nullopt;
    std::string request = "POST " + c.path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
    if (!c.content_type.empty()) request += "Content-Type: " + c.content_type + "\r\n";
    request += c.extra_headers;
    request += "Content-Length: " + std::to_string(c.body.size()) + "\r\n\r\n" + c.body;
    if (!client.Send(request)) return std::nullopt;
    return client.ReadResponse();
  }
};

TEST_F(PushMalformedCatalogTest, EveryCaseGetsItsStatusMessageAndKeepsTheValidData) {
  const std::vector<Case> cases = Catalog();
  EXPECT_GE(cases.size(), 60u);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::optional<RawResponse> response = Send(c);
    ASSERT_TRUE(response.has_value()) << "no answer: the server must stay up";
    EXPECT_EQ(response->status, c.status) << response->body;
    EXPECT_THAT(response->body, HasSubstr(c.message));
    if (c.status != 204) {
      EXPECT_FALSE(response->body.empty()) << "an error needs a readable message";
      EXPECT_EQ(response->body.find('\0'), std::string::npos);
    }
    EXPECT_EQ(Stored("case", c.name).size(), c.kept);
  }
}

TEST_F(PushMalformedCatalogTest, NamesAreUnique) {
  std::vector<Case> cases = Catalog();
  std::set<std::string> names;
  for (const Case& c : cases) EXPECT_TRUE(names.insert(c.name).second) << c.name;
}

TEST_F(PushMalformedCatalogTest, ShortContentLengthCutsTheBodyAndTheRestIsRefused) {
  const std::string body = WithGood("short_length", Stream(R"({"job":"x"})", Entry("x")));
  const size_t cut = body.find(R"({"job")");
  RawClient client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Send(
      "POST /loki/api/v1/push HTTP/1.1\r\nHost: x\r\nContent-Type: " + std::string(kJson) +
      "\r\nContent-Length: " + std::to_string(cut) + "\r\n\r\n" + body));
  std::optional<RawResponse> first = client.ReadResponse();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->status, 400);
  EXPECT_THAT(first->body, HasSubstr("reading stopped there"));
  std::optional<RawResponse> second = client.ReadResponse();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->status, 400);
  EXPECT_THAT(Stored("case", "short_length"), ::testing::ElementsAre("1|good"));
}

TEST_F(PushMalformedCatalogTest, LongContentLengthThenCloseStoresNothing) {
  const std::string body = WithGood("long_length", Good("long_length"));
  {
    RawClient client(server_->port());
    ASSERT_TRUE(client.connected());
    ASSERT_TRUE(client.Send(
        "POST /loki/api/v1/push HTTP/1.1\r\nHost: x\r\nContent-Type: " + std::string(kJson) +
        "\r\nContent-Length: " + std::to_string(body.size() + 100) + "\r\n\r\n" + body));
    client.ShutdownWrite();
    bool closed = false;
    client.ReadUntilClosed(&closed);
    EXPECT_TRUE(closed);
  }
  EXPECT_TRUE(Stored("case", "long_length").empty());
  Case ok{"after_long_length",
          "/loki/api/v1/push",
          kJson,
          "",
          WithGood("after_long_length", Good("after_long_length")),
          204,
          "",
          2};
  std::optional<RawResponse> response = Send(ok);
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 204);
}

TEST_F(PushMalformedCatalogTest, RejectionsAreCountedByReason) {
  for (const Case& c : Catalog()) ASSERT_TRUE(Send(c).has_value()) << c.name;
  EXPECT_GE(Metric(R"(silt_discarded_samples_total{reason="invalid_entry"})"), 20);
  EXPECT_EQ(Metric(R"(silt_discarded_samples_total{reason="line_too_long"})"), 2);
  EXPECT_EQ(Metric(R"(silt_discarded_samples_total{reason="max_label_names_per_series"})"), 1);
  EXPECT_EQ(Metric(R"(silt_discarded_samples_total{reason="too_far_in_future"})"), 2);
  EXPECT_GE(Metric(R"(silt_push_requests_total{format="unknown",status="415"})"), 3);
}

}  // namespace
}  // namespace silt::ingest
