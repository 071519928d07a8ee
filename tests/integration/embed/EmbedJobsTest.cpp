// embedding:generate and embedding:similarity end to end through the plugin, on each storage:
// SQLite (float32 as base64), PostgreSQL without pgvector (bytea) and PostgreSQL with pgvector
// (both the exact scan and pgvector's exact query). Offline embeddings (no AI provider).
#include "EmbedHost.h"
#include "PostgresServer.h"

#include "vector/Codec.h"
#include "vector/HashEmbedder.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>

namespace warren::test {
namespace {

const char* const kLaunch =
    "Our spring collection is here! Lightweight linen shirts, breathable chinos and sandals made "
    "for long city walks. Shop the full range online and in stores from Friday. #SpringStyle";
const char* const kLaunchAgain =
    "Shop the full range online and in stores from Friday. Our spring collection is here! "
    "Lightweight linen shirts, breathable chinos and sandals made for long city walks. #NewIn";
const char* const kHiring =
    "We are hiring! Join our engineering team in Berlin and help us build tools that millions of "
    "creators use every day. Remote-friendly, four-day weeks in summer.";
const char* const kRecipe =
    "Tonight's recipe: a one-pot lentil curry with coconut milk, ginger and fresh coriander. "
    "Ready in 30 minutes and even better the next day.";
const char* const kMeetup =
    "Join us at the community meetup this Thursday at 7pm: three short talks on open source "
    "security, pizza, and plenty of time to chat.";

struct Storage {
  const char* name;
  bool postgres;
  plugins::ConfigValues config;
  const char* layout;  // the result's "storage"
  const char* method;  // the similarity result's "method"
};

std::ostream& operator<<(std::ostream& out, const Storage& storage) {
  return out << storage.name;
}

class EmbedJobsTest : public ::testing::TestWithParam<Storage> {
 protected:
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override {
    const Storage& storage = GetParam();
    if (storage.postgres) {
      // One server per test process, started by the first PostgreSQL case.
      if (std::string(storage.layout) == "pgvector") {
        if (!pgvectorChecked_) pgvectorMissing_ = ensurePgvector();
        pgvectorChecked_ = true;
        if (!pgvectorMissing_.empty())
          GTEST_SKIP() << "pgvector is not available, so its path is not tested: "
                       << pgvectorMissing_;
      }
      if (!server_) server_ = std::make_unique<PostgresServer>();
      const std::string database = "embed_" + std::to_string(++databases_);
      server_->sql("CREATE DATABASE " + database);
      url_ = server_->url(database);
    }
    host_ = std::make_unique<EmbedHost>(url_, storage.config);
  }

  Json generate(const Json& items, const std::string& brand = "brand-1",
                const std::string& id = "job-1") {
    const EmbedJob job =
        host_->run("embedding:generate", {{"brandProfileId", brand}, {"items", items}}, id);
    EXPECT_TRUE(job.completed()) << job.describe();
    return job.completed() ? job.result() : Json();
  }
  EmbedJob similarity(Json data) {
    if (!data.contains("brandProfileId")) data["brandProfileId"] = "brand-1";
    return host_->run("embedding:similarity", data, "check-" + std::to_string(++checks_));
  }
  std::int64_t rows() {
    return host_->sql("SELECT count(*) AS n FROM content_embeddings")[0]["n"].get<std::int64_t>();
  }

  static std::unique_ptr<PostgresServer> server_;
  static std::string pgvectorMissing_;
  static bool pgvectorChecked_;
  static std::atomic<int> databases_;
  std::string url_;
  std::unique_ptr<EmbedHost> host_;
  int checks_ = 0;
};
std::unique_ptr<PostgresServer> EmbedJobsTest::server_;
std::string EmbedJobsTest::pgvectorMissing_;
bool EmbedJobsTest::pgvectorChecked_ = false;
std::atomic<int> EmbedJobsTest::databases_{0};

TEST_P(EmbedJobsTest, ANearDuplicateIsFlaggedAndUnrelatedPostsAreNot) {
  const Json stored =
      generate(Json::array({{{"text", kHiring}},
                            {{"text", kLaunch}, {"id", "post-7"}, {"contentType", "post"}},
                            {{"text", kRecipe}}}));
  ASSERT_EQ(stored["ids"].size(), 3u);
  EXPECT_EQ(stored["model"], "warren-hash-1");
  EXPECT_EQ(stored["dimensions"], 512);
  EXPECT_EQ(stored["provider"], "offline");
  EXPECT_EQ(stored["storage"], GetParam().layout);
  EXPECT_FALSE(stored.contains("usage"));

  const EmbedJob job = similarity({{"texts", {kLaunchAgain, kMeetup}}});
  ASSERT_TRUE(job.completed()) << job.describe();
  const Json result = job.result();
  EXPECT_EQ(result["method"], GetParam().method);
  EXPECT_EQ(result["model"], "warren-hash-1");
  EXPECT_EQ(result["dimensions"], 512);
  EXPECT_EQ(result["days"], 30);
  EXPECT_EQ(result["threshold"], 0.9);
  EXPECT_EQ(result["compared"], 3);
  const Json& duplicate = result["results"][0];
  EXPECT_EQ(duplicate["id"], stored["ids"][1]);
  EXPECT_GE(duplicate["similarity"].get<double>(), 0.9);
  EXPECT_EQ(duplicate["duplicate"], true);
  EXPECT_EQ(duplicate["sourceType"], "post");
  EXPECT_EQ(duplicate["sourceId"], "post-7");
  EXPECT_EQ(duplicate["createdAt"].get<std::string>().size(), 27u);  // 2026-...T..:..:..ffffffZ
  const Json& fresh = result["results"][1];
  EXPECT_LT(fresh["similarity"].get<double>(), 0.3);
  EXPECT_EQ(fresh["duplicate"], false);
}

TEST_P(EmbedJobsTest, GivenEmbeddingsAsNumbersOrBase64FindTheSameRow) {
  const Json stored = generate(Json::array({{{"text", kLaunch}}, {{"text", kHiring}}}));
  const common::vector::Vector v = common::vector::HashEmbedder(512).embed(kHiring);
  Json numbers = Json::array();
  for (const float x : v) numbers.push_back(x);
  const EmbedJob job = similarity({{"embeddings", {numbers, common::vector::encodeFloat32(v)}}});
  ASSERT_TRUE(job.completed()) << job.describe();
  const Json result = job.result();
  EXPECT_EQ(result["model"], "warren-hash-1");  // the one model of that length in the window
  for (const Json& entry : result["results"]) {
    EXPECT_EQ(entry["id"], stored["ids"][1]);
    EXPECT_NEAR(entry["similarity"].get<double>(), 1.0, 1e-5);
  }
}

TEST_P(EmbedJobsTest, TheWindowCountsDaysBackFromNow) {
  const Json stored = generate(Json::array({{{"text", kLaunch}}, {{"text", kHiring}}}));
  const std::string old = GetParam().postgres ? "now() - interval '40 days'"
                                              : "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-40 days')";
  host_->sql("UPDATE content_embeddings SET created_at = " + old + " WHERE id = $1",
             Json::array({stored["ids"][0]}));
  Json recent = similarity({{"texts", {kLaunch}}}).result();
  EXPECT_EQ(recent["compared"], 1);
  EXPECT_EQ(recent["results"][0]["id"], stored["ids"][1]);
  EXPECT_EQ(recent["results"][0]["duplicate"], false);
  Json longer = similarity({{"texts", {kLaunch}}, {"days", 60}}).result();
  EXPECT_EQ(longer["compared"], 2);
  EXPECT_EQ(longer["results"][0]["id"], stored["ids"][0]);
  EXPECT_EQ(longer["results"][0]["duplicate"], true);
}

TEST_P(EmbedJobsTest, NewRowsAreSeenByTheNextCheck) {
  generate(Json::array({{{"text", kHiring}}}));
  EXPECT_EQ(similarity({{"texts", {kLaunch}}}).result()["results"][0]["duplicate"], false);
  const Json stored = generate(Json::array({{{"text", kLaunch}}}), "brand-1", "job-2");
  const Json again = similarity({{"texts", {kLaunchAgain}}}).result();
  EXPECT_EQ(again["compared"], 2);
  EXPECT_EQ(again["results"][0]["id"], stored["ids"][0]);
  EXPECT_EQ(again["results"][0]["duplicate"], true);
}

TEST_P(EmbedJobsTest, StoringAnIdAgainReplacesItsVector) {
  const Json first = generate(Json::array({{{"text", kLaunch}, {"id", 42}}}));
  const Json second = generate(Json::array({{{"text", kRecipe}, {"id", 42}}}), "brand-1", "job-2");
  EXPECT_EQ(first["ids"], second["ids"]);
  EXPECT_EQ(rows(), 1);
  const Json result = similarity({{"texts", {kLaunch, kRecipe}}}).result();
  EXPECT_EQ(result["results"][0]["duplicate"], false);
  EXPECT_EQ(result["results"][1]["duplicate"], true);
  EXPECT_EQ(result["results"][1]["sourceId"], "42");
}

TEST_P(EmbedJobsTest, ARetriedJobStoresNothingTwice) {
  const Json items = Json::array({{{"text", kLaunch}}, {{"text", kHiring}}});
  const Json first = generate(items, "brand-1", "job-9");
  const Json retry = generate(items, "brand-1", "job-9");
  EXPECT_EQ(first["ids"], retry["ids"]);
  EXPECT_EQ(rows(), 2);
  generate(items, "brand-1", "job-10");  // another job storing the same texts: rows of its own
  EXPECT_EQ(rows(), 4);
}

TEST_P(EmbedJobsTest, BrandsNeverSeeEachOthersRows) {
  generate(Json::array({{{"text", kLaunch}}}), "brand-1");
  const Json result = similarity({{"brandProfileId", 77}, {"texts", {kLaunch}}}).result();
  EXPECT_EQ(result["compared"], 0);
  EXPECT_TRUE(result["results"][0]["similarity"].is_null());
  EXPECT_TRUE(result["results"][0]["id"].is_null());
  EXPECT_EQ(result["results"][0]["duplicate"], false);
}

TEST_P(EmbedJobsTest, VectorsOfAnotherModelAreNeverCompared) {
  generate(Json::array({{{"text", kLaunch}}, {{"text", kHiring}}}));
  plugins::ConfigValues config = GetParam().config;
  config["offline_dimensions"] = "384";
  host_->restart(config);
  const EmbedJob job = similarity({{"texts", {kLaunch}}});
  ASSERT_TRUE(job.failedForGood()) << job.describe();
  EXPECT_EQ(job.outcome.error,
            "brand brand-1 has no embeddings of warren-hash-1 (384 dimensions) in the last 30 "
            "days, only of warren-hash-1 (512 dimensions, 2 rows): vectors of different models or "
            "dimensions are never compared");
  const EmbedJob given = similarity({{"embeddings", {Json::array({0.5, 0.5, 0.5})}}});
  ASSERT_TRUE(given.failedForGood()) << given.describe();
  EXPECT_EQ(given.outcome.error,
            "the embeddings have 3 dimensions, but brand brand-1 has embeddings of only "
            "warren-hash-1 (512 dimensions) in the last 30 days: vectors of different models or "
            "dimensions are never compared");
  const EmbedJob named =
      similarity({{"embeddings", {Json::array({0.5, 0.5, 0.5})}}, {"model", "other-model"}});
  ASSERT_TRUE(named.failedForGood()) << named.describe();
  EXPECT_EQ(named.outcome.error,
            "brand brand-1 has no embeddings of other-model (3 dimensions) in the last 30 days, "
            "only of warren-hash-1 (512 dimensions, 2 rows): vectors of different models or "
            "dimensions are never compared");
}

TEST_P(EmbedJobsTest, ThresholdsComeFromTheJobOrTheConfig) {
  generate(Json::array({{{"text", kLaunch}}}));
  const Json strict = similarity({{"texts", {kLaunchAgain}}, {"threshold", 0.999}}).result();
  EXPECT_EQ(strict["threshold"], 0.999);
  EXPECT_EQ(strict["results"][0]["duplicate"], false);
  plugins::ConfigValues config = GetParam().config;
  config["similarity_threshold"] = "0.05";
  config["default_days"] = "7";
  host_->restart(config);
  const Json loose = similarity({{"texts", {kHiring}}}).result();
  EXPECT_EQ(loose["threshold"], 0.05);
  EXPECT_EQ(loose["days"], 7);
  EXPECT_EQ(loose["results"][0]["duplicate"], true);
}

// What the data schemas cannot say (checked by tests/unit/embed/SchemasTest.cpp otherwise).
TEST_P(EmbedJobsTest, BadInputFailsForGoodWithTheReason) {
  const auto refused = [&](const std::string& name, const Json& data) {
    const EmbedJob job = host_->run(name, data);
    EXPECT_TRUE(job.failedForGood()) << job.describe();
    return job.outcome.error;
  };
  EXPECT_EQ(
      refused("embedding:generate", {{"brandProfileId", "b"}, {"items", {{{"text", "  \n"}}}}}),
      "text 0 is empty");
  EXPECT_EQ(refused("embedding:generate", {{"brandProfileId", "b"},
                                           {"items", {{{"text", "x"}}}},
                                           {"model", "text-embedding-3-small"}}),
            "model 'text-embedding-3-small' needs an AI provider, and none is configured for "
            "embeddings (the offline model is warren-hash-1)");
  EXPECT_EQ(refused("embedding:similarity",
                    {{"brandProfileId", "b"},
                     {"embeddings", {Json::array({1, 2}), Json::array({1, 2, 3})}}}),
            "invalid job data: embeddings[1] has 3 dimensions, embeddings[0] has 2");
  EXPECT_EQ(
      refused("embedding:similarity", {{"brandProfileId", "b"}, {"embeddings", {"not base64!"}}}),
      "invalid job data: embeddings[0]: base64 text has an invalid character");
  EXPECT_EQ(
      refused("embedding:similarity",
              {{"brandProfileId", "b"}, {"embeddings", {Json::array({0, 0})}}, {"model", "m"}}),
      "cannot compare the vectors: input 0: the vector is all zeros");
  EXPECT_EQ(refused("embedding:generate", {{"brandProfileId", "b"},
                                           {"items",
                                            {{{"text", "one"}, {"id", "p"}},
                                             {{"text", "two"}},
                                             {{"text", "three"}, {"id", "p"}}}}}),
            "items 0 and 2 have the same id 'p' (text): store each once");
  EXPECT_EQ(refused("embedding:other", {{"brandProfileId", "b"}}),
            "the embed plugin has no job 'embedding:other'");
}

plugins::ConfigValues scanOnPgvector() {
  return {{"similarity_method", "scan"}};
}

INSTANTIATE_TEST_SUITE_P(
    Storage, EmbedJobsTest,
    ::testing::Values(
        Storage{"sqlite", false, {}, "sqlite-base64", "scan"},
        Storage{"postgres_bytea", true, {{"pgvector", "false"}}, "postgres-bytea", "scan"},
        Storage{"pgvector_exact", true, {}, "pgvector", "pgvector-exact"},
        Storage{"pgvector_scan", true, scanOnPgvector(), "pgvector", "scan"}),
    [](const ::testing::TestParamInfo<Storage>& param) { return std::string(param.param.name); });

}  // namespace
}  // namespace warren::test
