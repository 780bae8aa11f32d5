#include "shared/config/document.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace silt::config {
namespace {

using ::testing::HasSubstr;

// A fresh directory under the test temp dir, removed with its files at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "silt_config_test_XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    path_ = ::mkdtemp(buf.data());
  }
  ~TempDir() {
    for (const std::string& f : files_) std::remove(f.c_str());
    ::rmdir(path_.c_str());
  }
  std::string Write(const std::string& name, const std::string& content) {
    std::string file = path_ + "/" + name;
    std::ofstream(file, std::ios::binary) << content;
    files_.push_back(file);
    return file;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::vector<std::string> files_;
};

TEST(DocumentTest, LoadFileReadsTheFile) {
  TempDir dir;
  std::string path = dir.Write("agent.yaml", "data_dir: /var/lib/silt\n");
  Result<Document> doc = Document::LoadFile(path);
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(doc->name(), path);
  ObjectReader r = doc->Root();
  std::string data_dir;
  EXPECT_TRUE(r.Optional("data_dir", &data_dir));
  EXPECT_TRUE(r.Finish().ok());
  EXPECT_EQ(data_dir, "/var/lib/silt");
}

TEST(DocumentTest, MissingFileIsNotFoundNamingThePath) {
  TempDir dir;
  std::string path = dir.path() + "/absent.yaml";
  Result<Document> doc = Document::LoadFile(path);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(doc.status().message(), HasSubstr("opening config file " + path));
}

TEST(DocumentTest, DirectoryIsAnIOError) {
  TempDir dir;
  Result<Document> doc = Document::LoadFile(dir.path());
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kIOError);
  EXPECT_THAT(doc.status().message(), HasSubstr("reading config file " + dir.path()));
}

TEST(DocumentTest, OversizedFileIsRefused) {
  TempDir dir;
  std::string path = dir.Write("huge.yaml", std::string(Document::kMaxFileBytes + 1, '#'));
  Result<Document> doc = Document::LoadFile(path);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(doc.status().message(), HasSubstr(path + " is larger than 16MiB"));
}

TEST(DocumentTest, MalformedYamlNamesFileLineAndColumn) {
  TempDir dir;
  std::string path = dir.Write("bad.yaml", "a: 1\n  b: 2\n");
  Result<Document> doc = Document::LoadFile(path);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(doc.status().message(), path + ":2:4: invalid YAML: illegal map value");
}

TEST(DocumentTest, UnclosedFlowListIsReportedWhereTheParserStops) {
  Result<Document> doc = Document::LoadString("paths: [a, b\nother: 1\n", "agent.yaml");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(), "agent.yaml:2:6: invalid YAML: end of sequence flow not found");
}

TEST(DocumentTest, MoreThanOneDocumentIsAnError) {
  Result<Document> doc = Document::LoadString("a: 1\n---\nb: 2\n", "agent.yaml");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(),
            "agent.yaml:3:1: expected one YAML document, found 2; remove the extra \"---\" "
            "separators");
}

TEST(DocumentTest, EmptyDocumentReadsAsAnEmptyMapping) {
  for (const char* text : {"", "# only a comment\n", "---\n"}) {
    Result<Document> doc = Document::LoadString(text, "agent.yaml");
    ASSERT_TRUE(doc.ok()) << doc.status();
    ObjectReader r = doc->Root();
    int batch_size = 100;
    EXPECT_FALSE(r.Optional("batch_size", &batch_size));
    EXPECT_TRUE(r.Finish().ok());
    EXPECT_EQ(batch_size, 100);
  }
}

TEST(DocumentTest, TopLevelListIsAnError) {
  Result<Document> doc = Document::LoadString("- a\n- b\n", "agent.yaml");
  ASSERT_TRUE(doc.ok());
  ObjectReader r = doc->Root();
  std::string a;
  EXPECT_FALSE(r.Optional("a", &a));
  EXPECT_EQ(r.Finish().message(), "agent.yaml:1:1: expected a mapping, got a list");
}

TEST(DocumentTest, TopLevelScalarIsAnError) {
  Result<Document> doc = Document::LoadString("\n  hello\n", "agent.yaml");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->Root().Finish().message(), "agent.yaml:2:3: expected a mapping, got \"hello\"");
}

TEST(DocumentTest, EachRootStartsAFreshRead) {
  Result<Document> doc = Document::LoadString("typo: 1\n", "agent.yaml");
  ASSERT_TRUE(doc.ok());
  EXPECT_FALSE(doc->Root().Finish().ok());
  ObjectReader second = doc->Root();
  int typo = 0;
  EXPECT_TRUE(second.Optional("typo", &typo));
  EXPECT_TRUE(second.Finish().ok());
  EXPECT_EQ(typo, 1);
}

TEST(DocumentTest, FinishIsIdempotent) {
  Result<Document> doc = Document::LoadString("typo: 1\n", "agent.yaml");
  ASSERT_TRUE(doc.ok());
  ObjectReader r = doc->Root();
  Status first = r.Finish();
  EXPECT_EQ(r.Finish(), first);
  EXPECT_EQ(first.message(), "agent.yaml:1:1: unknown key \"typo\"");
}

}  // namespace
}  // namespace silt::config
