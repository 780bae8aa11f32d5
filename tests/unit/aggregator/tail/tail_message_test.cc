#include "aggregator/tail/tail_message.h"

#include <gtest/gtest.h>

namespace silt::tail {
namespace {

TEST(TailMessageTest, EntriesAreGroupedByStreamInFirstAppearanceOrder) {
  const labels::LabelSet api = labels::LabelSet::Of({{"job", "api"}});
  const labels::LabelSet db = labels::LabelSet::Of({{"job", "db"}});
  std::vector<TailEntry> entries = {{db, 1, "d1"}, {api, 2, "a1"}, {db, 3, "d\"2"}};
  EXPECT_EQ(
      EncodeTailMessage(entries, {}),
      "{\"streams\":[{\"stream\":{\"job\":\"db\"},\"values\":[[\"1\",\"d1\"],[\"3\",\"d\\\"2\"]]},"
      "{\"stream\":{\"job\":\"api\"},\"values\":[[\"2\",\"a1\"]]}]}");
}

TEST(TailMessageTest, DroppedEntriesAreListed) {
  const labels::LabelSet api = labels::LabelSet::Of({{"job", "api"}});
  std::vector<TailDrop> drops = {{api, 42}};
  EXPECT_EQ(EncodeTailMessage({}, drops),
            "{\"streams\":[],\"dropped_entries\":[{\"labels\":{\"job\":\"api\"},"
            "\"timestamp\":\"42\"}]}");
}

TEST(TailMessageTest, InvalidUtf8IsReplacedSoTheFrameIsValidText) {
  const labels::LabelSet api = labels::LabelSet::Of({{"job", "api"}});
  std::vector<TailEntry> entries = {{api, 1, "bad \xC3"}};
  const std::string message = EncodeTailMessage(entries, {});
  EXPECT_NE(message.find("bad \\ufffd"), std::string::npos) << message;
}

}  // namespace
}  // namespace silt::tail
