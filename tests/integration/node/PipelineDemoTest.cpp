// `warren demo` (the content pipeline) on a bare environment (only PATH and HOME): analyze,
// generate with the near-duplicate caught, publish to the fake platforms it starts itself,
// analytics; exit 0, no key in its output, nothing left running or on disk. And the exit code
// and the step named when the pipeline's plugins are missing.
#include "NodeProcess.h"
#include "Paths.h"
#include "TempDir.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>

namespace warren::test {

std::vector<std::string> processesMentioning(const std::string& text);  // DemoTest.cpp

namespace {

using namespace std::chrono_literals;

CommandResult demo(const TempDir& home, std::vector<std::string> extra = {}) {
  const char* path = std::getenv("PATH");
  std::vector<std::string> args = {"demo"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run(warrenCommand(args),
             {std::string("PATH=") + (path != nullptr ? path : "/usr/bin:/bin"),
              "HOME=" + home.path().string()},
             120s);
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(PipelineDemo, RunsThePipelineOfflineAndPrintsEachPostWithItsMetrics) {
  const TempDir home("warren-pipeline-home");
  const CommandResult r = demo(home);
  ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
  const std::string& out = r.out;
  EXPECT_NE(out.find("fake platforms: warren-fake-platforms on http://127.0.0.1:"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("an embedded Redis (prefix warren-demo), SQLite in "), std::string::npos);
  EXPECT_EQ(count(out, " acc_"), 3u) << out;  // the three accounts, added in-process
  EXPECT_NE(out.find("1. content:analyze: 2 materials of brand lyon-bakery\n"), std::string::npos);
  EXPECT_EQ(count(out, "  analysis "), 2u) << out;
  EXPECT_EQ(count(out, "local/warren-template-1, duplicate check warren-hash-1 (threshold 0.9)"),
            2u)
      << out;
  // The second material nearly repeats the first: its LinkedIn draft is still too close after
  // the regenerations and is held back; its other drafts were written again.
  EXPECT_EQ(count(out, "regenerated 2x  FLAGGED near-duplicate: held back, not published"), 1u)
      << out;
  EXPECT_EQ(count(out, "regenerated 1x\n"), 2u) << out;
  EXPECT_EQ(count(out, " -> https://"), 5u) << out;
  EXPECT_NE(out.find("lifecycle webhook: 5 signed publication.published events\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("  5 snapshots stored in post_metrics\n"), std::string::npos) << out;
  // Each published post with the metrics analytics:collect read back from its platform.
  EXPECT_NE(out.find("  mastodon  https://mastodon.example/@lyonbakery/"), std::string::npos);
  EXPECT_NE(out.find("    likes 12, reposts 2, replies 1, quotes 0\n"), std::string::npos) << out;
  EXPECT_NE(out.find("    likes 32, replies 3\n"), std::string::npos) << out;  // LinkedIn
  EXPECT_NE(out.find("  held back: linkedin post-"), std::string::npos) << out;
  EXPECT_NE(out.find("\ndemo finished: every step ended as expected ("), std::string::npos)
      << out << r.err;
  // The per-run ENCRYPTION_KEY and webhook secret (64 hex digits) are never shown.
  const std::regex key("[0-9a-f]{64}");
  EXPECT_FALSE(std::regex_search(out, key)) << out;
  EXPECT_FALSE(std::regex_search(r.err, key)) << r.err;
  // The fake platforms and the embedded Redis went with the demo, and so did its run directory.
  const auto dataDir = home.path() / ".local" / "share" / "warren";
  const auto left = processesMentioning(home.path().string());
  EXPECT_TRUE(left.empty()) << "still running: " << left.front();
  for (const auto& entry : std::filesystem::directory_iterator(dataDir)) {
    EXPECT_EQ(entry.path().filename().string().rfind("demo-run-", 0), std::string::npos)
        << entry.path();
  }
}

TEST(PipelineDemo, MissingPluginsFailTheSetupStepNamingThem) {
  const TempDir home("warren-pipeline-home");
  const TempDir plugins("warren-no-plugins");
  const CommandResult r = demo(home, {"--set", "node.plugin_dir=" + plugins.path().string()});
  EXPECT_EQ(r.exitCode, 1) << r.out << r.err;
  EXPECT_NE(
      r.out.find("demo FAILED: step setup: the pipeline needs analyze.so, generate.so, "
                 "publish.so in " +
                 plugins.path().string() + " (warren demo --basic runs the echo and video demo)\n"),
      std::string::npos)
      << r.out;
  EXPECT_TRUE(processesMentioning(home.path().string()).empty());
}

}  // namespace
}  // namespace warren::test
