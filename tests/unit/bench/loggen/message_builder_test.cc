#include "tests/bench/loggen/message_builder.h"

#include <gtest/gtest.h>

#include <string>

namespace silt::loggen {
namespace {

std::string Message(MessageBuilder& builder, Rng& rng, std::string_view text, int64_t budget,
                    std::string_view rare = {}) {
  TextBuffer out;
  out.Append("<>");
  builder.InsertMessage(rng, text, budget, rare, 1, &out);
  const std::string_view view = out.view();
  EXPECT_EQ(view.front(), '<');
  EXPECT_EQ(view.back(), '>');
  return std::string(view.substr(1, view.size() - 2));
}

TEST(MessageBuilderTest, NaturalBudgetKeepsTemplate) {
  MessageBuilder builder;
  Rng rng(1);
  EXPECT_EQ(Message(builder, rng, "health check passed", MessageBuilder::kNatural),
            "health check passed");
}

TEST(MessageBuilderTest, PadsWithWholeWordsUpToBudget) {
  MessageBuilder builder;
  Rng rng(2);
  for (int budget : {25, 40, 80, 200}) {
    const std::string message = Message(builder, rng, "health check passed", budget);
    EXPECT_LE(static_cast<int>(message.size()), budget);
    EXPECT_GT(static_cast<int>(message.size()), budget - 11) << message;  // longest word + 1
    EXPECT_EQ(message.rfind("health check passed", 0), 0u);
    EXPECT_NE(message.back(), ' ');
  }
}

TEST(MessageBuilderTest, CutsAtWordBoundaryWhenOverBudget) {
  MessageBuilder builder;
  Rng rng(3);
  EXPECT_EQ(Message(builder, rng, "health check passed", 14), "health check");
  EXPECT_EQ(Message(builder, rng, "health check passed", 12), "health check");
  EXPECT_EQ(Message(builder, rng, "health check passed", 11), "health");
}

TEST(MessageBuilderTest, KeepsFirstWordWhateverTheBudget) {
  MessageBuilder builder;
  Rng rng(4);
  EXPECT_EQ(Message(builder, rng, "health check passed", 0), "health");
  EXPECT_EQ(Message(builder, rng, "health check passed", -30), "health");
}

TEST(MessageBuilderTest, RareTokenSurvivesCut) {
  MessageBuilder builder;
  Rng rng(5);
  EXPECT_EQ(Message(builder, rng, "health check passed", 5, "needle"), "health needle");
  EXPECT_EQ(Message(builder, rng, "health check passed", MessageBuilder::kNatural, "needle"),
            "health check passed needle");
}

TEST(MessageBuilderTest, QueryStartsWithQuestionMarkOrAmpersand) {
  MessageBuilder builder;
  Rng rng(6);
  TextBuffer out;
  out.Append("/p");
  builder.InsertQuery(rng, false, 40, {}, 2, &out);
  EXPECT_EQ(out.view().substr(0, 3), "/p?");
  EXPECT_LE(out.size(), 42u);
  out.Clear();
  out.Append("/p?a=1");
  builder.InsertQuery(rng, true, 40, "needle", 6, &out);
  EXPECT_EQ(out.view().substr(0, 15), "/p?a=1&q=needle");
}

TEST(MessageBuilderTest, NaturalQueryIsEmptyWithoutRareToken) {
  MessageBuilder builder;
  Rng rng(7);
  TextBuffer out;
  out.Append("/p");
  builder.InsertQuery(rng, false, MessageBuilder::kNatural, {}, 2, &out);
  EXPECT_EQ(out.view(), "/p");
}

TEST(MessageBuilderTest, LevelsAreSkewedToInfo) {
  Rng rng(8);
  int counts[4] = {};
  for (int i = 0; i < 10'000; ++i) ++counts[static_cast<int>(PickLevel(rng))];
  EXPECT_GT(counts[static_cast<int>(Level::kInfo)], 7'500);
  EXPECT_GT(counts[static_cast<int>(Level::kError)], 300);
  EXPECT_LT(counts[static_cast<int>(Level::kError)], 700);
  EXPECT_GT(counts[static_cast<int>(Level::kDebug)], 0);
  EXPECT_GT(counts[static_cast<int>(Level::kWarn)], 0);
}

}  // namespace
}  // namespace silt::loggen
