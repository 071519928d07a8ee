// `warren demo --basic` on a bare environment (only PATH and HOME): it starts its own
// redis-server in HOME/.local/share/warren, runs the batch, prints the results, exits 0, and
// leaves no redis-server behind. A second run in the same HOME works too. The pipeline demo
// (`warren demo`) is PipelineDemoTest.cpp.
#include "NodeProcess.h"
#include "Paths.h"
#include "TempDir.h"

#include <dirent.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

namespace warren::test {

using namespace std::chrono_literals;

// Pids of live processes whose command line mentions `text` (PipelineDemoTest.cpp uses it too).
std::vector<std::string> processesMentioning(const std::string& text) {
  std::vector<std::string> found;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return found;
  while (const dirent* entry = ::readdir(proc)) {
    const std::string pid = entry->d_name;
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream cmdline("/proc/" + pid + "/cmdline", std::ios::binary);
    std::string line((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
    std::ifstream stat("/proc/" + pid + "/stat");
    std::string status;
    std::getline(stat, status);
    const auto close = status.rfind(')');
    const bool zombie =
        close != std::string::npos && close + 2 < status.size() && status[close + 2] == 'Z';
    if (!zombie && line.find(text) != std::string::npos) found.push_back(pid + ": " + line);
  }
  ::closedir(proc);
  return found;
}

namespace {

CommandResult demo(const TempDir& home) {
  const char* path = std::getenv("PATH");
  return run(warrenCommand({"demo", "--basic"}),
             {std::string("PATH=") + (path != nullptr ? path : "/usr/bin:/bin"),
              "HOME=" + home.path().string()},
             120s);
}

TEST(NodeDemo, RunsOnAnEmptyEnvironmentAndLeavesNoRedisBehind) {
  const TempDir home("warren-node-home");
  const auto dataDir = home.path() / ".local" / "share" / "warren";
  for (int round = 1; round <= 2; ++round) {
    const CommandResult r = demo(home);
    EXPECT_EQ(r.exitCode, 0) << "round " << round << "\n" << r.out << r.err;
    EXPECT_NE(
        r.out.find("warren demo: starting the host with the echo and video plugins and an embedded "
                   "Redis\n"),
        std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("\nresults:\n"), std::string::npos) << r.out;
    // The video plugin's part: a clip made with the ffmpeg command, transcoded to a preset.
    EXPECT_NE(r.out.find("video:transcode completed  attempts 1  returned {\"renditions\":"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("returned {\"post\":\"Hello from Warren\"}"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\ndemo finished: every job ended as expected\n"), std::string::npos)
        << r.out << r.err;
    EXPECT_TRUE(std::filesystem::exists(dataDir / "redis.log")) << "round " << round;
    // The embedded server went with the demo (it is stopped, not merely orphaned).
    const auto left = processesMentioning(dataDir.string());
    EXPECT_TRUE(left.empty()) << "still running after round " << round << ": " << left.front();
  }
}

}  // namespace
}  // namespace warren::test
