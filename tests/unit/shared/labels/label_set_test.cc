#include "shared/labels/label_set.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "shared/hash/xxh3.h"

namespace silt::labels {
namespace {

std::vector<LabelView> Collect(const LabelSet& labels) {
  return std::vector<LabelView>(labels.begin(), labels.end());
}

TEST(LabelSetTest, EmptySetPrintsBracesAndAllocatesNothing) {
  LabelSet empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_EQ(empty.begin(), empty.end());
  EXPECT_EQ(empty.ToString(), "{}");
  EXPECT_EQ(empty.MemoryBytes(), 0u);
  EXPECT_EQ(empty, LabelSetBuilder().Build());
}

TEST(LabelSetTest, SizeOfALabelSetIsOnePointer) { EXPECT_EQ(sizeof(LabelSet), sizeof(void*)); }

TEST(LabelSetTest, BuilderSortsByName) {
  LabelSet labels = LabelSetBuilder().Set("job", "api").Set("env", "prod").Set("app", "x").Build();
  EXPECT_EQ(labels.size(), 3u);
  EXPECT_EQ(Collect(labels),
            (std::vector<LabelView>{{"app", "x"}, {"env", "prod"}, {"job", "api"}}));
}

TEST(LabelSetTest, NamesSortByBytesNotByLocale) {
  LabelSet labels = LabelSet::Of({{"b", "1"}, {"_", "2"}, {"B", "3"}, {"a", "4"}, {"é", "5"}});
  std::vector<std::string_view> names;
  for (const LabelView label : labels) names.push_back(label.name);
  EXPECT_EQ(names, (std::vector<std::string_view>{"B", "_", "a", "b", "é"}));
}

TEST(LabelSetTest, BuilderLastSetWins) {
  LabelSet labels = LabelSetBuilder().Set("job", "a").Set("env", "x").Set("job", "b").Build();
  EXPECT_EQ(labels.ToString(), R"({env="x", job="b"})");
}

TEST(LabelSetTest, BuilderEmptyValueRemovesTheLabel) {
  LabelSet labels = LabelSetBuilder().Set("job", "a").Set("env", "x").Set("job", "").Build();
  EXPECT_EQ(labels.ToString(), R"({env="x"})");
  EXPECT_EQ(LabelSetBuilder().Set("only", "").Build(), LabelSet());
}

TEST(LabelSetTest, BuilderDelRemovesAndLaterSetRestores) {
  LabelSetBuilder builder;
  builder.Set("job", "a").Set("env", "x").Del("job");
  EXPECT_EQ(builder.Build().ToString(), R"({env="x"})");
  builder.Set("job", "c");
  EXPECT_EQ(builder.Build().ToString(), R"({env="x", job="c"})");
  builder.Del("missing");
  EXPECT_EQ(builder.Build().ToString(), R"({env="x", job="c"})");
}

TEST(LabelSetTest, BuilderStartsFromABaseSet) {
  LabelSet base = LabelSet::Of({{"job", "api"}, {"env", "prod"}});
  LabelSet derived = LabelSetBuilder(base).Del("env").Set("host", "h1").Build();
  EXPECT_EQ(derived.ToString(), R"({host="h1", job="api"})");
  EXPECT_EQ(base.ToString(), R"({env="prod", job="api"})");
}

TEST(LabelSetTest, BuilderGetShowsWhatBuildWouldProduce) {
  LabelSetBuilder builder(LabelSet::Of({{"job", "api"}}));
  EXPECT_EQ(builder.Get("job"), "api");
  builder.Set("job", "web");
  EXPECT_EQ(builder.Get("job"), "web");
  builder.Del("job");
  EXPECT_EQ(builder.Get("job"), std::nullopt);
  EXPECT_EQ(builder.Get("never"), std::nullopt);
}

TEST(LabelSetTest, BuilderCanBuildRepeatedlyAndReset) {
  LabelSetBuilder builder;
  builder.Set("a", "1");
  EXPECT_EQ(builder.Build(), builder.Build());
  builder.Reset();
  EXPECT_TRUE(builder.Build().empty());
}

TEST(LabelSetTest, GetFindsPresentNamesOnly) {
  LabelSet labels = LabelSet::Of({{"b", "2"}, {"d", "4"}, {"f", "6"}});
  EXPECT_EQ(labels.Get("b"), "2");
  EXPECT_EQ(labels.Get("d"), "4");
  EXPECT_EQ(labels.Get("f"), "6");
  for (std::string_view absent : {"a", "c", "e", "g", "", "bb", "B"}) {
    EXPECT_EQ(labels.Get(absent), std::nullopt) << absent;
    EXPECT_FALSE(labels.Has(absent)) << absent;
  }
  EXPECT_TRUE(labels.Has("d"));
}

TEST(LabelSetTest, CanonicalFormIsPinned) {
  struct Case {
    LabelSet labels;
    std::string text;
  };
  const Case cases[] = {
      {LabelSet(), "{}"},
      {LabelSet::Of({{"a", "x"}}), R"({a="x"})"},
      {LabelSet::Of({{"b", "y"}, {"a", "x"}}), R"({a="x", b="y"})"},
      {LabelSet::Of({{"q", "say \"hi\""}}), R"({q="say \"hi\""})"},
      {LabelSet::Of({{"path", R"(C:\dir)"}}), R"({path="C:\\dir"})"},
      {LabelSet::Of({{"msg", "a\nb"}}), R"({msg="a\nb"})"},
      {LabelSet::Of({{"t", "a\tb\rc"}}), "{t=\"a\tb\rc\"}"},  // only \\ \" \n are escaped
      {LabelSet::Of({{"u", "日本 🙂"}}), "{u=\"日本 🙂\"}"},
      {LabelSet::Of({{"raw", "bad\xFF"}}), "{raw=\"bad\xFF\"}"},
      {LabelSet::Of({{"__name__", "up"}}), R"({__name__="up"})"},
      {LabelSet::Of({{"a.b", "x"}, {"1st", "y"}}), R"({"1st"="y", "a.b"="x"})"},
      {LabelSet::Of({{"n\"", "v"}}), R"({"n\""="v"})"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.labels.ToString(), c.text);
    std::string appended = ">";
    c.labels.AppendString(&appended);
    EXPECT_EQ(appended, ">" + c.text);
  }
}

TEST(LabelSetTest, FingerprintIsXxh3OfTheCanonicalForm) {
  LabelSet labels = LabelSet::Of({{"job", "api"}, {"msg", "a\"b\\c\nd"}});
  EXPECT_EQ(labels.Fingerprint(), hash::Xxh3(labels.ToString()));
}

TEST(LabelSetTest, FingerprintIsPinned) {
  // Values computed once with libxxhash's XXH3_64bits over the canonical text. A change here
  // breaks every stored chunk and index: never update these numbers.
  EXPECT_EQ(LabelSet().Fingerprint(), 0x1349cde127705c16u);
  EXPECT_EQ(LabelSet::Of({{"a", "x"}, {"b", "y"}}).Fingerprint(), 0xceffc98c4b45a373u);
  EXPECT_EQ(LabelSet::Of({{"job", "api"}, {"msg", "a\"b\\c\nd"}}).Fingerprint(),
            0x290de9eeed5eef18u);
  EXPECT_EQ(LabelSet::Of({{"host", "web-1"}, {"env", "prod"}, {"app", "silt"}}).Fingerprint(),
            0x44911ab80b9dfca1u);
}

TEST(LabelSetTest, FingerprintChangesWhenAnyNameOrValueChanges) {
  const LabelSet base = LabelSet::Of({{"a", "x"}, {"b", "y"}});
  const LabelSet variants[] = {
      LabelSet::Of({{"a", "x"}}),
      LabelSet::Of({{"a", "x"}, {"b", "z"}}),
      LabelSet::Of({{"a", "x"}, {"c", "y"}}),
      LabelSet::Of({{"a", "x"}, {"b", "y"}, {"c", "z"}}),
      LabelSet::Of({{"a", "x, b=\"y"}}),  // would collide without escaping
  };
  for (const LabelSet& other : variants) {
    EXPECT_NE(other.Fingerprint(), base.Fingerprint()) << other;
    EXPECT_NE(other, base);
  }
}

TEST(LabelSetTest, CopiesShareOneBuffer) {
  LabelSet original = LabelSet::Of({{"job", "api"}, {"env", "prod"}});
  std::string_view value;
  {
    LabelSet copy = original;
    EXPECT_EQ(copy, original);
    EXPECT_EQ(copy.Get("job")->data(), original.Get("job")->data());
    value = *copy.Get("env");
  }
  LabelSet moved = std::move(original);
  EXPECT_EQ(value, "prod");  // the buffer is shared, so views survive copies and moves
  EXPECT_EQ(moved.Get("env")->data(), value.data());
  EXPECT_EQ(moved.MemoryBytes(), LabelSet::Of({{"job", "api"}, {"env", "prod"}}).MemoryBytes());
}

TEST(LabelSetTest, AssignmentReplacesAndReleases) {
  LabelSet a = LabelSet::Of({{"a", "1"}});
  LabelSet b = LabelSet::Of({{"b", "2"}});
  a = b;
  EXPECT_EQ(a, b);
  LabelSet& alias = a;
  a = alias;  // self-assignment keeps the value
  EXPECT_EQ(a.ToString(), R"({b="2"})");
  a = LabelSet();
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(b.ToString(), R"({b="2"})");
}

TEST(LabelSetTest, AssigningACopyOfItselfKeepsTheSharedBuffer) {
  const LabelSet stream = LabelSet::Of({{"job", "api"}});
  LabelSet entry = stream;
  const char* before = entry.Get("job")->data();
  for (int i = 0; i < 3; ++i) entry = stream;  // as a pipeline sets each entry's labels
  EXPECT_EQ(entry.Get("job")->data(), before);
  EXPECT_EQ(entry, stream);
  entry = LabelSet::Of({{"job", "other"}});
  EXPECT_EQ(*stream.Get("job"), "api");  // the shared buffer outlived the reassignment
  EXPECT_EQ(*entry.Get("job"), "other");
}

TEST(LabelSetTest, EqualityComparesContent) {
  EXPECT_EQ(LabelSet::Of({{"a", "1"}, {"b", "2"}}), LabelSet::Of({{"b", "2"}, {"a", "1"}}));
  EXPECT_NE(LabelSet::Of({{"a", "1"}}), LabelSet::Of({{"a", "2"}}));
  EXPECT_NE(LabelSet::Of({{"a", "1"}}), LabelSet::Of({{"b", "1"}}));
  EXPECT_NE(LabelSet::Of({{"a", "1"}}), LabelSet());
}

TEST(LabelSetTest, OrderingComparesLabelByLabel) {
  // Each set sorts strictly before the next.
  const LabelSet ordered[] = {
      LabelSet(),
      LabelSet::Of({{"a", "1"}}),
      LabelSet::Of({{"a", "1"}, {"b", "1"}}),  // a prefix sorts first
      LabelSet::Of({{"a", "2"}}),
      LabelSet::Of({{"a", "2"}, {"c", "1"}}),
      LabelSet::Of({{"b", "0"}}),
  };
  for (size_t i = 0; i + 1 < std::size(ordered); ++i) {
    EXPECT_LT(ordered[i], ordered[i + 1]) << ordered[i] << " vs " << ordered[i + 1];
    EXPECT_GT(ordered[i + 1], ordered[i]);
  }
  std::set<LabelSet> sorted(std::rbegin(ordered), std::rend(ordered));
  EXPECT_TRUE(std::equal(sorted.begin(), sorted.end(), std::begin(ordered)));
  EXPECT_EQ(LabelSet::Of({{"a", "1"}}) <=> LabelSet::Of({{"a", "1"}}), std::strong_ordering::equal);
}

TEST(LabelSetTest, HashWorksInUnorderedContainers) {
  std::unordered_set<LabelSet> set;
  set.insert(LabelSet::Of({{"a", "1"}, {"b", "2"}}));
  set.insert(LabelSet::Of({{"b", "2"}, {"a", "1"}}));
  set.insert(LabelSet::Of({{"a", "1"}}));
  set.insert(LabelSet());
  EXPECT_EQ(set.size(), 3u);
  EXPECT_EQ(LabelSet::Of({{"x", "y"}}).Hash(), LabelSet::Of({{"x", "y"}}).Hash());
}

TEST(LabelSetTest, FromSortedAcceptsSortedUniqueNames) {
  const std::vector<Label> labels = {{"app", "x"}, {"env", ""}, {"job", "api"}};
  Result<LabelSet> set = LabelSet::FromSorted(labels);
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->ToString(), R"({app="x", job="api"})");  // empty value dropped
  const std::vector<LabelView> views = {{"a", "1"}, {"b", "2"}};
  EXPECT_EQ(LabelSet::FromSorted(views).value(), LabelSet::Of({{"a", "1"}, {"b", "2"}}));
}

TEST(LabelSetTest, FromSortedRejectsUnsortedNames) {
  const std::vector<LabelView> labels = {{"a", "1"}, {"c", "2"}, {"b", "3"}};
  Result<LabelSet> set = LabelSet::FromSorted(labels);
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(set.status().message(),
            "label 2: name \"b\" sorts before the previous name \"c\"; labels must be sorted by "
            "name with no duplicates");
}

TEST(LabelSetTest, FromSortedRejectsDuplicateNames) {
  const std::vector<Label> labels = {{"a", "1"}, {"a", "2"}};
  Result<LabelSet> set = LabelSet::FromSorted(labels);
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().message(),
            "label 1: name \"a\" appears twice; labels must be sorted by name with no duplicates");
}

TEST(LabelSetTest, LongNamesAndValuesKeepTheirBytes) {
  const std::string long_name(200, 'n');
  const std::string long_value(70000, 'v');  // needs a 3-byte length prefix
  std::string binary;
  for (int b = 0; b < 256; ++b) binary.push_back(static_cast<char>(b));
  LabelSet labels =
      LabelSet::Of({{long_name, "short"}, {"big", long_value}, {"bin", binary}, {"z", "1"}});
  EXPECT_EQ(labels.size(), 4u);
  EXPECT_EQ(labels.Get(long_name), "short");
  EXPECT_EQ(labels.Get("big"), long_value);
  EXPECT_EQ(labels.Get("bin"), binary);
  EXPECT_EQ(labels.Get("z"), "1");
  EXPECT_GE(labels.MemoryBytes(), long_value.size() + long_name.size() + 256);
}

TEST(LabelSetTest, IteratorSupportsAlgorithms) {
  LabelSet labels = LabelSet::Of({{"a", "1"}, {"b", "2"}, {"c", "3"}});
  auto it = std::find_if(labels.begin(), labels.end(),
                         [](LabelView label) { return label.value == "2"; });
  ASSERT_NE(it, labels.end());
  EXPECT_EQ(it->name, "b");
  LabelSet::Iterator before = it++;
  EXPECT_EQ(before->name, "b");
  EXPECT_EQ(it->name, "c");
  EXPECT_EQ(std::distance(labels.begin(), labels.end()), 3);
}

TEST(LabelSetTest, StreamOperatorPrintsTheCanonicalForm) {
  std::ostringstream out;
  out << LabelSet::Of({{"job", "api"}});
  EXPECT_EQ(out.str(), R"({job="api"})");
}

TEST(LabelSetTest, CopiesOnManyThreadsShareSafely) {
  const LabelSet shared = LabelSet::Of({{"job", "api"}, {"env", "prod"}});
  std::vector<std::thread> threads;
  std::vector<int> matches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&shared, &matches, t] {
      for (int i = 0; i < 10000; ++i) {
        LabelSet copy = shared;
        LabelSet moved = std::move(copy);
        if (moved.Get("env") == "prod") ++matches[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(matches, std::vector<int>(4, 10000));
  EXPECT_EQ(shared.ToString(), R"({env="prod", job="api"})");
}

}  // namespace
}  // namespace silt::labels
