// What the host reads from the plugin before running it: the job names it serves, its resource
// class and the memory one job may take (what the dispatcher budgets with).
#include "Paths.h"

#include "plugins/Library.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace warren::test {
namespace {

TEST(VideoDescriptor, DeclaresJobsCpuClassMemoryAndConfig) {
  const auto library = plugins::Library::load(builtPlugin("video"));
  const plugins::PluginInfo& info = library->info();
  EXPECT_EQ(info.name, "video");
  EXPECT_EQ(info.jobNames, (std::vector<std::string>{"video:probe", "video:transcode",
                                                     "video:thumbnail", "video:frames"}));
  EXPECT_EQ(info.resourceClass, WARREN_RESOURCE_CPU);
  EXPECT_EQ(info.memoryPerJobBytes, 448ull << 20);
  EXPECT_EQ(info.defaultConcurrency, 1u);
  std::vector<std::string> keys;
  for (const auto& key : info.config) keys.push_back(key.name);
  for (const char* expected : {"threads", "max_input_mb", "max_duration_s", "max_width",
                               "max_height", "temp_dir", "allow_file_urls", "crf"}) {
    EXPECT_NE(std::find(keys.begin(), keys.end(), expected), keys.end()) << expected;
  }
}

}  // namespace
}  // namespace warren::test
