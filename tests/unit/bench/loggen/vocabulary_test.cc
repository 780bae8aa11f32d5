#include "tests/bench/loggen/vocabulary.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "tests/bench/loggen/template_expander.h"

namespace silt::loggen::vocab {
namespace {

// Every text that lands inside JSON strings or quoted logfmt values unescaped.
std::vector<std::string_view> AllTexts() {
  std::vector<std::string_view> texts;
  auto add = [&](auto span) {
    for (const auto& item : span) texts.push_back(item);
  };
  for (const Weighted& w : HttpMethods()) texts.push_back(w.text);
  for (const Weighted& w : HttpStatuses()) texts.push_back(w.text);
  for (const Weighted& w : PathTemplates()) texts.push_back(w.text);
  add(UserAgents());
  add(Referers());
  add(DebugMessages());
  add(InfoMessages());
  add(WarnMessages());
  add(ErrorMessages());
  add(Words());
  add(UserNames());
  for (const Field& f : EventFields()) {
    texts.push_back(f.key);
    texts.push_back(f.value_template);
  }
  add(Callers());
  for (const SyslogMessage& m : SyslogMessages()) {
    texts.push_back(m.program);
    texts.push_back(m.text);
  }
  add(SyslogMsgIds());
  add(JavaThreads());
  add(JavaDomains());
  add(JavaClassSuffixes());
  add(JavaMethods());
  for (const JavaException& e : JavaExceptions()) {
    texts.push_back(e.class_name);
    texts.push_back(e.message);
  }
  for (const JavaException& e : JavaCauses()) {
    texts.push_back(e.class_name);
    texts.push_back(e.message);
  }
  add(JavaFrameworkFrames());
  add(HostPrefixes());
  add(AppNames());
  add(Namespaces());
  return texts;
}

TEST(VocabularyTest, TextsNeedNoEscaping) {
  for (std::string_view text : AllTexts()) {
    EXPECT_FALSE(text.empty());
    for (char c : text) {
      ASSERT_TRUE(c >= 0x20 && c < 0x7f && c != '"' && c != '\\') << "in \"" << text << "\"";
    }
  }
}

TEST(VocabularyTest, EveryTemplateExpandsWithoutLeftoverPlaceholders) {
  Rng rng(1);
  for (std::string_view text : AllTexts()) {
    TextBuffer out;
    ExpandTemplate(rng, text, &out);
    EXPECT_EQ(out.view().find('{'), std::string_view::npos) << text;
  }
  for (std::string_view text : StructuredData()) {
    TextBuffer out;
    ExpandTemplate(rng, text, &out);
    EXPECT_EQ(out.view().find('{'), std::string_view::npos) << text;
  }
}

TEST(VocabularyTest, WordsAreLowercaseLetters) {
  for (std::string_view word : Words()) {
    for (char c : word) ASSERT_TRUE(c >= 'a' && c <= 'z') << word;
  }
}

TEST(VocabularyTest, LabelNamesAreDistinct) {
  for (auto names : {HostPrefixes(), AppNames(), Namespaces()}) {
    std::set<std::string_view> unique(names.begin(), names.end());
    EXPECT_EQ(unique.size(), names.size());
  }
}

TEST(VocabularyTest, JavaDomainsAreLowercase) {
  // JavaWriter capitalises the first letter to build class names.
  for (std::string_view domain : JavaDomains()) {
    ASSERT_TRUE(domain[0] >= 'a' && domain[0] <= 'z') << domain;
  }
}

}  // namespace
}  // namespace silt::loggen::vocab
