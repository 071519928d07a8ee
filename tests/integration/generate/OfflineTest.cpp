// content:generate through `warren run` without an AI provider: the local templates, the brand
// from the job or from brand_profiles, analyses from the job or from the analyze plugin's
// table, drafts stored in posts with their embeddings, the duplicate loop against them, the
// publication time, and bad input failing at once with its reason.
#include "GenerateNode.h"
#include "Posts.h"

#include <gtest/gtest.h>

#include <csignal>

namespace warren::test {
namespace {

const char* const kAllPlatforms[] = {"x",       "bluesky",   "mastodon", "linkedin",
                                     "threads", "instagram", "facebook"};

Json job(const Json& extra = Json::object()) {
  Json data = {{"brandProfileId", "7"},
               {"brand", bakeryBrand()},
               {"analysis", bakeryAnalysis()},
               {"platforms", {"x"}}};
  data.update(extra);
  return data;
}

TEST(GenerateOffline, EveryPlatformsPostsFitAndFollowTheBrand) {
  GenerateNode node;
  const GeneratedJob done = node.run(job({{"platforms", kAllPlatforms}, {"variants", 2}}));
  ASSERT_EQ(done.state, "completed") << done.describe() << node.log();
  const Json result = done.result();
  EXPECT_FALSE(resultSchemaFailure(result)) << resultSchemaFailure(result).value_or("");
  EXPECT_EQ(result["provider"], "local");
  EXPECT_EQ(result["model"], "warren-template-1");
  EXPECT_EQ(
      result["usage"],
      (Json{{"inputTokens", 0}, {"outputTokens", 0}, {"cachedTokens", 0}, {"embeddingTokens", 0}}));
  EXPECT_EQ(result["embedding"]["model"], "warren-hash-1");
  EXPECT_EQ(result["embedding"]["dimensions"], 512);
  EXPECT_EQ(result["brand"], (Json{{"id", "7"}, {"from", "job"}}));
  ASSERT_EQ(result["posts"].size(), 14u);
  for (const Json& post : result["posts"]) {
    expectFitsItsPlatform(post);
    const std::string text = post["text"];
    std::string all = text;
    for (const Json& part : post["thread"]) all += "\n" + part.get<std::string>();
    EXPECT_NE(all.find("Come and taste it!"), std::string::npos) << all;
    EXPECT_NE(all.find("#LyonBakery"), std::string::npos) << all;
    EXPECT_EQ(post["hashtags"][0], "#LyonBakery");
    EXPECT_EQ(post["language"], "en");
    EXPECT_EQ(post["duplicate"], false);
    EXPECT_FALSE(post.contains("id"));  // not stored
  }
  // The two variants of a platform differ, and the second was compared with the first.
  const Json x = postsOf(result, "x");
  EXPECT_NE(x[0]["text"], x[1]["text"]);
  EXPECT_TRUE(x[0]["similarity"].is_null());
  EXPECT_EQ(x[1]["similarTo"]["variant"], 1);
  EXPECT_LT(x[1]["similarity"].get<double>(), 0.9);
  // X takes two hashtags, Mastodon five; Instagram no link.
  EXPECT_EQ(x[0]["hashtags"].size(), 2u);
  EXPECT_EQ(postsOf(result, "mastodon")[0]["hashtags"].size(), 5u);
  EXPECT_EQ(postsOf(result, "instagram")[0]["text"].get<std::string>().find("https://"),
            std::string::npos);
}

TEST(GenerateOffline, TheBrandProfileFromTheDatabase) {
  GenerateNode node;
  node.sql(
      "INSERT INTO brand_profiles (id, name, language, banned_words, required_hashtags, "
      "emoji_policy, call_to_action) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {"acme", "Acme Bread", "en", R"(["cheap"])", R"(["#AcmeBread"])", "none",
       "Order yours today."});
  Json data = job({{"brandProfileId", "acme"}});
  data.erase("brand");
  const GeneratedJob done = node.run(data);
  ASSERT_EQ(done.state, "completed") << done.describe() << node.log();
  const Json result = done.result();
  EXPECT_EQ(result["brand"], (Json{{"id", "acme"}, {"from", "database"}}));
  const std::string text = result["posts"][0]["text"];
  EXPECT_NE(text.find("Order yours today."), std::string::npos) << text;
  EXPECT_NE(text.find("#AcmeBread"), std::string::npos) << text;

  data["brandProfileId"] = "nobody";
  const GeneratedJob missing = node.run(data, {{"attempts", 3}});
  EXPECT_EQ(missing.state, "failed");
  EXPECT_EQ(missing.attemptsMade(), 1);
  EXPECT_EQ(missing.failedReason(),
            "brand profile 'nobody' not found: it is neither in the job's data (brand) nor a row "
            "of brand_profiles");
}

TEST(GenerateOffline, AStoredAnalysisByItsIdOrItsMaterial) {
  GenerateNode node(GenerateNodeOptions().withAnalyze());
  const GeneratedJob analysed = node.runAnalyze(
      {{"kind", "text"},
       {"text",
        "Our bakery opens a second shop in Lyon this spring. Fresh sourdough comes out of the "
        "oven every morning at seven."},
       {"language", "en"},
       {"store", true},
       {"materialId", "m-42"},
       {"brandProfileId", "7"}});
  ASSERT_EQ(analysed.state, "completed") << analysed.describe() << node.log();
  const std::int64_t id = analysed.result()["id"];

  Json data = job({{"analysisId", id}});
  data.erase("analysis");
  GeneratedJob done = node.run(data);
  ASSERT_EQ(done.state, "completed") << done.describe() << node.log();
  EXPECT_EQ(done.result()["analysisId"], std::to_string(id));
  EXPECT_EQ(done.result()["posts"][0]["text"].get<std::string>().rfind(
                "Our bakery opens a second shop in Lyon this spring.", 0),
            0u);

  data.erase("analysisId");
  data["materialId"] = "m-42";
  done = node.run(data);
  ASSERT_EQ(done.state, "completed") << done.describe();
  EXPECT_EQ(done.result()["analysisId"], std::to_string(id));

  // Another brand's analysis is never read.
  data["brandProfileId"] = "8";
  done = node.run(data);
  EXPECT_EQ(done.state, "failed");
  EXPECT_EQ(done.failedReason(),
            "no stored analysis of material 'm-42' for brand profile '8' in content_analyses");
  data.erase("materialId");
  data["analysisId"] = id;
  done = node.run(data);
  EXPECT_EQ(done.failedReason(),
            "stored analysis " + std::to_string(id) + " belongs to brand profile '7', not '8'");
  data["analysisId"] = 999;
  done = node.run(data);
  EXPECT_EQ(done.failedReason(), "stored analysis 999 not found in content_analyses");
}

TEST(GenerateOffline, StoredDraftsAndTheirEmbeddingsAreWrittenOncePerJob) {
  GenerateNode node;
  const Json data = job({{"platforms", {"x", "linkedin"}}, {"store", true}});
  const GeneratedJob done = node.run(data, {{"jobId", "gen-1"}});
  ASSERT_EQ(done.state, "completed") << done.describe() << node.log();
  const Json result = done.result();
  const Json posts = node.sql(
      "SELECT id, brand_profile_id, platform, account_id, text, thread, hashtags, media_keys, "
      "alt_texts, language, status, scheduled_at FROM posts ORDER BY platform");
  ASSERT_EQ(posts.size(), 2u) << posts.dump();
  const Json& linkedin = posts[0];
  EXPECT_EQ(linkedin["id"], postsOf(result, "linkedin")[0]["id"]);
  EXPECT_EQ(linkedin["brand_profile_id"], "7");
  EXPECT_EQ(linkedin["platform"], "linkedin");
  EXPECT_TRUE(linkedin["account_id"].is_null());
  EXPECT_EQ(linkedin["text"], postsOf(result, "linkedin")[0]["text"]);
  EXPECT_EQ(Json::parse(linkedin["thread"].get<std::string>()), Json::array());
  EXPECT_EQ(Json::parse(linkedin["hashtags"].get<std::string>()),
            postsOf(result, "linkedin")[0]["hashtags"]);
  EXPECT_EQ(linkedin["language"], "en");
  EXPECT_EQ(linkedin["status"], "draft");
  EXPECT_TRUE(linkedin["scheduled_at"].is_null());
  const Json embeddings = node.sql(
      "SELECT brand_profile_id, source_type, source_id, model, dimensions, text FROM "
      "content_embeddings ORDER BY source_id");
  ASSERT_EQ(embeddings.size(), 2u);
  for (const Json& row : embeddings) {
    EXPECT_EQ(row["brand_profile_id"], "7");
    EXPECT_EQ(row["source_type"], "post");
    EXPECT_EQ(row["model"], "warren-hash-1");
    EXPECT_EQ(row["dimensions"], 512);
  }

  // The same job again (as after a crash once it had stored them): its rows are replaced, and
  // never taken for duplicates of its own drafts.
  node.queue(kGenerateQueue).connection().command({"DEL", "bull:content-generate:gen-1"});
  node.queue(kGenerateQueue)
      .connection()
      .command({"ZREM", "bull:content-generate:completed", "gen-1"});
  const GeneratedJob again = node.run(data, {{"jobId", "gen-1"}});
  ASSERT_EQ(again.state, "completed") << again.describe();
  for (const Json& post : again.result()["posts"]) {
    EXPECT_TRUE(post["similarity"].is_null() || post["similarity"].get<double>() < 0.9)
        << post.dump();
    EXPECT_EQ(post["regenerated"], 0) << post.dump();
  }
  EXPECT_EQ(again.result()["posts"], result["posts"]);
  EXPECT_EQ(node.sql("SELECT COUNT(*) AS n FROM posts")[0]["n"], 2);
  EXPECT_EQ(node.sql("SELECT COUNT(*) AS n FROM content_embeddings")[0]["n"], 2);
}

TEST(GenerateOffline, ARepeatedMaterialIsRegeneratedOrFlagged) {
  GenerateNode node;
  // Four sentences to lead with: the second run leads with another one.
  const Json data = job({{"platforms", {"x", "bluesky"}}, {"store", true}});
  ASSERT_EQ(node.run(data).state, "completed");
  const GeneratedJob second = node.run(data);
  ASSERT_EQ(second.state, "completed") << second.describe();
  for (const Json& post : second.result()["posts"]) {
    EXPECT_GE(post["regenerated"].get<int>(), 1) << post.dump();
    EXPECT_LT(post["similarity"].get<double>(), 0.9) << post.dump();
    EXPECT_FALSE(post["duplicate"].get<bool>());
    EXPECT_EQ(post["similarTo"]["sourceType"], "post");
  }

  // One sentence only: nothing to escape with, so after dedup_retries (2) it is kept, flagged.
  Json one = bakeryAnalysis();
  one["summary"] = "Our bakery opens a second shop in Lyon this spring.";
  one["keyPoints"] = Json::array();
  const Json single = job({{"analysis", one}, {"store", true}, {"brandProfileId", "9"}});
  ASSERT_EQ(node.run(single).state, "completed");
  const GeneratedJob flagged = node.run(single);
  ASSERT_EQ(flagged.state, "completed") << flagged.describe();
  const Json post = flagged.result()["posts"][0];
  EXPECT_TRUE(post["duplicate"].get<bool>()) << post.dump();
  EXPECT_GE(post["similarity"].get<double>(), 0.9);
  EXPECT_EQ(post["regenerated"], 2);
  EXPECT_TRUE(flagged.logged("x draft 1 regenerated: similarity")) << flagged.describe();
}

TEST(GenerateOffline, APublicationTimeIsKeptOnTheDrafts) {
  GenerateNode node;
  const GeneratedJob done = node.run(job({{"platforms", {"x", "mastodon"}},
                                          {"store", true},
                                          {"scheduleAt", "2099-05-01T09:30:00+02:00"}}));
  ASSERT_EQ(done.state, "completed") << done.describe() << node.log();
  for (const Json& post : done.result()["posts"]) {
    EXPECT_EQ(post["scheduledAt"], "2099-05-01T09:30:00+02:00");
    EXPECT_FALSE(post.contains("publishJobId"));
  }
  for (const Json& row : node.sql("SELECT scheduled_at, account_id FROM posts")) {
    EXPECT_EQ(row["scheduled_at"], 4081303800000);
    EXPECT_TRUE(row["account_id"].is_null());
  }
}

TEST(GenerateOffline, WithAnAccountADelayedPublishJobPerDraft) {
  GenerateNode node;
  const GeneratedJob done = node.run(job({{"platforms", {"mastodon"}},
                                          {"store", true},
                                          {"accounts", {{"mastodon", "acc-1"}}},
                                          {"scheduleAt", "2099-05-01T07:30:00Z"}}));
  if (done.failedReason().find("no queue service") != std::string::npos) {
    GTEST_SKIP() << "this host has no queue service yet: " << done.failedReason();
  }
  ASSERT_EQ(done.state, "completed") << done.describe() << node.log();
  const Json post = done.result()["posts"][0];
  EXPECT_EQ(post["accountId"], "acc-1");
  const std::string id = post["id"];
  EXPECT_EQ(post["publishJobId"], "publish-" + id);
  const Json rows = node.sql("SELECT account_id FROM posts WHERE id = $1", {id});
  EXPECT_EQ(rows[0]["account_id"], "acc-1");
  const auto hash = node.queue("post-publish").jobHash("publish-" + id);
  EXPECT_EQ(hash.at("name"), "post:publish");
  EXPECT_EQ(Json::parse(hash.at("data")), (Json{{"postId", id}}));
  EXPECT_EQ(node.queue("post-publish").read().count("delayed"), 1u);
}

// The failed job's reason, and that it was final at once although it had attempts left.
std::string refused(GenerateNode& node, const Json& data) {
  const GeneratedJob done = node.run(data, {{"attempts", 3}});
  EXPECT_EQ(done.state, "failed") << done.describe();
  EXPECT_EQ(done.attemptsMade(), 1) << done.describe();
  return done.failedReason();
}

TEST(GenerateOffline, BadInputFailsAtOnceWithItsReason) {
  GenerateNode node;
  EXPECT_NE(refused(node, job({{"platforms", {"myspace"}}})).find("/platforms/0"),
            std::string::npos);
  EXPECT_NE(refused(node, job({{"analysisId", 3}})).find("invalid job data for content:generate"),
            std::string::npos);
  EXPECT_EQ(refused(node, job({{"scheduleAt", "2099-05-01T07:30:00Z"}})),
            "invalid job data: 'scheduleAt' needs 'store': true (the time is kept on the stored "
            "drafts)");
  EXPECT_EQ(refused(node, job({{"scheduleAt", "2001-05-01T07:30:00Z"}, {"store", true}})),
            "invalid job data: 'scheduleAt' 2001-05-01T07:30:00Z is in the past");
  EXPECT_EQ(refused(node, job({{"scheduleAt", "2099-05-01T07:30:00Z"},
                               {"store", true},
                               {"variants", 2},
                               {"accounts", {{"x", "acc-1"}}}})),
            "invalid job data: 'scheduleAt' with 'accounts' publishes every draft: ask for "
            "variants 1, or enqueue post:publish for the variant chosen");
  EXPECT_EQ(refused(node, job({{"accounts", {{"bluesky", "acc-1"}}}})),
            "invalid job data: accounts.bluesky: not one of the job's platforms");
  EXPECT_EQ(refused(node, job({{"mediaKeys", {"1.jpg", "2.jpg", "3.jpg", "4.jpg", "5.jpg"}}})),
            "mediaKeys: 5 media, more than x takes in one post (4)");
  EXPECT_EQ(refused(node, job({{"analysis", {{"topics", {"bread"}}}}})),
            "the analysis has no summary or key points to write a post from");
  // A draft that cannot pass: the brand wants French, the material is English.
  Json french = bakeryBrand();
  french["language"] = "fr";
  Json long_analysis = bakeryAnalysis();
  long_analysis["summary"] =
      "Our bakery opens a second shop in Lyon this spring, with fresh sourdough every morning "
      "and croissants on Sundays for the whole neighbourhood.";
  EXPECT_EQ(refused(node, job({{"brand", french}, {"analysis", long_analysis}})),
            "the x draft 1 still fails its checks after repair: language: the draft is in en, not "
            "fr");
}

TEST(GenerateOffline, AltTextsForTheAnalysedImage) {
  GenerateNode node;
  Json analysis = bakeryAnalysis();
  analysis["source"] = {{"kind", "image"}, {"key", "uploads/shop.jpg"}};
  analysis["media"] = {{"type", "image"},
                       {"description", "A shop front with a red and white striped awning."}};
  const GeneratedJob done = node.run(job({{"analysis", analysis}, {"platforms", {"bluesky"}}}));
  ASSERT_EQ(done.state, "completed") << done.describe();
  const Json post = done.result()["posts"][0];
  EXPECT_EQ(post["mediaKeys"], Json::array({"uploads/shop.jpg"}));
  EXPECT_EQ(post["altTexts"], Json::array({"A shop front with a red and white striped awning."}));
}

}  // namespace
}  // namespace warren::test
