#include "aggregator/cli/batch_cursor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

namespace silt::cli {
namespace {

struct Row {
  std::string stream;  // value of label s
  int64_t ts;
  std::string line;
};

// A server that answers query_range as Loki does: entries in [start, end), the first `limit` in
// the direction; among entries with equal timestamps it takes them in `tie_order` (insertion
// order, or reversed on every other request when `flip_ties`).
class FakeServer {
 public:
  explicit FakeServer(std::vector<Row> rows, bool flip_ties = false)
      : rows_(std::move(rows)), flip_ties_(flip_ties) {}

  std::vector<FlatEntry> Answer(const BatchRequest& request, Direction direction) {
    ++requests_;
    std::vector<Row> in;
    for (const Row& row : rows_) {
      if (row.ts >= request.range.start_ns && row.ts < request.range.end_ns) in.push_back(row);
    }
    const bool forward = direction == Direction::kForward;
    const bool reverse_ties = flip_ties_ && requests_ % 2 == 0;
    std::stable_sort(in.begin(), in.end(), [&](const Row& a, const Row& b) {
      return forward ? a.ts < b.ts : a.ts > b.ts;
    });
    if (reverse_ties) {
      for (size_t i = 0; i < in.size();) {
        size_t j = i;
        while (j < in.size() && in[j].ts == in[i].ts) ++j;
        std::reverse(in.begin() + static_cast<long>(i), in.begin() + static_cast<long>(j));
        i = j;
      }
    }
    if (static_cast<int64_t>(in.size()) > request.limit) in.resize(request.limit);
    QueryResult result;
    std::map<std::string, size_t> index;
    for (const Row& row : in) {
      auto [it, added] = index.emplace(row.stream, result.streams.size());
      if (added) result.streams.push_back(LogStream{{{"s", row.stream}}, {}});
      result.streams[it->second].entries.push_back(LogEntry{row.ts, row.line, {}});
    }
    return FlattenStreams(std::move(result), direction);
  }

  int requests() const { return requests_; }

 private:
  std::vector<Row> rows_;
  bool flip_ties_;
  int requests_ = 0;
};

std::vector<std::string> ReadAll(FakeServer* server, Direction direction, int64_t limit,
                                 int64_t batch, TimeRange range = {0, 1'000'000}) {
  BatchCursor cursor(range, direction, limit, batch);
  std::vector<std::string> out;
  int guard = 0;
  while (!cursor.done() && ++guard < 100000) {
    for (const FlatEntry& entry : cursor.Accept(server->Answer(cursor.Next(), direction))) {
      out.push_back(entry.stream_key + " " + std::to_string(entry.entry.timestamp_ns) + " " +
                    entry.entry.line);
    }
  }
  return out;
}

std::vector<std::string> Expected(std::vector<Row> rows, Direction direction) {
  std::vector<std::string> out;
  for (const Row& row : rows) {
    out.push_back("{s=\"" + row.stream + "\"} " + std::to_string(row.ts) + " " + row.line);
  }
  std::sort(out.begin(), out.end());
  (void)direction;
  return out;
}

std::vector<std::string> Sorted(std::vector<std::string> lines) {
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::vector<Row> SharedTimestamps() {
  // 3 streams x 10 timestamps x 4 entries per (stream, ts): batches of 5 end mid-timestamp.
  std::vector<Row> rows;
  for (int ts = 0; ts < 10; ++ts) {
    for (int s = 0; s < 3; ++s) {
      for (int k = 0; k < 4; ++k) {
        rows.push_back(
            {std::to_string(s), 100 + ts, "t" + std::to_string(ts) + "k" + std::to_string(k)});
      }
    }
  }
  return rows;
}

TEST(BatchCursorTest, BackwardBatchesHaveNoGapsOrRepeatsAtSharedTimestamps) {
  FakeServer server(SharedTimestamps());
  std::vector<std::string> got = ReadAll(&server, Direction::kBackward, 0, 5);
  EXPECT_EQ(got.size(), 120u);
  EXPECT_EQ(Sorted(got), Expected(SharedTimestamps(), Direction::kBackward));
  EXPECT_GT(server.requests(), 20);
}

TEST(BatchCursorTest, ForwardBatchesHaveNoGapsOrRepeatsAtSharedTimestamps) {
  FakeServer server(SharedTimestamps());
  std::vector<std::string> got = ReadAll(&server, Direction::kForward, 0, 5);
  EXPECT_EQ(Sorted(got), Expected(SharedTimestamps(), Direction::kForward));
}

TEST(BatchCursorTest, OutputIsInDirectionOrder) {
  FakeServer server(SharedTimestamps());
  BatchCursor cursor({0, 1000}, Direction::kForward, 0, 7);
  int64_t last = -1;
  while (!cursor.done()) {
    for (const FlatEntry& entry :
         cursor.Accept(server.Answer(cursor.Next(), Direction::kForward))) {
      EXPECT_GE(entry.entry.timestamp_ns, last);
      last = entry.entry.timestamp_ns;
    }
  }
  EXPECT_EQ(last, 109);
}

TEST(BatchCursorTest, TieOrderChangingBetweenRequestsStillGivesEveryEntryOnce) {
  for (Direction direction : {Direction::kBackward, Direction::kForward}) {
    FakeServer server(SharedTimestamps(), /*flip_ties=*/true);
    EXPECT_EQ(Sorted(ReadAll(&server, direction, 0, 5)), Expected(SharedTimestamps(), direction));
  }
}

TEST(BatchCursorTest, MoreEntriesAtOneTimestampThanABatchGrowTheRequest) {
  std::vector<Row> rows;
  for (int k = 0; k < 50; ++k) rows.push_back({"a", 7, "same ts " + std::to_string(k)});
  rows.push_back({"a", 6, "older"});
  rows.push_back({"a", 8, "newer"});
  for (Direction direction : {Direction::kBackward, Direction::kForward}) {
    FakeServer server(rows);
    EXPECT_EQ(Sorted(ReadAll(&server, direction, 0, 4)), Expected(rows, direction));
  }
}

TEST(BatchCursorTest, IdenticalLinesAtOneTimestampAreAllKept) {
  std::vector<Row> rows;
  for (int k = 0; k < 9; ++k) rows.push_back({"a", 5, "dup"});
  for (int k = 0; k < 3; ++k) rows.push_back({"b", 5, "dup"});
  rows.push_back({"a", 4, "x"});
  for (Direction direction : {Direction::kBackward, Direction::kForward}) {
    FakeServer server(rows);
    std::vector<std::string> got = ReadAll(&server, direction, 0, 2);
    EXPECT_EQ(got.size(), rows.size());
    EXPECT_EQ(Sorted(got), Expected(rows, direction));
  }
}

TEST(BatchCursorTest, LimitStopsAfterExactlyNEntriesInOrder) {
  FakeServer server(SharedTimestamps());
  std::vector<std::string> got = ReadAll(&server, Direction::kBackward, 17, 5);
  ASSERT_EQ(got.size(), 17u);
  // The 17 newest: all 12 of ts 109 and 5 of ts 108.
  EXPECT_EQ(
      std::count_if(got.begin(), got.end(),
                    [](const std::string& s) { return s.find(" 109 ") != std::string::npos; }),
      12);
}

TEST(BatchCursorTest, LimitBelowBatchIsOneRequestForExactlyN) {
  BatchCursor cursor({0, 1000}, Direction::kBackward, 3, 5000);
  EXPECT_EQ(cursor.Next().limit, 3);
  FakeServer server(SharedTimestamps());
  EXPECT_EQ(cursor.Accept(server.Answer(cursor.Next(), Direction::kBackward)).size(), 3u);
  EXPECT_TRUE(cursor.done());
}

TEST(BatchCursorTest, NextRequestRestartsAtTheBoundaryTimestamp) {
  std::vector<Row> rows = {{"a", 10, "x"}, {"a", 20, "y"}, {"a", 20, "z"}, {"a", 30, "w"}};
  FakeServer backward(rows);
  BatchCursor back({0, 100}, Direction::kBackward, 0, 2);
  back.Accept(backward.Answer(back.Next(), Direction::kBackward));  // 30, one of 20
  EXPECT_EQ(back.Next().range.start_ns, 0);
  EXPECT_EQ(back.Next().range.end_ns, 21);  // end is exclusive: 20 is asked for again
  FakeServer forward(rows);
  BatchCursor fwd({0, 100}, Direction::kForward, 0, 2);
  fwd.Accept(forward.Answer(fwd.Next(), Direction::kForward));  // 10, one of 20
  EXPECT_EQ(fwd.Next().range.start_ns, 20);
  EXPECT_EQ(fwd.Next().range.end_ns, 100);
}

TEST(BatchCursorTest, EmptyRangeIsDoneAtOnce) {
  BatchCursor cursor({5, 5}, Direction::kBackward, 0, 10);
  EXPECT_TRUE(cursor.done());
}

TEST(BatchCursorTest, ShortAnswerEndsTheQuery) {
  FakeServer server({{"a", 1, "only"}});
  BatchCursor cursor({0, 10}, Direction::kForward, 0, 10);
  EXPECT_EQ(cursor.Accept(server.Answer(cursor.Next(), Direction::kForward)).size(), 1u);
  EXPECT_TRUE(cursor.done());
}

TEST(BatchCursorTest, RandomDataSetsAreReadExactlyInBothDirections) {
  std::mt19937 random(42);
  for (int round = 0; round < 200; ++round) {
    std::vector<Row> rows;
    const int count = static_cast<int>(random() % 200);
    const int spread = 1 + static_cast<int>(random() % 20);
    for (int i = 0; i < count; ++i) {
      rows.push_back({std::to_string(random() % 3), static_cast<int64_t>(random() % spread),
                      "l" + std::to_string(random() % 5)});  // repeated lines on purpose
    }
    const int64_t batch = 1 + static_cast<int64_t>(random() % 12);
    for (Direction direction : {Direction::kBackward, Direction::kForward}) {
      FakeServer server(rows, /*flip_ties=*/round % 2 == 1);
      EXPECT_EQ(Sorted(ReadAll(&server, direction, 0, batch, {0, 1000})), Expected(rows, direction))
          << "round " << round << " batch " << batch;
    }
  }
}

TEST(BatchCursorTest, CanonicalLabelsEscapeValues) {
  EXPECT_EQ(CanonicalLabels({{"a", "x\"y\\z\nw"}, {"b", ""}}), "{a=\"x\\\"y\\\\z\\nw\", b=\"\"}");
  EXPECT_EQ(CanonicalLabels({}), "{}");
}

TEST(BatchCursorTest, FlattenSortsByTimeThenStream) {
  QueryResult result;
  result.streams.push_back(LogStream{{{"s", "b"}}, {{3, "b3", {}}, {1, "b1", {}}}});
  result.streams.push_back(LogStream{{{"s", "a"}}, {{3, "a3", {}}, {2, "a2", {}}}});
  std::vector<std::string> lines;
  for (const FlatEntry& e : FlattenStreams(result, Direction::kBackward))
    lines.push_back(e.entry.line);
  EXPECT_THAT(lines, ::testing::ElementsAre("a3", "b3", "a2", "b1"));
  lines.clear();
  for (const FlatEntry& e : FlattenStreams(result, Direction::kForward))
    lines.push_back(e.entry.line);
  EXPECT_THAT(lines, ::testing::ElementsAre("b1", "a2", "a3", "b3"));
}

}  // namespace
}  // namespace silt::cli
