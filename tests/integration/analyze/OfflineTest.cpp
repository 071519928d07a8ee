// content:analyze through `warren run` with no AI provider: the local method on each kind of
// material, results as a BullMQ producer reads them, stored analyses, and the refusals of bad
// input with their exact reasons.
#include "AnalyzeNode.h"
#include "Clips.h"
#include "Images.h"
#include "TempDir.h"

#include "db/Database.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace warren::test {
namespace {

const char* const kBakery =
    "Our bakery opens a second shop in Lyon this spring. The new shop bakes sourdough bread "
    "every morning, and the bakery team adds pastries on Sundays. Visit the shop on Rue de la "
    "République and taste the bread.";

bool contains(const Json& list, const std::string& value) {
  return std::find(list.begin(), list.end(), Json(value)) != list.end();
}

void expectLocal(const Json& result) {
  EXPECT_EQ(result["provider"], "local");
  EXPECT_EQ(result["model"], "warren-local-1");
  EXPECT_EQ(result["usage"], (Json{{"inputTokens", 0}, {"outputTokens", 0}, {"cachedTokens", 0}}));
  EXPECT_FALSE(resultSchemaFailure(result)) << resultSchemaFailure(result).value_or("") << "\n"
                                            << result.dump(2);
}

TEST(AnalyzeOffline, TextFromTheJob) {
  AnalyzeNode node;
  const FinishedJob job = node.run({{"kind", "text"}, {"text", kBakery}});
  ASSERT_EQ(job.state, "completed") << job.describe() << node.log();
  const Json result = job.result();
  expectLocal(result);
  EXPECT_EQ(result["language"], "en");
  EXPECT_TRUE(contains(result["keywords"], "bakery")) << result["keywords"];
  EXPECT_TRUE(contains(result["keywords"], "shop")) << result["keywords"];
  EXPECT_FALSE(result["summary"].get<std::string>().empty());
  EXPECT_EQ(result["source"],
            (Json{{"kind", "text"}, {"characters", 207}, {"analysedCharacters", 207}}));
  EXPECT_EQ(result["counts"]["sentences"], 3);
  EXPECT_FALSE(result.contains("media"));
  EXPECT_FALSE(result.contains("id"));
}

TEST(AnalyzeOffline, ALongTextIsAnalysedUpToTheLimitAndSaysSo) {
  AnalyzeNode node({}, {"queue.content-analyze.config.max_analysed_chars=10000"});
  std::string text;
  while (text.size() < 30000) text += std::string(kBakery) + " ";
  const FinishedJob job = node.run({{"kind", "text"}, {"text", text}});
  ASSERT_EQ(job.state, "completed") << job.describe() << node.log();
  const Json result = job.result();
  const auto characters = std::count_if(text.begin(), text.end(), [](char ch) {
    return (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  });
  EXPECT_EQ(result["source"]["characters"], characters);
  EXPECT_EQ(result["source"]["analysedCharacters"], 10000);
  EXPECT_LE(result["counts"]["characters"].get<int>(), 10000);
}

TEST(AnalyzeOffline, TheSameMaterialGivesTheSameResult) {
  AnalyzeNode node;
  const FinishedJob first = node.run({{"kind", "text"}, {"text", kBakery}});
  const FinishedJob second = node.run({{"kind", "text"}, {"text", kBakery}});
  ASSERT_EQ(first.state, "completed") << first.describe();
  ASSERT_EQ(second.state, "completed") << second.describe();
  EXPECT_EQ(first.result(), second.result());
}

TEST(AnalyzeOffline, AWebPageInStorageIsReducedToItsText) {
  AnalyzeNode node;
  node.putText("pages/menu.html",
               "<html lang=\"en\"><head><title>Spring menu</title><script>var cookieBanner = "
               "'accept cookies tracking';</script></head><body><nav>Home Shop Cart</nav>"
               "<article><p>" +
                   std::string(kBakery) + "</p></article></body></html>");
  const FinishedJob job = node.run({{"kind", "text"}, {"key", "pages/menu.html"}});
  ASSERT_EQ(job.state, "completed") << job.describe() << node.log();
  const Json result = job.result();
  expectLocal(result);
  EXPECT_EQ(result["source"]["title"], "Spring menu");
  EXPECT_EQ(result["source"]["key"], "pages/menu.html");
  EXPECT_EQ(result["source"]["characters"], 207);
  EXPECT_EQ(result.dump().find("cookie"), std::string::npos) << result.dump();
  EXPECT_EQ(result.dump().find("Cart"), std::string::npos) << result.dump();
}

TEST(AnalyzeOffline, AnImagesFactsAndItsCaption) {
  TempDir dir("analyze-image");
  writePng(dir / "flag.png", 256, 128, [](int x, int) {
    return x < 192 ? Rgba{20, 60, 200, 255} : Rgba{250, 250, 250, 255};
  });
  AnalyzeNode node;
  node.put("uploads/flag.png", dir / "flag.png");
  const FinishedJob bare = node.run({{"kind", "image"}, {"key", "uploads/flag.png"}});
  ASSERT_EQ(bare.state, "completed") << bare.describe() << node.log();
  const Json result = bare.result();
  expectLocal(result);
  const Json& media = result["media"];
  EXPECT_EQ(media["type"], "image");
  EXPECT_EQ(media["format"], "png");
  EXPECT_EQ(media["width"], 256);
  EXPECT_EQ(media["height"], 128);
  EXPECT_EQ(media["bytes"], std::filesystem::file_size(dir / "flag.png"));
  ASSERT_EQ(media["colours"].size(), 2u);
  EXPECT_EQ(media["colours"][0], (Json{{"hex", "#143cc8"}, {"name", "blue"}, {"share", 0.75}}));
  EXPECT_EQ(media["colours"][1], (Json{{"hex", "#fafafa"}, {"name", "white"}, {"share", 0.25}}));
  EXPECT_EQ(result["summary"], "A 256\u00d7128 PNG image, mostly blue (#143cc8), with white.");
  EXPECT_EQ(result["language"], "und");
  EXPECT_EQ(result["tone"], "unknown");
  EXPECT_FALSE(result.contains("counts"));

  const FinishedJob captioned =
      node.run({{"kind", "image"}, {"key", "uploads/flag.png"}, {"text", kBakery}});
  ASSERT_EQ(captioned.state, "completed") << captioned.describe();
  EXPECT_EQ(captioned.result()["language"], "en");
  EXPECT_EQ(captioned.result()["media"], media);
  EXPECT_NE(captioned.result()["summary"].get<std::string>().find("PNG image"), std::string::npos);
}

TEST(AnalyzeOffline, AVideosShapeAndItsFramesColours) {
  AnalyzeNode node;
  node.put("uploads/basic.mp4", clip("basic"));
  const FinishedJob job = node.run({{"kind", "video"}, {"key", "uploads/basic.mp4"}});
  ASSERT_EQ(job.state, "completed") << job.describe() << node.log();
  const Json result = job.result();
  expectLocal(result);
  const Json& media = result["media"];
  EXPECT_EQ(media["type"], "video");
  EXPECT_EQ(media["width"], 641);
  EXPECT_EQ(media["height"], 359);
  EXPECT_NEAR(media["durationS"].get<double>(), 3.0, 0.1);
  EXPECT_EQ(media["codec"], "h264");
  EXPECT_EQ(media["hasAudio"], true);
  ASSERT_EQ(media["frames"].size(), 6u);
  EXPECT_NEAR(media["frames"][0]["timeS"].get<double>(), 0.25, 0.01);
  EXPECT_NEAR(media["frames"][5]["timeS"].get<double>(), 2.75, 0.01);
  EXPECT_FALSE(media["frames"][0]["colours"].empty());
  EXPECT_NE(result["summary"].get<std::string>().find("video (h264, with sound)"),
            std::string::npos)
      << result["summary"];
}

TEST(AnalyzeOffline, AStoredAnalysisKeepsItsIdsAndIsWrittenOncePerJob) {
  AnalyzeNode node;
  const Json request = {{"kind", "text"},       {"text", kBakery},     {"store", true},
                        {"materialId", "m-42"}, {"brandProfileId", 7}, {"language", "en"}};
  const FinishedJob job = node.run(request, {{"jobId", "analysis-1"}});
  ASSERT_EQ(job.state, "completed") << job.describe() << node.log();
  const Json result = job.result();
  ASSERT_TRUE(result.contains("id"));
  const std::int64_t id = result["id"];
  // The same job id again (as after a stall): the row is rewritten, not added.
  node.queue().connection().command({"DEL", "bull:content-analyze:analysis-1"});
  node.queue().connection().command({"ZREM", "bull:content-analyze:completed", "analysis-1"});
  const FinishedJob again = node.run(request, {{"jobId", "analysis-1"}});
  ASSERT_EQ(again.state, "completed") << again.describe();
  EXPECT_EQ(again.result()["id"], id);
  node.node().stop(SIGTERM);
  db::Options options;
  options.dataDir = node.node().dataDir().string();
  db::Database database(options);
  const db::DbResult rows = database.query(
      db::Intent::read,
      "SELECT id, queue, job_id, material_id, brand_profile_id, kind, language, provider, model,"
      " analysis FROM content_analyses");
  ASSERT_TRUE(rows.ok) << rows.error;
  const Json stored = Json::parse(rows.rowsJson);
  ASSERT_EQ(stored.size(), 1u) << stored.dump();
  EXPECT_EQ(stored[0]["id"], id);
  EXPECT_EQ(stored[0]["queue"], "content-analyze");
  EXPECT_EQ(stored[0]["job_id"], "analysis-1");
  EXPECT_EQ(stored[0]["material_id"], "m-42");
  EXPECT_EQ(stored[0]["brand_profile_id"], "7");
  EXPECT_EQ(stored[0]["kind"], "text");
  EXPECT_EQ(stored[0]["language"], "en");
  EXPECT_EQ(stored[0]["provider"], "local");
  EXPECT_EQ(stored[0]["model"], "warren-local-1");
  Json analysis = Json::parse(stored[0]["analysis"].get<std::string>());
  Json withoutId = result;
  withoutId.erase("id");
  EXPECT_EQ(analysis, withoutId);
}

// The failed job's reason, and that it was final at once although the job had attempts left.
std::string refused(AnalyzeNode& node, const Json& data) {
  const FinishedJob job = node.run(data, {{"attempts", 3}});
  EXPECT_EQ(job.state, "failed") << job.describe();
  EXPECT_EQ(job.attemptsMade(), 1) << job.describe();
  return job.failedReason();
}

TEST(AnalyzeOffline, BadInputFailsAtOnceWithItsReason) {
  TempDir dir("analyze-refusals");
  AnalyzeNode node({}, {"queue.content-analyze.config.max_text_mb=1"});
  node.putText("uploads/notes.jpg", "not a picture at all");
  node.put("uploads/song.m4a", clip("audio_only"));
  node.putText("uploads/big.txt", std::string(3 << 19, 'a'));
  EXPECT_EQ(refused(node, {{"kind", "audio"}, {"key", "a.mp3"}}),
            "invalid job data for content:analyze: /kind: must be one of text, image, video, url");
  EXPECT_EQ(refused(node, {{"kind", "url"}}),
            "invalid job data for content:analyze: /: missing required property 'url'");
  EXPECT_EQ(refused(node, {{"kind", "image"}, {"key", "uploads/none.png"}}),
            "material 'uploads/none.png' not found in object storage");
  EXPECT_EQ(refused(node, {{"kind", "image"}, {"key", "uploads/notes.jpg"}}),
            "cannot read image 'uploads/notes.jpg': not a JPEG, PNG, GIF or WebP file");
  EXPECT_EQ(refused(node, {{"kind", "video"}, {"key", "uploads/song.m4a"}}),
            "input is not a video: no video stream in 'uploads/song.m4a'");
  EXPECT_EQ(refused(node, {{"kind", "text"}, {"text", std::string(3 << 19, 'a')}}),
            "material over the size cap: the job's text is 1.5 MB, more than analyze.max_text_mb "
            "(1.0 MB)");
  EXPECT_EQ(refused(node, {{"kind", "text"}, {"key", "uploads/big.txt"}}),
            "material over the size cap: 'uploads/big.txt' is 1.5 MB, more than "
            "analyze.max_text_mb (1.0 MB)");
  EXPECT_EQ(refused(node, {{"kind", "text"}, {"text", "   \n  "}}),
            "no text to analyse: the job's text holds none");
  EXPECT_EQ(refused(node, {{"kind", "url"}, {"url", "ftp://example.com/a.txt?token=x"}}),
            "invalid URL 'ftp://example.com/a.txt': only absolute http:// and https:// URLs are "
            "fetched");
}

}  // namespace
}  // namespace warren::test
