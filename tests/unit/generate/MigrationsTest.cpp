// The posts table is created by both the generate and the publish plugin (whichever runs its
// migration first): both take it from plugins/common/db/PostsTable.h, and neither declares a
// copy of its own that could drift.
#include "Migrations.h"
#include "db/PostsTable.h"

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

TEST(GenerateMigrations, ThePostsTableIsTheSharedOne) {
  const warren_migration& posts = generate::kMigrations[1];
  EXPECT_STREQ(posts.name, "posts");
  EXPECT_STREQ(posts.postgresql, common::db::kPostsTable);
  EXPECT_STREQ(posts.sqlite, common::db::kPostsTable);
  EXPECT_EQ(postsStatements(posts.postgresql),
            "CREATE TABLE IF NOT EXISTS posts ( id TEXT PRIMARY KEY, brand_profile_id TEXT, "
            "platform TEXT NOT NULL, account_id TEXT, text TEXT NOT NULL, thread TEXT NOT NULL "
            "DEFAULT '[]', hashtags TEXT NOT NULL DEFAULT '[]', media_keys TEXT NOT NULL DEFAULT "
            "'[]', alt_texts TEXT NOT NULL DEFAULT '[]', language TEXT, status TEXT NOT NULL "
            "DEFAULT 'draft', scheduled_at BIGINT, published_at BIGINT, platform_post_id TEXT, url "
            "TEXT, error TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL );\n"
            "CREATE INDEX IF NOT EXISTS posts_by_brand ON posts (brand_profile_id, created_at);\n");
}

// The publish plugin's migration 2 is the shared table followed by this file: the file must not
// declare the posts table again.
TEST(GenerateMigrations, ThePublishPluginsFileHoldsNoCopyOfThePostsTable) {
  const auto publish =
      std::filesystem::path(WARREN_TEST_SOURCE_DIR) / "plugins/publish/migrations/0002_posts.sql";
  if (!std::filesystem::exists(publish)) GTEST_SKIP() << publish << " is not in this tree";
  std::ifstream in(publish);
  std::ostringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("CREATE TABLE IF NOT EXISTS publications"), std::string::npos);
  EXPECT_EQ(postsStatements(text.str()), "");
}

TEST(GenerateMigrations, VersionsAndNames) {
  EXPECT_EQ(generate::kMigrations[0].version, 1u);
  EXPECT_STREQ(generate::kMigrations[0].name, "brand_profiles");
  EXPECT_EQ(generate::kMigrations[2].version, 3u);
  EXPECT_STREQ(generate::kMigrations[2].name, "content_embeddings");
}

}  // namespace
}  // namespace warren::test
