// The job contract of docs/jobs.md: every plugin's schemas compile, every example in the page
// validates against its job's schema, every documented job type has a data and a result
// example, and data a web app could get wrong is refused naming the field.
#include "json/Schema.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace warren::test {
namespace {

const std::filesystem::path kSource = WARREN_TEST_SOURCE_DIR;

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The job types with schemas, and their plugin's folder.
const std::map<std::string, std::string> kJobs = {
    {"content:analyze", "analyze"}, {"content:generate", "generate"}, {"video:probe", "video"},
    {"video:transcode", "video"},   {"video:thumbnail", "video"},     {"video:frames", "video"},
};

// plugins/<plugin>/schemas/<job with ':' as '-'>.<part>.json
json::Schema schemaOf(const std::string& job, const std::string& part) {
  std::string stem = job;
  stem.replace(stem.find(':'), 1, "-");
  const auto path = kSource / "plugins" / kJobs.at(job) / "schemas" / (stem + "." + part + ".json");
  return json::Schema::compile(read(path));
}

struct Example {
  std::string job;
  std::string part;  // data or result
  std::string json;
  int line;
};

// The blocks of docs/jobs.md fenced as ```json <job> <data|result>.
std::vector<Example> examples() {
  std::istringstream page(read(kSource / "docs" / "jobs.md"));
  std::vector<Example> found;
  Example* open = nullptr;
  int number = 0;
  for (std::string line; std::getline(page, line);) {
    ++number;
    if (open != nullptr) {
      if (line.rfind("```", 0) == 0) {
        open = nullptr;
      } else {
        open->json += line + "\n";
      }
      continue;
    }
    std::istringstream fence(line);
    std::string marker, job, part;
    fence >> marker >> job >> part;
    if (marker == "```json" && !job.empty()) {
      found.push_back(Example{job, part, "", number});
      open = &found.back();
    }
  }
  return found;
}

TEST(JobContract, EveryPluginSchemaCompiles) {
  int compiled = 0;
  for (const auto& plugin : std::filesystem::directory_iterator(kSource / "plugins")) {
    const auto schemas = plugin.path() / "schemas";
    if (!std::filesystem::is_directory(schemas)) continue;
    for (const auto& file : std::filesystem::directory_iterator(schemas)) {
      if (file.path().extension() != ".json") continue;
      EXPECT_NO_THROW(json::Schema::compile(read(file.path()))) << file.path();
      ++compiled;
    }
  }
  EXPECT_GE(compiled, 13);  // analyze: 3, generate: 2, video: 8
}

TEST(JobContract, EveryExampleInDocsValidates) {
  const std::vector<Example> all = examples();
  ASSERT_FALSE(all.empty());
  std::map<std::string, int> seen;
  for (const Example& example : all) {
    ASSERT_TRUE(kJobs.count(example.job))
        << "docs/jobs.md:" << example.line << ": job " << example.job << " has no schemas";
    ASSERT_TRUE(example.part == "data" || example.part == "result")
        << "docs/jobs.md:" << example.line << ": '" << example.part << "'";
    const auto failure = schemaOf(example.job, example.part).validate(example.json);
    EXPECT_FALSE(failure) << "docs/jobs.md:" << example.line << " (" << example.job << " "
                          << example.part << "): " << failure.value_or("");
    ++seen[example.job + " " + example.part];
  }
  for (const auto& [job, plugin] : kJobs) {
    EXPECT_GE(seen[job + " data"], 1) << job << " has no data example";
    EXPECT_GE(seen[job + " result"], 1) << job << " has no result example";
  }
}

std::string refusal(const std::string& job, const std::string& data) {
  return schemaOf(job, "data").validate(data).value_or("(accepted)");
}

TEST(JobContract, AnalyzeDataAWebAppCouldGetWrong) {
  EXPECT_NE(refusal("content:analyze", R"({"kind":"audio","key":"a.mp3"})").find("/kind"),
            std::string::npos);
  EXPECT_NE(refusal("content:analyze", R"({"text":"hello"})").find("'kind'"), std::string::npos);
  EXPECT_NE(refusal("content:analyze", R"({"kind":"url"})").find("'url'"), std::string::npos);
  EXPECT_NE(refusal("content:analyze", R"({"kind":"image","text":"caption"})").find("'key'"),
            std::string::npos);
  EXPECT_NE(
      refusal("content:analyze", R"({"kind":"text","text":"x","materialID":1})").find("materialID"),
      std::string::npos);
  EXPECT_NE(
      refusal("content:analyze", R"({"kind":"text","text":"x","store":"yes"})").find("/store"),
      std::string::npos);
  EXPECT_NE(refusal("content:analyze", R"({"kind":"text","text":"x","language":"english!"})")
                .find("/language"),
            std::string::npos);
  EXPECT_NE(refusal("content:analyze", R"({"kind":"url","url":"https://a.example","text":"x"})")
                .find("/text"),
            std::string::npos);
  EXPECT_EQ(refusal("content:analyze", R"({"kind":"text","key":"notes/a.txt"})"), "(accepted)");
}

TEST(JobContract, GenerateDataAWebAppCouldGetWrong) {
  const std::string base = R"("brandProfileId":7,"analysisId":1,"platforms":["x"])";
  EXPECT_EQ(refusal("content:generate", "{" + base + "}"), "(accepted)");
  EXPECT_NE(
      refusal("content:generate", R"({"analysisId":1,"platforms":["x"]})").find("'brandProfileId'"),
      std::string::npos);
  EXPECT_NE(
      refusal("content:generate", R"({"brandProfileId":7,"analysisId":1,"platforms":["myspace"]})")
          .find("/platforms/0"),
      std::string::npos);
  EXPECT_NE(refusal("content:generate", R"({"brandProfileId":7,"analysisId":1,"platforms":[]})")
                .find("/platforms"),
            std::string::npos);
  EXPECT_NE(refusal("content:generate", R"({"brandProfileId":7,"platforms":["x"]})"), "(accepted)");
  EXPECT_NE(refusal("content:generate",
                    R"({"brandProfileId":7,"analysisId":1,"materialId":"m","platforms":["x"]})"),
            "(accepted)");
  EXPECT_NE(refusal("content:generate", "{" + base + R"(,"variants":9})").find("/variants"),
            std::string::npos);
  EXPECT_NE(
      refusal("content:generate", "{" + base + R"(,"scheduleAt":"tomorrow"})").find("/scheduleAt"),
      std::string::npos);
  EXPECT_NE(refusal("content:generate", "{" + base + R"(,"brand":{"emojiPolicy":"lots"}})")
                .find("/brand/emojiPolicy"),
            std::string::npos);
  EXPECT_NE(refusal("content:generate", "{" + base + R"(,"accounts":{"myspace":"a"}})"),
            "(accepted)");
  EXPECT_NE(refusal("content:generate", "{" + base + R"(,"platform":"x"})").find("platform"),
            std::string::npos);
}

TEST(JobContract, VideoDataAWebAppCouldGetWrong) {
  EXPECT_NE(refusal("video:probe", "{}").find("'input'"), std::string::npos);
  EXPECT_NE(refusal("video:transcode", R"({"input":"a.mp4","renditions":[]})").find("/renditions"),
            std::string::npos);
  EXPECT_NE(refusal("video:transcode", R"({"input":"a.mp4","renditions":["story"]})"),
            "(accepted)");
  EXPECT_NE(refusal("video:transcode", R"({"input":"a.mp4","renditions":["square"],"crf":52})")
                .find("/crf"),
            std::string::npos);
  EXPECT_NE(refusal("video:frames", R"({"input":"a.mp4","count":0})").find("/count"),
            std::string::npos);
  EXPECT_NE(refusal("video:thumbnail", R"({"input":"a.mp4","format":"gif"})").find("/format"),
            std::string::npos);
  EXPECT_EQ(refusal("video:thumbnail", R"({"input":"a.mp4","times_s":null,"count":null})"),
            "(accepted)");
}

}  // namespace
}  // namespace warren::test
