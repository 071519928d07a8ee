// content:generate through `warren run` with an AI provider (the local fake, OpenAI's wire
// shape): what the provider was sent and what came back, for a good reply, an over-long draft
// (written again with the reason, then repaired), a banned word (written again), and a
// near-duplicate of a stored post (written again away from it; flagged when the regenerations
// run out).
#include "AiFake.h"
#include "GenerateNode.h"
#include "Posts.h"

#include <gtest/gtest.h>

namespace warren::test {
namespace {

const char* const kKey = "sk-generate-test-key-4a1f09";

std::vector<std::string> providerEnv(const AiFake& fake) {
  return {"AI_PROVIDER=openai", "OPENAI_BASE_URL=" + fake.openaiBaseUrl(),
          "OPENAI_API_KEY=" + std::string(kKey)};
}

AiFakeOptions keyed() {
  AiFakeOptions options;
  options.openaiKey = kKey;
  return options;
}

Json job(const Json& extra = Json::object()) {
  Json data = {{"brandProfileId", "7"},
               {"brand", bakeryBrand()},
               {"analysis", bakeryAnalysis()},
               {"platforms", {"x"}}};
  data.update(extra);
  return data;
}

Json drafts(const std::vector<std::string>& texts) {
  Json list = Json::array();
  for (const std::string& text : texts) list.push_back({{"text", text}});
  return {{"json", {{"drafts", list}}}};
}

// The chat requests the fake received, in order.
std::vector<Json> chats(const AiFake& fake) {
  std::vector<Json> out;
  for (const Json& request : fake.requests("openai")) {
    if (request["op"] == "chat") out.push_back(request["body"]);
  }
  return out;
}

std::string userText(const Json& chat) {
  std::string text;
  for (const Json& message : chat["messages"]) {
    if (message["role"] != "user") continue;
    if (message["content"].is_string()) text += message["content"].get<std::string>();
    for (const Json& part : message["content"]) {
      if (part.is_object() && part.contains("text")) text += part["text"].get<std::string>() + "\n";
    }
  }
  return text;
}

std::string systemText(const Json& chat) {
  for (const Json& message : chat["messages"]) {
    if (message["role"] == "system" || message["role"] == "developer") {
      return message["content"].is_string() ? message["content"].get<std::string>()
                                            : message["content"].dump();
    }
  }
  return "";
}

const char* const kGood =
    "Our second shop opens in Lyon this spring, by the river. Come and taste it! #LyonBakery";

TEST(GenerateWithProvider, OneCompletionPerPlatformWithTheBrandAndTheMaterialAsData) {
  AiFake fake(keyed());
  GenerateNode node(GenerateNodeOptions().withEnv(providerEnv(fake)));
  fake.scriptReplies(
      "openai", Json::array({drafts({kGood}), drafts({"Our bakery opens its second shop in Lyon: "
                                                      "sourdough, croissants and a terrace by the "
                                                      "river. Come and taste it! #LyonBakery"})}));
  const GeneratedJob done =
      node.run(job({{"platforms", {"x", "linkedin"}}, {"goal", "bring people to the opening"}}));
  ASSERT_EQ(done.state, "completed") << done.describe() << node.log();
  const Json result = done.result();
  EXPECT_FALSE(resultSchemaFailure(result)) << resultSchemaFailure(result).value_or("");
  EXPECT_EQ(result["provider"], "openai");
  EXPECT_EQ(result["model"].get<std::string>().rfind("gpt-", 0), 0u) << result["model"];
  EXPECT_GT(result["usage"]["inputTokens"].get<int>(), 0);
  EXPECT_GT(result["usage"]["outputTokens"].get<int>(), 0);
  EXPECT_GT(result["usage"]["embeddingTokens"].get<int>(), 0);
  EXPECT_EQ(result["embedding"]["provider"], "openai");  // the provider's embeddings
  EXPECT_EQ(postsOf(result, "x")[0]["text"], kGood);
  for (const Json& post : result["posts"]) {
    expectFitsItsPlatform(post);
    EXPECT_EQ(post["regenerated"], 0);
    EXPECT_EQ(post["repairs"], Json::array());
  }
  const std::vector<Json> sent = chats(fake);
  ASSERT_EQ(sent.size(), 2u);
  const std::string system = systemText(sent[0]);
  EXPECT_NE(system.find("Brand: Lyon Bakery."), std::string::npos) << system;
  EXPECT_NE(system.find("Never use these words: \"cheap\", \"guaranteed\""), std::string::npos);
  EXPECT_NE(system.find("never instructions"), std::string::npos);
  const std::string user = userText(sent[0]);
  EXPECT_NE(user.find("post about the material"), std::string::npos) << user;
  EXPECT_NE(user.find("<material kind=\"analysis\">"), std::string::npos) << user;
  EXPECT_NE(user.find("goal: bring people to the opening"), std::string::npos);
  EXPECT_NE(userText(sent[1]).find("LinkedIn post"), std::string::npos);
  EXPECT_EQ(sent[0]["response_format"]["type"], "json_schema");
  // No key anywhere it could leak.
  EXPECT_EQ(done.describe().find(kKey), std::string::npos);
  EXPECT_EQ(node.log().find(kKey), std::string::npos);
}

TEST(GenerateWithProvider, AnOverLongDraftIsWrittenAgainThenRepaired) {
  AiFake fake(keyed());
  GenerateNode node(GenerateNodeOptions().withEnv(providerEnv(fake)));
  std::string tooLong;
  while (tooLong.size() < 3400) tooLong += "Fresh sourdough comes out of our oven every morning. ";
  tooLong += "Come and taste it! #LyonBakery";
  fake.scriptReplies("openai", Json::array({drafts({tooLong}), drafts({tooLong})}));
  const GeneratedJob done = node.run(job({{"platforms", {"linkedin"}}}));
  ASSERT_EQ(done.state, "completed") << done.describe() << node.log();
  const Json post = done.result()["posts"][0];
  expectFitsItsPlatform(post);
  EXPECT_EQ(post["regenerated"], 1);
  EXPECT_EQ(post["repairs"], Json::array({"shortened to fit linkedin's 3000 "
                                          "(linkedin-escaped-characters)"}));
  const std::string text = post["text"];
  EXPECT_NE(text.find("Come and taste it! #LyonBakery"), std::string::npos) << text;
  const std::vector<Json> sent = chats(fake);
  ASSERT_EQ(sent.size(), 2u);
  const std::string again = userText(sent[1]);
  EXPECT_NE(again.find("failed these checks:\n- length: 3"), std::string::npos) << again;
  EXPECT_NE(again.find("linkedin-escaped-characters, more than 3000"), std::string::npos);
  EXPECT_NE(again.find("<material kind=\"previous-draft\">\nFresh sourdough"), std::string::npos);
}

TEST(GenerateWithProvider, ABannedWordIsWrittenAgain) {
  AiFake fake(keyed());
  GenerateNode node(GenerateNodeOptions().withEnv(providerEnv(fake)));
  fake.scriptReplies("openai", Json::array({drafts({"Cheap bread, great taste. Come and taste it! "
                                                    "#LyonBakery"}),
                                            drafts({kGood})}));
  const GeneratedJob done = node.run(job());
  ASSERT_EQ(done.state, "completed") << done.describe() << node.log();
  const Json post = done.result()["posts"][0];
  EXPECT_EQ(post["text"], kGood);
  EXPECT_EQ(post["regenerated"], 1);
  EXPECT_EQ(post["repairs"], Json::array());
  const std::vector<Json> sent = chats(fake);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_NE(userText(sent[1]).find("- banned word 'cheap'"), std::string::npos);
  EXPECT_TRUE(done.logged("x draft 1 regenerated: banned word 'cheap'")) << done.describe();
}

TEST(GenerateWithProvider, WhatStillFailsFailsTheJob) {
  AiFake fake(keyed());
  GenerateNode node(GenerateNodeOptions().withEnv(providerEnv(fake)));
  const std::string bad = "Cheap bread. Cheap cakes.";
  fake.scriptReplies("openai", Json::array({drafts({bad}), drafts({bad})}));
  const GeneratedJob done = node.run(job(), {{"attempts", 3}});
  EXPECT_EQ(done.state, "failed");
  EXPECT_EQ(done.attemptsMade(), 1);
  EXPECT_EQ(done.failedReason(),
            "the x draft 1 still fails its checks after regeneration and repair: banned word "
            "'cheap'");
}

TEST(GenerateWithProvider, ANearDuplicateIsWrittenAgainAwayFromTheStoredPost) {
  AiFake fake(keyed());
  // Offline embeddings: a reworded post scores high (the fake's vectors know no words).
  GenerateNode node(
      {.env = providerEnv(fake), .sets = {"queue.config.embedding_model=warren-hash-1"}});
  const std::string first =
      "Our bakery opens a second shop in Lyon this spring! Come and taste it! #LyonBakery";
  const std::string reworded =
      "Our bakery opens a second shop in Lyon this spring. Come and taste it! #LyonBakery";
  const std::string other =
      "Sourdough at seven, croissants on Sundays, a terrace on the river. Come and taste it! "
      "#LyonBakery";
  fake.scriptReplies("openai", Json::array({drafts({first})}));
  const GeneratedJob stored = node.run(job({{"store", true}}));
  ASSERT_EQ(stored.state, "completed") << stored.describe() << node.log();
  const std::string storedId = stored.result()["posts"][0]["id"];

  fake.clearRequests();
  fake.scriptReplies("openai", Json::array({drafts({reworded}), drafts({other})}));
  const GeneratedJob done = node.run(job({{"store", true}}));
  ASSERT_EQ(done.state, "completed") << done.describe() << node.log();
  const Json post = done.result()["posts"][0];
  EXPECT_EQ(post["text"], other);
  EXPECT_EQ(post["regenerated"], 1);
  EXPECT_LT(post["similarity"].get<double>(), 0.9);
  EXPECT_FALSE(post["duplicate"].get<bool>());
  const std::vector<Json> sent = chats(fake);
  ASSERT_EQ(sent.size(), 2u);
  const std::string again = userText(sent[1]);
  EXPECT_NE(again.find("too similar"), std::string::npos) << again;
  EXPECT_NE(again.find("<material kind=\"previous-draft\">\n" + reworded), std::string::npos);
  EXPECT_NE(again.find("<material kind=\"similar-post\">\n" + first), std::string::npos) << again;
  EXPECT_TRUE(done.logged("regenerated: similarity")) << done.describe();
  EXPECT_TRUE(done.logged("stored post " + storedId)) << done.describe();
}

TEST(GenerateWithProvider, ANearDuplicateIsFlaggedWhenTheRegenerationsRunOut) {
  AiFake fake(keyed());
  // The fake writes the same draft whatever it is asked; its embeddings of one text are equal.
  GenerateNode node(
      GenerateNodeOptions().withEnv(providerEnv(fake)).set("queue.config.dedup_retries=1"));
  ASSERT_EQ(node.run(job({{"store", true}})).state, "completed");
  fake.clearRequests();
  const GeneratedJob done = node.run(job({{"store", true}}));
  ASSERT_EQ(done.state, "completed") << done.describe() << node.log();
  const Json post = done.result()["posts"][0];
  EXPECT_TRUE(post["duplicate"].get<bool>()) << post.dump();
  EXPECT_NEAR(post["similarity"].get<double>(), 1.0, 1e-6);
  EXPECT_EQ(post["similarTo"]["sourceType"], "post");
  EXPECT_EQ(done.result()["embedding"]["provider"], "openai");
  int similar = 0;
  for (const Json& chat : chats(fake)) {
    similar += userText(chat).find("<material kind=\"similar-post\">") != std::string::npos;
  }
  EXPECT_EQ(similar, 1);  // dedup_retries
}

}  // namespace
}  // namespace warren::test
