#include "aggregator/index/postings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace silt::index {
namespace {

using labels::LabelSet;
using labels::Matcher;
using labels::MatchType;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct MatcherSpec {
  std::string name;
  std::string op;
  std::string value;
};

MatchType ParseOp(const std::string& op) {
  if (op == "=") return MatchType::kEqual;
  if (op == "!=") return MatchType::kNotEqual;
  if (op == "=~") return MatchType::kRegexMatch;
  EXPECT_EQ(op, "!~");
  return MatchType::kRegexNoMatch;
}

std::vector<Matcher> Matchers(const std::vector<MatcherSpec>& specs) {
  std::vector<Matcher> matchers;
  for (const MatcherSpec& spec : specs) {
    auto matcher = Matcher::Create(ParseOp(spec.op), spec.name, spec.value);
    EXPECT_TRUE(matcher.ok()) << matcher.status();
    matchers.push_back(*matcher);
  }
  return matchers;
}

// Six streams named a..f, the fixture of the table-driven tests.
class PostingsSemanticsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    streams_ = {
        {"a", LabelSet::Of({{"app", "api"}, {"env", "prod"}})},
        {"b", LabelSet::Of({{"app", "api"}, {"env", "dev"}, {"team", "core"}})},
        {"c", LabelSet::Of({{"app", "web"}, {"env", "prod"}, {"team", "edge"}})},
        {"d", LabelSet::Of({{"app", "web"}})},
        {"e", LabelSet::Of({{"app", "db"}, {"env", "staging"}, {"team", "core"}})},
        {"f", LabelSet::Of({{"job", "batch"}})},
    };
    for (const auto& [name, labels] : streams_) {
      ASSERT_TRUE(postings_.Add(labels.Fingerprint(), labels).ok());
    }
  }

  // The names of the selected streams, in name order.
  std::string SelectNames(const std::vector<MatcherSpec>& specs) {
    const std::vector<Matcher> matchers = Matchers(specs);
    auto selected = postings_.Select(matchers);
    if (!selected.ok()) return "error: " + selected.status().ToString();
    EXPECT_TRUE(std::is_sorted(selected->begin(), selected->end()));
    std::string names;
    for (const auto& [name, labels] : streams_) {
      if (std::binary_search(selected->begin(), selected->end(), labels.Fingerprint())) {
        names += name;
      }
    }
    return names;
  }

  std::map<std::string, LabelSet> streams_;
  Postings postings_;
};

struct SelectCase {
  std::vector<MatcherSpec> selector;
  std::string expected;  // names of the selected streams
};

TEST_F(PostingsSemanticsTest, SelectorsSelectTheRightStreams) {
  const std::vector<SelectCase> cases = {
      {{{"app", "=", "api"}}, "ab"},
      {{{"app", "=", "api"}, {"env", "=", "prod"}}, "a"},
      {{{"job", "=", "batch"}, {"app", "!=", "api"}}, "f"},
      {{{"app", "=~", "api|web"}}, "abcd"},
      {{{"app", "=~", "api|web"}, {"env", "!=", "prod"}}, "bd"},
      {{{"team", "=", ""}, {"app", "=~", ".+"}}, "ad"},
      {{{"team", "!=", ""}}, "bce"},
      {{{"team", "=~", "core|"}, {"app", "=~", ".+"}}, "abde"},
      {{{"team", "!~", "core"}, {"app", "=~", ".+"}}, "acd"},
      {{{"env", "=~", "pro.*"}}, "ac"},
      {{{"env", "=~", ".*od"}}, "ac"},
      {{{"env", "=~", "d.v"}}, "b"},
      {{{"env", "=~", "ro"}}, ""},
      {{{"env", "=~", ".*ro.*"}}, "ac"},
      {{{"nosuch", "=", "x"}}, ""},
      {{{"nosuch", "=~", ".+"}}, ""},
      {{{"nosuch", "=", ""}, {"app", "=", "api"}}, "ab"},
      {{{"nosuch", "!=", "x"}, {"app", "=", "web"}}, "cd"},
      {{{"env", "=~", "prod|"}, {"app", "=", "web"}}, "cd"},
      {{{"app", "=~", "API"}}, ""},
      {{{"app", "=~", "(?i)API"}}, "ab"},
      {{{"app", "=", "api"}, {"app", "=", "web"}}, ""},
      {{{"app", "=~", "a.*"}, {"app", "!~", "api"}}, ""},
      {{{"env", "!~", "prod|dev"}, {"app", "=~", ".+"}}, "de"},
      {{{"job", "=~", ".+"}}, "f"},
      {{{"app", "!~", ""}}, "abcde"},
      {{{"app", "=~", "api|nosuch"}}, "ab"},
      {{{"app", "=~", "db|api"}, {"team", "=", "core"}, {"env", "!=", "dev"}}, "e"},
  };
  for (const SelectCase& c : cases) {
    std::string selector;
    for (const MatcherSpec& m : c.selector) selector += m.name + m.op + "\"" + m.value + "\" ";
    EXPECT_EQ(SelectNames(c.selector), c.expected) << selector;
  }
}

TEST_F(PostingsSemanticsTest, SelectorMatchingEmptyEverywhereIsRejected) {
  const std::vector<std::vector<MatcherSpec>> invalid = {
      {},
      {{"app", "=~", ".*"}},
      {{"app", "!=", "api"}},
      {{"team", "=", ""}},
      {{"env", "=~", "prod|"}, {"team", "!~", "core"}},
  };
  for (const auto& selector : invalid) {
    const std::vector<Matcher> matchers = Matchers(selector);
    auto selected = postings_.Select(matchers);
    ASSERT_FALSE(selected.ok());
    EXPECT_EQ(selected.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(selected.status().message(),
                HasSubstr("at least one regexp or equality matcher that does not have an "
                          "empty-compatible value"));
  }
}

TEST_F(PostingsSemanticsTest, LabelNamesAndValuesAreSorted) {
  EXPECT_THAT(postings_.LabelNames(), ElementsAre("app", "env", "job", "team"));
  EXPECT_THAT(postings_.LabelValues("app"), ElementsAre("api", "db", "web"));
  EXPECT_THAT(postings_.LabelValues("nosuch"), ElementsAre());
  EXPECT_EQ(postings_.PostingList("app", "web").size(), 2u);
  EXPECT_TRUE(postings_.PostingList("app", "nosuch").empty());
}

TEST_F(PostingsSemanticsTest, AddingKnownStreamAgainChangesNothing) {
  const Postings before = postings_;
  ASSERT_TRUE(postings_.Add(streams_["a"].Fingerprint(), streams_["a"]).ok());
  EXPECT_TRUE(postings_ == before);
  EXPECT_EQ(postings_.size(), 6u);
}

TEST_F(PostingsSemanticsTest, FingerprintCollisionIsRejectedAndChangesNothing) {
  const Postings before = postings_;
  const std::vector<Postings::Stream> batch = {
      {1234, LabelSet::Of({{"new", "stream"}})},
      {streams_["a"].Fingerprint(), LabelSet::Of({{"other", "labels"}})},
  };
  Status status = postings_.Add(batch);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("already used by {app=\"api\", env=\"prod\"}"));
  EXPECT_TRUE(postings_ == before);
}

TEST(PostingsTest, SameFingerprintTwiceInOneBatchWithDifferentLabelsIsRejected) {
  Postings postings;
  const std::vector<Postings::Stream> batch = {{7, LabelSet::Of({{"a", "1"}})},
                                               {7, LabelSet::Of({{"a", "2"}})}};
  EXPECT_EQ(postings.Add(batch).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(postings.empty());
}

TEST(PostingsTest, StreamWithoutLabelsIsRejected) {
  Postings postings;
  EXPECT_EQ(postings.Add(1, LabelSet()).code(), StatusCode::kInvalidArgument);
}

TEST_F(PostingsSemanticsTest, RemoveDropsEmptyValuesAndNames) {
  const uint64_t removed[] = {streams_["f"].Fingerprint(), streams_["e"].Fingerprint(), 99};
  EXPECT_EQ(postings_.Remove(removed), 2u);
  EXPECT_THAT(postings_.LabelNames(), ElementsAre("app", "env", "team"));
  EXPECT_THAT(postings_.LabelValues("app"), ElementsAre("api", "web"));
  EXPECT_THAT(postings_.LabelValues("env"), ElementsAre("dev", "prod"));
  EXPECT_EQ(postings_.Find(streams_["e"].Fingerprint()), nullptr);
  EXPECT_EQ(SelectNames({{"team", "=", "core"}}), "b");
  EXPECT_EQ(postings_.size(), 4u);
}

TEST_F(PostingsSemanticsTest, FromListsRebuildsTheSamePostings) {
  std::vector<Postings::Stream> streams;
  for (uint64_t fingerprint : postings_.fingerprints()) {
    streams.push_back({fingerprint, *postings_.Find(fingerprint)});
  }
  std::vector<Postings::List> lists;
  postings_.ForEachList(
      [&](std::string_view name, std::string_view value, std::span<const uint64_t> fingerprints) {
        lists.push_back(
            {std::string(name), std::string(value), {fingerprints.begin(), fingerprints.end()}});
      });
  auto rebuilt = Postings::FromLists(streams, lists);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  EXPECT_TRUE(*rebuilt == postings_);

  auto missing = lists;
  missing.pop_back();
  EXPECT_EQ(Postings::FromLists(streams, missing).status().code(), StatusCode::kInvalidArgument);
  auto wrong = lists;
  std::swap(wrong[0].fingerprints, wrong[1].fingerprints);
  EXPECT_EQ(Postings::FromLists(streams, wrong).status().code(), StatusCode::kInvalidArgument);
  auto unordered = lists;
  std::swap(unordered[0], unordered[1]);
  EXPECT_EQ(Postings::FromLists(streams, unordered).status().code(), StatusCode::kInvalidArgument);
  auto unsorted_streams = streams;
  std::swap(unsorted_streams[0], unsorted_streams[1]);
  EXPECT_EQ(Postings::FromLists(unsorted_streams, lists).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(PostingsTest, BatchAndOneByOneAddsAreEqual) {
  std::mt19937_64 rng(11);
  std::vector<Postings::Stream> streams;
  for (int i = 0; i < 500; ++i) {
    LabelSet labels = LabelSet::Of({{"app", "app" + std::to_string(rng() % 7)},
                                    {"id", std::to_string(i)},
                                    {"zone", rng() % 2 ? "a" : ""}});
    streams.push_back({labels.Fingerprint(), labels});
  }
  Postings batch, single;
  ASSERT_TRUE(batch.Add(streams).ok());
  for (const auto& stream : streams)
    ASSERT_TRUE(single.Add(stream.fingerprint, stream.labels).ok());
  EXPECT_TRUE(batch == single);
  EXPECT_TRUE(std::is_sorted(batch.fingerprints().begin(), batch.fingerprints().end()));
  EXPECT_EQ(batch.size(), 500u);
}

// The model: a plain list of streams, selected by checking every matcher on every stream.
class PostingsModelTest : public ::testing::Test {
 protected:
  LabelSet RandomLabels(std::mt19937_64& rng, int id) {
    static const char* const kValues[] = {"x", "y", "z", "xy", "yz", "x.y", "a|b", "\xff", "X"};
    labels::LabelSetBuilder builder;
    for (const char* name : {"a", "b", "c", "d"}) {
      if (rng() % 10 < 6) builder.Set(name, kValues[rng() % std::size(kValues)]);
    }
    if (rng() % 2) builder.Set("id", std::to_string(id));
    return builder.Build();
  }

  std::vector<Matcher> RandomSelector(std::mt19937_64& rng) {
    static const char* const kNames[] = {"a", "b", "c", "d", "id", "e"};
    static const char* const kValues[] = {
        "x",   "y",     "xy",    "",       ".*",    ".+",   "x.*", ".*y", "x|y",  "x|",
        "|z",  "a|b",   "a\\|b", "x.y",    "[xy]+", "\xff", ".",   "1.*", ".*7",  "(x|yz)?",
        "X|x", "(?i)x", "1|2|3", "x|y|zz", "z",     "q",    "1",   "..",  ".*.*", "y|"};
    std::vector<Matcher> matchers;
    const int count = 1 + static_cast<int>(rng() % 4);
    while (static_cast<int>(matchers.size()) < count) {
      // One rng() call per statement, so every compiler generates the same selectors.
      const auto type = static_cast<MatchType>(rng() % 4);
      const char* name = kNames[rng() % std::size(kNames)];
      const char* value = kValues[rng() % std::size(kValues)];
      auto matcher = Matcher::Create(type, name, value);
      if (matcher.ok()) matchers.push_back(*matcher);
    }
    return matchers;
  }

  // Checks every selector against the model; returns how many selected something.
  int CheckSelectors(std::mt19937_64& rng, const Postings& postings,
                     const std::map<uint64_t, LabelSet>& model, int selectors) {
    int non_empty = 0;
    for (int i = 0; i < selectors; ++i) {
      const std::vector<Matcher> matchers = RandomSelector(rng);
      const bool valid = std::any_of(matchers.begin(), matchers.end(),
                                     [](const Matcher& m) { return !m.MatchesEmpty(); });
      std::vector<uint64_t> expected;
      for (const auto& [fingerprint, labels] : model) {
        if (labels::MatchesAll(matchers, labels)) expected.push_back(fingerprint);
      }
      std::string selector;
      for (const Matcher& m : matchers) selector += m.ToString() + " ";
      auto selected = postings.Select(matchers);
      if (!valid) {
        EXPECT_EQ(selected.status().code(), StatusCode::kInvalidArgument) << selector;
        continue;
      }
      EXPECT_TRUE(selected.ok()) << selector << selected.status();
      if (!selected.ok()) continue;
      EXPECT_EQ(*selected, expected) << selector;
      non_empty += expected.empty() ? 0 : 1;
    }
    return non_empty;
  }
};

TEST_F(PostingsModelTest, RandomSelectorsAgreeWithBruteForce) {
  std::mt19937_64 rng(2024);
  int non_empty = 0;
  for (int size : {0, 1, 5, 40, 300, 3000}) {
    Postings postings;
    std::map<uint64_t, LabelSet> model;
    std::vector<Postings::Stream> streams;
    for (int i = 0; i < size; ++i) {
      LabelSet labels = RandomLabels(rng, i);
      if (labels.empty()) continue;
      streams.push_back({labels.Fingerprint(), labels});
      model.emplace(labels.Fingerprint(), labels);
    }
    ASSERT_TRUE(postings.Add(streams).ok());
    ASSERT_EQ(postings.size(), model.size());
    non_empty += CheckSelectors(rng, postings, model, 300);

    // Remove about half and check again.
    std::vector<uint64_t> removed;
    for (auto it = model.begin(); it != model.end();) {
      if (rng() % 2) {
        removed.push_back(it->first);
        it = model.erase(it);
      } else {
        ++it;
      }
    }
    EXPECT_EQ(postings.Remove(removed), removed.size());
    non_empty += CheckSelectors(rng, postings, model, 300);
  }
  EXPECT_GT(non_empty, 300);  // the random selectors are not trivially empty
}

}  // namespace
}  // namespace silt::index
