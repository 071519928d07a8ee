// The embed plugin served by `warren run` as an operator starts it: Redis from REDIS_URL, SQLite
// in the node's data directory, the AI service pointed at the fake provider (OpenAI's wire
// shape). Jobs go in and come back through `warren enqueue --wait`, as BullMQ's Queue.add and
// its events would.
#include "EmbedHost.h"
#include "RedisServer.h"

#include "AiFake.h"
#include "Command.h"
#include "Paths.h"
#include "TempDir.h"

#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace warren::test {
namespace {

struct Finished {
  bool completed = false;
  Json result;         // the return value, when completed
  std::string reason;  // the failed reason, otherwise
  std::string describe() const { return completed ? result.dump() : "failed: " + reason; }
};

class WarrenRunTest : public ::testing::Test {
 protected:
  void start(const std::vector<std::string>& env, const std::vector<std::string>& sets = {}) {
    std::vector<std::string> args = {warrenBinary().string(),       "run",     "--plugin",
                                     builtPlugin("embed").string(), "--queue", "content-embed"};
    for (const std::string& set : sets) {
      args.push_back("--set");
      args.push_back(set);
    }
    std::vector<std::string> environment = cleanEnvironment();
    environment.push_back("REDIS_URL=" + redis_.url());
    environment.push_back("WARREN_DATA_DIR=" + data_.path().string());
    environment.push_back("WARREN_MODULE_DIR=" WARREN_EMBED_TEST_MODULE_DIR);
    environment.insert(environment.end(), env.begin(), env.end());
    node_ = std::make_unique<BackgroundProcess>(args, environment);
    ASSERT_TRUE(node_->waitForStderr("warren started", std::chrono::seconds(30))) << node_->err();
  }

  Finished job(const std::string& name, const Json& data) {
    const CommandResult r =
        run({warrenBinary().string(), "enqueue", "content-embed", name, "--data", data.dump(),
             "--wait"},
            {"PATH=/usr/bin:/bin", "REDIS_URL=" + redis_.url()}, std::chrono::seconds(60));
    Finished out;
    std::istringstream lines(r.out);
    std::string id, value;
    std::getline(lines, id);
    std::getline(lines, value);
    out.completed = r.exitCode == 0;
    if (out.completed) out.result = Json::parse(value);
    const auto at = r.err.find("failed: ");
    if (at != std::string::npos) out.reason = r.err.substr(at + 8, r.err.find('\n', at) - at - 8);
    if (!out.completed && out.reason.empty()) out.reason = r.err;
    return out;
  }

  std::vector<std::string> openai() const {
    return {"AI_PROVIDER=openai", "OPENAI_API_KEY=test-key",
            "OPENAI_BASE_URL=" + fake_.openaiBaseUrl()};
  }

  RedisServer redis_;
  AiFake fake_;
  TempDir data_{"warren-embed-node"};
  std::unique_ptr<BackgroundProcess> node_;
};

TEST_F(WarrenRunTest, ProviderEmbeddingsAreStoredAndCheckedAgainst) {
  start(openai());
  const Finished stored =
      job("embedding:generate", {{"brandProfileId", "b1"},
                                 {"items",
                                  {{{"text", "Our spring collection is here"}, {"id", "p1"}},
                                   {{"text", "We are hiring engineers in Berlin"}}}}});
  ASSERT_TRUE(stored.completed) << stored.describe() << node_->err();
  EXPECT_EQ(stored.result["provider"], "openai");
  EXPECT_EQ(stored.result["model"], "text-embedding-3-small");
  EXPECT_EQ(stored.result["dimensions"], 1536);
  EXPECT_EQ(stored.result["storage"], "sqlite-base64");
  EXPECT_GT(stored.result["usage"]["input_tokens"].get<std::int64_t>(), 0);
  const Json requests = fake_.requests("openai");
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0]["path"], "/v1/embeddings");

  const Finished checked = job(
      "embedding:similarity", {{"brandProfileId", "b1"},
                               {"texts", {"We are hiring engineers in Berlin", "Something else"}}});
  ASSERT_TRUE(checked.completed) << checked.describe();
  EXPECT_EQ(checked.result["model"], "text-embedding-3-small");
  EXPECT_EQ(checked.result["compared"], 2);
  EXPECT_EQ(checked.result["results"][0]["id"], stored.result["ids"][1]);
  EXPECT_NEAR(checked.result["results"][0]["similarity"].get<double>(), 1.0, 1e-5);
  EXPECT_EQ(checked.result["results"][0]["duplicate"], true);
  EXPECT_EQ(checked.result["results"][1]["duplicate"], false);
}

TEST_F(WarrenRunTest, DimensionsAskedOfTheProviderAreKept) {
  start(openai(), {"queue.content-embed.config.dimensions=256"});
  const Finished stored =
      job("embedding:generate", {{"brandProfileId", "b"}, {"items", {{{"text", "a post"}}}}});
  ASSERT_TRUE(stored.completed) << stored.describe() << node_->err();
  EXPECT_EQ(stored.result["dimensions"], 256);
  EXPECT_EQ(fake_.requests("openai")[0]["body"]["dimensions"], 256);
}

TEST_F(WarrenRunTest, EmptyVectorsAndWrongDimensionsFailClearly) {
  start(openai(), {"queue.content-embed.config.dimensions=64"});
  const Finished empty = job("embedding:generate", {{"brandProfileId", "b"},
                                                    {"items", {{{"text", "a post"}}}},
                                                    {"model", "fake-empty-vectors"}});
  ASSERT_FALSE(empty.completed) << empty.describe();
  EXPECT_NE(
      empty.reason.find(
          "returned an empty vector (is the server serving an embedding model?) for texts[0]"),
      std::string::npos)
      << empty.reason;
  const Finished wrong = job(
      "embedding:generate",
      {{"brandProfileId", "b"}, {"items", {{{"text", "a post"}}}}, {"model", "fake-wrong-dims"}});
  ASSERT_FALSE(wrong.completed) << wrong.describe();
  EXPECT_NE(wrong.reason.find("returned 65 dimensions, not the 64 asked for for texts[0]"),
            std::string::npos)
      << wrong.reason;
  const Finished shortBatch =
      job("embedding:generate", {{"brandProfileId", "b"},
                                 {"items", {{{"text", "one"}}, {{"text", "two"}}}},
                                 {"model", "fake-short-batch"}});
  ASSERT_FALSE(shortBatch.completed) << shortBatch.describe();
  EXPECT_NE(shortBatch.reason.find("1 embeddings for 2 texts"), std::string::npos)
      << shortBatch.reason;
  // Nothing was stored by the failed jobs.
  const Finished check =
      job("embedding:similarity",
          {{"brandProfileId", "b"}, {"texts", {"a post"}}, {"model", "text-embedding-3-small"}});
  ASSERT_TRUE(check.completed) << check.describe();
  EXPECT_EQ(check.result["compared"], 0);
}

TEST_F(WarrenRunTest, WithoutAProviderTheOfflineModelServes) {
  start({});
  const Finished stored =
      job("embedding:generate",
          {{"brandProfileId", 7}, {"items", {{{"text", "Our spring collection is here"}}}}});
  ASSERT_TRUE(stored.completed) << stored.describe() << node_->err();
  EXPECT_EQ(stored.result["provider"], "offline");
  EXPECT_EQ(stored.result["model"], "warren-hash-1");
  const Finished checked =
      job("embedding:similarity",
          {{"brandProfileId", 7}, {"texts", {"OUR SPRING COLLECTION IS HERE!"}}});
  ASSERT_TRUE(checked.completed) << checked.describe();
  EXPECT_EQ(checked.result["results"][0]["duplicate"], true);
  EXPECT_TRUE(fake_.requests().empty());
  // The host checks job data against the declared schema before the plugin sees it.
  const Finished refused =
      job("embedding:generate", {{"brandProfileId", 7}, {"items", Json::array()}});
  ASSERT_FALSE(refused.completed) << refused.describe();
  EXPECT_EQ(refused.reason.rfind("invalid job data for embedding:generate: /items", 0), 0u)
      << refused.reason;
}

}  // namespace
}  // namespace warren::test
