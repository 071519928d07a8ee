// content:generate on PostgreSQL: the plugin's migrations, brand_profiles, posts and
// content_embeddings there (bytea vectors; pgvector is the embed plugin's tests' concern), the
// duplicate loop against stored drafts.
#include "GenerateNode.h"
#include "PostgresServer.h"
#include "Posts.h"

#include <gtest/gtest.h>

#include <memory>

namespace warren::test {
namespace {

class GenerateOnPostgres : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<PostgresServer>(); }
  static void TearDownTestSuite() { server_.reset(); }
  static std::unique_ptr<PostgresServer> server_;
};

std::unique_ptr<PostgresServer> GenerateOnPostgres::server_;

TEST_F(GenerateOnPostgres, BrandDraftsEmbeddingsAndTheDuplicateLoop) {
  server_->sql("CREATE DATABASE generate");
  GenerateNode node(GenerateNodeOptions().withEnv({"DATABASE_URL=" + server_->url("generate")}));
  node.sql(
      "INSERT INTO brand_profiles (id, name, language, required_hashtags, call_to_action) "
      "VALUES ($1, $2, $3, $4, $5)",
      {"7", "Lyon Bakery", "en", R"(["#LyonBakery"])", "Come and taste it!"});
  const Json data = {{"brandProfileId", 7},
                     {"analysis", bakeryAnalysis()},
                     {"platforms", {"x", "bluesky"}},
                     {"store", true},
                     {"scheduleAt", "2099-05-01T07:30:00Z"}};
  const GeneratedJob first = node.run(data);
  ASSERT_EQ(first.state, "completed") << first.describe() << node.log();
  EXPECT_EQ(first.result()["brand"]["from"], "database");
  for (const Json& post : first.result()["posts"]) expectFitsItsPlatform(post);
  const Json rows =
      node.sql("SELECT platform, status, scheduled_at, text FROM posts ORDER BY platform");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["status"], "draft");
  EXPECT_EQ(rows[0]["scheduled_at"], 4081303800000);
  EXPECT_EQ(
      node.sql("SELECT COUNT(*) AS n FROM content_embeddings WHERE source_type = 'post'")[0]["n"],
      2);
  const GeneratedJob second = node.run(data);
  ASSERT_EQ(second.state, "completed") << second.describe();
  for (const Json& post : second.result()["posts"]) {
    EXPECT_GE(post["regenerated"].get<int>(), 1) << post.dump();
    EXPECT_LT(post["similarity"].get<double>(), 0.9);
  }
  EXPECT_EQ(node.sql("SELECT COUNT(*) AS n FROM posts")[0]["n"], 4);
}

}  // namespace
}  // namespace warren::test
