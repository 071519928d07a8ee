// The posts table is created by both the generate and the publish plugin (whichever runs its
// migration first): the two definitions must be the same, word for word.
#include "Migrations.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace warren::test {
namespace {

// The statements of `sql` about the posts table (its CREATE TABLE and its indexes), comments
// dropped and white space collapsed.
std::string postsStatements(const std::string& sql) {
  std::string text;
  std::istringstream lines(sql);
  for (std::string line; std::getline(lines, line);) {
    const std::size_t comment = line.find("--");
    text += line.substr(0, comment) + " ";
  }
  std::string out;
  std::istringstream statements(text);
  for (std::string statement; std::getline(statements, statement, ';');) {
    std::string words;
    std::istringstream in(statement);
    for (std::string word; in >> word;) words += (words.empty() ? "" : " ") + word;
    if (words.find("TABLE IF NOT EXISTS posts ") != std::string::npos ||
        words.find(" ON posts ") != std::string::npos) {
      out += words + ";\n";
    }
  }
  return out;
}

TEST(GenerateMigrations, ThePostsTableIsThePublishPluginsWordForWord) {
  const auto publish =
      std::filesystem::path(WARREN_TEST_SOURCE_DIR) / "plugins/publish/migrations/0002_posts.sql";
  if (!std::filesystem::exists(publish)) GTEST_SKIP() << publish << " is not in this tree";
  std::ifstream in(publish);
  std::ostringstream text;
  text << in.rdbuf();
  const warren_migration& posts = generate::kMigrations[1];
  EXPECT_STREQ(posts.name, "posts");
  const std::string ours = postsStatements(posts.postgresql);
  EXPECT_FALSE(ours.empty());
  EXPECT_EQ(ours, postsStatements(text.str()));
  EXPECT_STREQ(posts.postgresql, posts.sqlite);
}

TEST(GenerateMigrations, VersionsAndNames) {
  EXPECT_EQ(generate::kMigrations[0].version, 1u);
  EXPECT_STREQ(generate::kMigrations[0].name, "brand_profiles");
  EXPECT_EQ(generate::kMigrations[2].version, 3u);
  EXPECT_STREQ(generate::kMigrations[2].name, "content_embeddings");
}

}  // namespace
}  // namespace warren::test
