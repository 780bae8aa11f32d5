#include "shared/labels/matcher.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <random>
#include <string>
#include <thread>
#include <vector>

#include "shared/labels/utf8.h"

namespace silt::labels {
namespace {

Matcher Make(MatchType type, std::string name, std::string value) {
  Result<Matcher> matcher = Matcher::Create(type, std::move(name), std::move(value));
  EXPECT_TRUE(matcher.ok()) << matcher.status();
  return std::move(matcher).value();
}

Matcher Re(std::string pattern) { return Make(MatchType::kRegexMatch, "l", std::move(pattern)); }

TEST(MatcherTest, SemanticsTable) {
  struct Case {
    MatchType type;
    std::string value;
    std::string input;
    bool matches;
  };
  const Case cases[] = {
      {MatchType::kEqual, "api", "api", true},
      {MatchType::kEqual, "api", "API", false},
      {MatchType::kEqual, "api", "api2", false},
      {MatchType::kEqual, "a.b", "axb", false},  // = is not a regex
      {MatchType::kEqual, "", "", true},
      {MatchType::kNotEqual, "api", "api", false},
      {MatchType::kNotEqual, "api", "web", true},
      {MatchType::kNotEqual, "", "x", true},
      {MatchType::kRegexMatch, "a.b", "axb", true},
      {MatchType::kRegexMatch, "api|web", "web", true},
      {MatchType::kRegexMatch, "api|web", "db", false},
      {MatchType::kRegexMatch, "(?i)api", "API", true},
      {MatchType::kRegexMatch, "[0-9]+", "123", true},
      {MatchType::kRegexMatch, "[0-9]+", "12a", false},
      {MatchType::kRegexMatch, "", "", true},
      {MatchType::kRegexMatch, "", "x", false},
      {MatchType::kRegexNoMatch, "api|web", "web", false},
      {MatchType::kRegexNoMatch, "api|web", "db", true},
      {MatchType::kRegexNoMatch, ".*", "anything", false},
      {MatchType::kRegexNoMatch, "x.*", "y", true},
  };
  for (const Case& c : cases) {
    Matcher matcher = Make(c.type, "l", c.value);
    EXPECT_EQ(matcher.Matches(c.input), c.matches) << matcher.ToString() << " on " << c.input;
  }
}

TEST(MatcherTest, RegexIsAnchoredAtBothEnds) {
  Matcher foo = Re("foo");
  EXPECT_TRUE(foo.Matches("foo"));
  EXPECT_FALSE(foo.Matches("foobar"));
  EXPECT_FALSE(foo.Matches("xfoo"));
  Matcher slow = Re("fo[o]");
  EXPECT_FALSE(slow.Matches("foobar"));
  EXPECT_FALSE(slow.Matches("xfoo"));
  // Alternation binds inside the anchors: not ^a|b$.
  Matcher alt = Re("a|b[c]");
  EXPECT_FALSE(alt.Matches("ax"));
  EXPECT_FALSE(alt.Matches("xbc"));
  EXPECT_TRUE(alt.Matches("bc"));
  // Explicit anchors are redundant but harmless.
  EXPECT_TRUE(Re("^foo$").Matches("foo"));
}

TEST(MatcherTest, DotMatchesNewline) {
  EXPECT_TRUE(Re("a.b").Matches("a\nb"));
  EXPECT_TRUE(Re(".*").Matches("line1\nline2"));
  EXPECT_TRUE(Re("line1.*").Matches("line1\nline2"));
  EXPECT_TRUE(Re("l[i]ne1.*").Matches("line1\nline2"));
  EXPECT_FALSE(Re("(?-s:a.b)").Matches("a\nb"));  // unless the pattern turns it off
  EXPECT_FALSE(Re("x$").Matches("x\n"));          // $ is the end of the value, not of a line
}

TEST(MatcherTest, NewlineInEqualityValue) {
  EXPECT_TRUE(Make(MatchType::kEqual, "m", "a\nb").Matches("a\nb"));
  EXPECT_FALSE(Make(MatchType::kEqual, "m", "a\nb").Matches("a b"));
}

TEST(MatcherTest, MatchesEmptyTellsWhetherAbsentLabelsMatch) {
  struct Case {
    MatchType type;
    std::string value;
    bool matches_empty;
  };
  const Case cases[] = {
      {MatchType::kEqual, "", true},       {MatchType::kEqual, "x", false},
      {MatchType::kNotEqual, "", false},   {MatchType::kNotEqual, "x", true},
      {MatchType::kRegexMatch, ".*", true}, {MatchType::kRegexMatch, ".+", false},
      {MatchType::kRegexMatch, "a|", true}, {MatchType::kRegexMatch, "a?", true},
      {MatchType::kRegexMatch, "a", false}, {MatchType::kRegexNoMatch, ".*", false},
      {MatchType::kRegexNoMatch, ".+", true}, {MatchType::kRegexNoMatch, "a", true},
  };
  for (const Case& c : cases) {
    Matcher matcher = Make(c.type, "l", c.value);
    EXPECT_EQ(matcher.MatchesEmpty(), c.matches_empty) << matcher.ToString();
    EXPECT_EQ(matcher.Matches(""), c.matches_empty) << matcher.ToString();
  }
}

TEST(MatcherTest, MissingLabelMatchesAsEmptyString) {
  const LabelSet labels = LabelSet::Of({{"job", "api"}});
  EXPECT_TRUE(MatchesAll(std::vector<Matcher>{Make(MatchType::kEqual, "env", "")}, labels));
  EXPECT_FALSE(MatchesAll(std::vector<Matcher>{Make(MatchType::kNotEqual, "env", "")}, labels));
  EXPECT_TRUE(MatchesAll(std::vector<Matcher>{Make(MatchType::kRegexMatch, "env", ".*")}, labels));
  EXPECT_FALSE(MatchesAll(std::vector<Matcher>{Make(MatchType::kRegexMatch, "env", ".+")}, labels));
  EXPECT_TRUE(MatchesAll(std::vector<Matcher>{Make(MatchType::kRegexNoMatch, "env", "prod")}, labels));
  EXPECT_TRUE(MatchesAll(std::vector<Matcher>{Make(MatchType::kRegexMatch, "env", "prod|")}, labels));
}

TEST(MatcherTest, MatchesAllNeedsEveryMatcher) {
  const LabelSet labels = LabelSet::Of({{"job", "api"}, {"env", "prod"}});
  const std::vector<Matcher> both = {Make(MatchType::kEqual, "job", "api"),
                                     Make(MatchType::kRegexMatch, "env", "prod|dev")};
  EXPECT_TRUE(MatchesAll(both, labels));
  const std::vector<Matcher> one_fails = {Make(MatchType::kEqual, "job", "api"),
                                          Make(MatchType::kNotEqual, "env", "prod")};
  EXPECT_FALSE(MatchesAll(one_fails, labels));
  EXPECT_TRUE(MatchesAll({}, labels));
  EXPECT_TRUE(MatchesAll({}, LabelSet()));
}

TEST(MatcherTest, InvalidRegexIsInvalidArgumentWithRe2sReason) {
  Result<Matcher> matcher = Matcher::Create(MatchType::kRegexMatch, "job", "a(b");
  ASSERT_FALSE(matcher.ok());
  EXPECT_EQ(matcher.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(matcher.status().message(),
            "invalid regular expression \"a(b\" in job=~\"a(b\": missing ): a(b");
  Result<Matcher> negative = Matcher::Create(MatchType::kRegexNoMatch, "job", "[z-a]");
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.status().message().find("job!~\"[z-a]\""), std::string_view::npos)
      << negative.status().message();
}

TEST(MatcherTest, PatternCannotEscapeTheAnchoringGroup) {
  // Wrapped as ^(?s:a)|(b)$ this would compile; on its own it is unbalanced.
  Result<Matcher> matcher = Matcher::Create(MatchType::kRegexMatch, "job", "a)|(b");
  ASSERT_FALSE(matcher.ok());
  EXPECT_EQ(matcher.status().code(), StatusCode::kInvalidArgument);
}

TEST(MatcherTest, EqualityValuesAreNeverCompiled) {
  // Not a valid regex, but = and != compare literally.
  EXPECT_TRUE(Matcher::Create(MatchType::kEqual, "job", "a(b").ok());
  EXPECT_TRUE(Matcher::Create(MatchType::kNotEqual, "job", "a(b").ok());
}

TEST(MatcherTest, PatternThatIsNotUtf8IsRejected) {
  Result<Matcher> matcher = Matcher::Create(MatchType::kRegexMatch, "job", "a\xFF");
  ASSERT_FALSE(matcher.ok());
  EXPECT_NE(matcher.status().message().find("invalid UTF-8"), std::string_view::npos)
      << matcher.status().message();
}

TEST(MatcherTest, InvalidUtf8ValuesMatchAsGoDoes) {
  // Go's regexp reads each invalid byte as U+FFFD, which '.' matches.
  EXPECT_TRUE(Re(".*").Matches("bad\xFF"));
  EXPECT_TRUE(Re(".+").Matches("\xFF"));
  EXPECT_TRUE(Re("a.b").Matches("a\xFF" "b"));
  EXPECT_FALSE(Re("a.b").Matches("a\xE2\x82" "b"));  // two bad bytes are two characters
  EXPECT_TRUE(Re("a..b").Matches("a\xE2\x82" "b"));
  EXPECT_TRUE(Re("a\\x{FFFD}").Matches("a\xFF"));
  EXPECT_TRUE(Re("a\xEF\xBF\xBD").Matches("a\xFF"));  // a literal U+FFFD takes the RE2 path
  EXPECT_TRUE(Re("bad.*").Matches("bad\xFF"));
  EXPECT_TRUE(Re(".*\xC3\xA9").Matches("\xFF\xC3\xA9"));
}

TEST(MatcherTest, ToStringUsesCanonicalQuoting) {
  EXPECT_EQ(Make(MatchType::kEqual, "job", "api").ToString(), R"(job="api")");
  EXPECT_EQ(Make(MatchType::kNotEqual, "job", "").ToString(), R"(job!="")");
  EXPECT_EQ(Make(MatchType::kRegexMatch, "path", R"(C:\\.*)").ToString(), R"(path=~"C:\\\\.*")");
  EXPECT_EQ(Make(MatchType::kRegexNoMatch, "m", "say \"x\"\n").ToString(),
            R"(m!~"say \"x\"\n")");
  EXPECT_EQ(Make(MatchType::kEqual, "a.b", "v").ToString(), R"("a.b"="v")");
}

TEST(MatcherTest, AccessorsReturnWhatWasGiven) {
  Matcher matcher = Make(MatchType::kRegexNoMatch, "job", "a|b");
  EXPECT_EQ(matcher.type(), MatchType::kRegexNoMatch);
  EXPECT_EQ(matcher.name(), "job");
  EXPECT_EQ(matcher.value(), "a|b");
}

TEST(MatcherTest, OperatorStrings) {
  EXPECT_EQ(MatchTypeOperator(MatchType::kEqual), "=");
  EXPECT_EQ(MatchTypeOperator(MatchType::kNotEqual), "!=");
  EXPECT_EQ(MatchTypeOperator(MatchType::kRegexMatch), "=~");
  EXPECT_EQ(MatchTypeOperator(MatchType::kRegexNoMatch), "!~");
}

TEST(MatcherTest, EqualityComparesTypeNameAndValue) {
  EXPECT_EQ(Make(MatchType::kEqual, "a", "x"), Make(MatchType::kEqual, "a", "x"));
  EXPECT_FALSE(Make(MatchType::kEqual, "a", "x") == Make(MatchType::kNotEqual, "a", "x"));
  EXPECT_FALSE(Make(MatchType::kEqual, "a", "x") == Make(MatchType::kEqual, "b", "x"));
  EXPECT_FALSE(Make(MatchType::kEqual, "a", "x") == Make(MatchType::kEqual, "a", "y"));
}

// The reference semantics every fast path must reproduce: Prometheus' ^(?s:re)$ run by RE2 on
// the value as Go decodes it.
bool Reference(const std::string& pattern, const std::string& value) {
  RE2::Options options;
  options.set_log_errors(false);
  RE2 re("^(?s:" + pattern + ")$", options);
  EXPECT_TRUE(re.ok()) << pattern;
  return RE2::PartialMatch(ReplaceInvalidUtf8(value), re);
}

TEST(MatcherTest, FastPathsAgreeWithRe2) {
  const std::vector<std::string> patterns = {
      // fast paths
      "", "foo", "foo bar", "é", "a|b|c", "foo|foobar|", "|", "a||b", ".*", ".+", "foo.*",
      ".*foo", ".*foo.*", ".*.*", "日本.*", ".*é",
      // near misses that must take the RE2 path
      "fo.", "f.o", "(foo)", "foo.*bar", ".*foo.+", "foo.+", ".+foo", "foo\\.*", "a|b.*",
      "(?i)foo", "foo|(?i)bar", "[f]oo", "fo{2}", "a\xEF\xBF\xBD", "^foo$", "\\.*",
  };
  std::vector<std::string> values = {
      "", "foo", "foobar", "barfoo", "xfoox", "fo", "FOO", "a", "b", "c", "ab", "a|b", "|",
      "foo.bar", "foo\nbar", "\nfoo", "foo\n", "é", "日本語", "foo\xFF", "\xFF" "foo", "\xFF",
      "a\xFF", ".", "..", "foo.*", "\xC3", "\xC3\xA9\xC3"};
  std::mt19937 rng(7);
  const std::string alphabet = std::string("fobar|.\n\xFF\xC3\xA9") + '\0';
  for (int i = 0; i < 300; ++i) {
    std::string value(std::uniform_int_distribution<size_t>(0, 8)(rng), ' ');
    for (char& c : value) {
      c = alphabet[std::uniform_int_distribution<size_t>(0, alphabet.size() - 1)(rng)];
    }
    values.push_back(value);
  }
  for (const std::string& pattern : patterns) {
    Matcher match = Re(pattern);
    Matcher no_match = Make(MatchType::kRegexNoMatch, "l", pattern);
    for (const std::string& value : values) {
      const bool expected = Reference(pattern, value);
      EXPECT_EQ(match.Matches(value), expected)
          << "pattern " << testing::PrintToString(pattern) << " value "
          << testing::PrintToString(value);
      EXPECT_EQ(no_match.Matches(value), !expected);
    }
  }
}

TEST(MatcherTest, CopiesShareStateAndMatchConcurrently) {
  const Matcher matcher = Re("(api|web)-[0-9]+");
  std::vector<std::thread> threads;
  std::vector<int> hits(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([matcher, &hits, t] {  // each thread holds its own copy
      for (int i = 0; i < 2000; ++i) {
        if (matcher.Matches("api-" + std::to_string(i))) ++hits[t];
        if (matcher.Matches("db-" + std::to_string(i))) --hits[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(hits, std::vector<int>(4, 2000));
}

}  // namespace
}  // namespace silt::labels
