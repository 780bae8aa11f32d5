// A catalog of malformed syslog messages and TCP streams (docs/syslog.md "What happens to bad
// input"). Each case is sent between two valid messages through the same path a TCP connection
// takes (SyslogFramer -> SyslogBatch); the case says what must be stored: the message parsed, the
// message raw (with syslog_error metadata and the receive time), nothing (refused as too long,
// counted), or nothing more (framing lost: the connection is closed after the valid message
// before it). The valid messages around a case are always checked.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aggregator/ingest/syslog/syslog_batch.h"
#include "aggregator/ingest/syslog/syslog_framer.h"

namespace silt::ingest {
namespace {

constexpr size_t kMax = 1024;
const ReceiveContext kNow{.receive_time_ns = 1'796'000'000'000'000'000};  // 2026-11-30

enum class Outcome { kParsed, kRaw, kRefused, kFramingLost };
enum class Frame { kLf, kOctet, kNone };  // kNone: `message` is the raw stream bytes

struct Case {
  std::string name;
  std::string message;
  Frame frame;
  Outcome outcome;
  std::string line;  // the stored line for kParsed (kRaw stores the message itself)
  size_t piece = 0;  // feed in pieces of this size (1: a slow client), 0: at once
};

std::string Framed(std::string_view message, Frame frame) {
  switch (frame) {
    case Frame::kLf:
      return std::string(message) + "\n";
    case Frame::kOctet:
      return std::to_string(message.size()) + " " + std::string(message);
    case Frame::kNone:
      return std::string(message);
  }
  return {};
}

std::string V5424(std::string_view msg) { return "<14>1 - web1 app - - - " + std::string(msg); }

class Receiver : public SyslogFramer::Handler {
 public:
  void OnMessage(std::string_view message, Framing) override {
    if (batch.Add(message, kNow, "192.0.2.7")) {
      ++parsed;
    } else {
      ++raw;
    }
  }
  void OnOversize(size_t, Framing) override { ++refused; }

  std::map<std::string, std::string> labels;
  SyslogBatch batch{&labels};
  int parsed = 0;
  int raw = 0;
  int refused = 0;
};

std::vector<Case> Catalog() {
  const std::string big(kMax + 1, 'x');
  std::vector<Case> c = {
      {"pri_256", "<256>1 - h a - - - m", Frame::kLf, Outcome::kRaw},
      {"pri_192", "<192>Dec  6 02:36:10 h t: m", Frame::kLf, Outcome::kRaw},
      {"pri_999999", "<999999>1 - h a - - - m", Frame::kOctet, Outcome::kRaw},
      {"pri_negative", "<-1>1 - h a - - - m", Frame::kLf, Outcome::kRaw},
      {"pri_leading_zero", "<013>1 - h a - - - m", Frame::kLf, Outcome::kRaw},
      {"pri_empty", "<>1 - h a - - - m", Frame::kLf, Outcome::kRaw},
      {"pri_unterminated", "<13 1 - h a - - - m", Frame::kLf, Outcome::kRaw},
      {"pri_letters", "<ab>1 - h a - - - m", Frame::kOctet, Outcome::kRaw},
      {"no_pri_plain_text", "just a line", Frame::kLf, Outcome::kRaw},
      {"no_pri_json", R"({"msg":"x"})", Frame::kLf, Outcome::kRaw},
      {"version_zero", "<13>0 - h a - - - m", Frame::kLf, Outcome::kRaw},
      {"version_three_digits", "<13>100 - h a - - - m", Frame::kLf, Outcome::kRaw},
      {"missing_msgid_and_sd", "<13>1 - h a -", Frame::kOctet, Outcome::kRaw},
      {"only_pri_and_version", "<13>1", Frame::kLf, Outcome::kRaw},
      {"only_pri", "<13>", Frame::kLf, Outcome::kRaw},
      {"double_space_empty_field", "<13>1 -  a - - - m", Frame::kLf, Outcome::kRaw},
      {"hostname_256_bytes", "<13>1 - " + std::string(256, 'h') + " a - - - m", Frame::kLf,
       Outcome::kRaw},
      {"appname_49_bytes", "<13>1 - h " + std::string(49, 'a') + " - - - m", Frame::kOctet,
       Outcome::kRaw},
      {"procid_129_bytes", "<13>1 - h a " + std::string(129, 'p') + " - - m", Frame::kLf,
       Outcome::kRaw},
      {"msgid_33_bytes", "<13>1 - h a - " + std::string(33, 'm') + " - m", Frame::kLf,
       Outcome::kRaw},
      {"timestamp_month_13", "<13>1 2026-13-01T00:00:00Z h a - - - m", Frame::kLf, Outcome::kRaw},
      {"timestamp_feb_30", "<13>1 2026-02-30T00:00:00Z h a - - - m", Frame::kLf, Outcome::kRaw},
      {"timestamp_no_offset", "<13>1 2026-12-06T02:36:10 h a - - - m", Frame::kLf, Outcome::kRaw},
      {"timestamp_leap_second", "<13>1 2026-12-31T23:59:60Z h a - - - m", Frame::kLf,
       Outcome::kRaw},
      {"timestamp_hour_25", "<13>1 2026-12-06T25:00:00Z h a - - - m", Frame::kOctet, Outcome::kRaw},
      {"timestamp_words", "<13>1 yesterday h a - - - m", Frame::kLf, Outcome::kRaw},
      {"timestamp_year_99999", "<13>1 99999-01-01T00:00:00Z h a - - - m", Frame::kLf,
       Outcome::kRaw},
      {"timestamp_offset_24h", "<13>1 2026-12-06T02:36:10+24:00 h a - - - m", Frame::kLf,
       Outcome::kRaw},
      {"bsd_month_unknown", "<13>Dez  6 02:36:10 h t: m", Frame::kLf, Outcome::kRaw},
      {"bsd_day_32", "<13>Dec 32 02:36:10 h t: m", Frame::kLf, Outcome::kRaw},
      {"bsd_minute_60", "<13>Dec  6 02:60:10 h t: m", Frame::kLf, Outcome::kRaw},
      {"bsd_truncated_time", "<13>Dec  6 02:36", Frame::kLf, Outcome::kRaw},
      {"bsd_iso_date", "<13>2026-12-06 02:36:10 h t: m", Frame::kOctet, Outcome::kRaw},
      {"sd_unterminated_element", "<13>1 - h a - - [x a=\"1\" m", Frame::kLf, Outcome::kRaw},
      {"sd_unterminated_value", "<13>1 - h a - - [x a=\"1] m", Frame::kLf, Outcome::kRaw},
      {"sd_unquoted_value", "<13>1 - h a - - [x a=1] m", Frame::kLf, Outcome::kRaw},
      {"sd_empty_id", "<13>1 - h a - - [ a=\"1\"] m", Frame::kLf, Outcome::kRaw},
      {"sd_id_33_bytes", "<13>1 - h a - - [" + std::string(33, 'i') + "] m", Frame::kLf,
       Outcome::kRaw},
      {"sd_garbage", "<13>1 - h a - - {json} m", Frame::kOctet, Outcome::kRaw},
      {"sd_no_space_before_msg", "<13>1 - h a - - [x a=\"1\"]m", Frame::kLf, Outcome::kRaw},
      {"invalid_utf8_header", "<13>1 - h\xff a - - - m", Frame::kLf, Outcome::kRaw},
      {"nul_in_header", std::string("<13>1 - h\0 a - - - m", 20), Frame::kOctet, Outcome::kRaw},
      {"nul_only", std::string("\0\0\0", 3), Frame::kOctet, Outcome::kRaw},
      {"binary_garbage", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", Frame::kLf, Outcome::kRaw},
      // Parsed, with bytes in MSG a stricter receiver might refuse.
      {"invalid_utf8_msg", V5424("caf\xe9"), Frame::kLf, Outcome::kParsed, "caf\xe9"},
      {"nul_in_msg", V5424(std::string("a\0b", 3)), Frame::kOctet, Outcome::kParsed,
       std::string("a\0b", 3)},
      {"bom_then_text", V5424("\xEF\xBB\xBFhello"), Frame::kLf, Outcome::kParsed, "hello"},
      {"crlf_line_end", V5424("windows") + "\r", Frame::kLf, Outcome::kParsed, "windows"},
      {"empty_msg", "<14>1 - web1 app - - -", Frame::kLf, Outcome::kParsed, ""},
      {"bsd_without_tag", "<13>Dec  6 02:36:10 h free text", Frame::kLf, Outcome::kParsed,
       "free text"},
      {"slow_client_5424", V5424("trickled"), Frame::kOctet, Outcome::kParsed, "trickled", 1},
      {"slow_client_lf", V5424("trickled lf"), Frame::kLf, Outcome::kParsed, "trickled lf", 1},
      // Refused: longer than max_message_size; the frames around are kept.
      {"huge_octet_counted", big, Frame::kOctet, Outcome::kRefused},
      {"huge_lf_line", big, Frame::kLf, Outcome::kRefused},
      {"huge_octet_count_9_digits", "999999999 " + big, Frame::kNone, Outcome::kRefused},
      {"huge_slow_lf", big, Frame::kLf, Outcome::kRefused, "", 3},
      // Framing lost: the connection is closed after the message before.
      {"octet_count_10_digits", "1234567890 x", Frame::kNone, Outcome::kFramingLost},
      {"octet_count_20_digits", "99999999999999999999 x", Frame::kNone, Outcome::kFramingLost},
      {"octet_count_overflow_slow", "18446744073709551617 x", Frame::kNone, Outcome::kFramingLost,
       "", 1},
  };
  return c;
}

class MalformedCatalogTest : public ::testing::TestWithParam<Case> {};

TEST_P(MalformedCatalogTest, StoredOrRefusedAsDocumentedAndNeighboursKept) {
  const Case& test = GetParam();
  const Frame around = test.frame == Frame::kNone ? Frame::kLf : test.frame;
  const std::string stream = Framed(V5424("before"), around) + Framed(test.message, test.frame) +
                             Framed(V5424("after"), around);
  Receiver receiver;
  SyslogFramer framer(kMax, &receiver);
  Status fed;
  const size_t piece = test.piece == 0 ? stream.size() : test.piece;
  for (size_t i = 0; i < stream.size() && fed.ok(); i += piece) {
    fed = framer.Feed(std::string_view(stream).substr(i, piece));
  }
  if (fed.ok()) framer.Finish();

  std::vector<std::string> lines;
  engine::PushRequest request = receiver.batch.BuildRequest("fake");
  std::vector<const engine::PushEntry*> raw_entries;
  for (const engine::PushStream& s : request.streams) {
    for (const engine::PushEntry& e : s.entries) {
      lines.emplace_back(e.line);
      if (!e.metadata.empty() && e.metadata[0].name == "syslog_error") raw_entries.push_back(&e);
    }
  }
  auto has = [&](std::string_view line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
  };
  EXPECT_TRUE(has("before")) << test.name;
  switch (test.outcome) {
    case Outcome::kParsed:
      EXPECT_TRUE(fed.ok()) << fed;
      EXPECT_EQ(receiver.parsed, 3);
      EXPECT_EQ(receiver.raw, 0);
      EXPECT_TRUE(has(test.line)) << test.name;
      EXPECT_TRUE(has("after"));
      break;
    case Outcome::kRaw: {
      EXPECT_TRUE(fed.ok()) << fed;
      EXPECT_EQ(receiver.parsed, 2);
      ASSERT_EQ(receiver.raw, 1);
      ASSERT_EQ(raw_entries.size(), 1u);
      EXPECT_EQ(raw_entries[0]->line, test.message);
      EXPECT_EQ(raw_entries[0]->timestamp, kNow.receive_time_ns);
      EXPECT_FALSE(raw_entries[0]->metadata[0].value.empty());
      EXPECT_TRUE(has("after"));
      break;
    }
    case Outcome::kRefused:
      EXPECT_TRUE(fed.ok()) << fed;
      EXPECT_EQ(receiver.refused, 1);
      EXPECT_EQ(lines.size(), test.message.starts_with("999999999") ? 1u : 2u);
      if (!test.message.starts_with("999999999")) {
        EXPECT_TRUE(has("after"));
      }
      break;
    case Outcome::kFramingLost:
      EXPECT_EQ(fed.code(), StatusCode::kInvalidArgument);
      EXPECT_EQ(lines, std::vector<std::string>{"before"});
      break;
  }
}

INSTANTIATE_TEST_SUITE_P(Catalog, MalformedCatalogTest, ::testing::ValuesIn(Catalog()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return info.param.name;
                         });

TEST(MalformedCatalogSizeTest, HasAtLeastFiftyCases) { EXPECT_GE(Catalog().size(), 50u); }

}  // namespace
}  // namespace silt::ingest
