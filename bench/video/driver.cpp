// Runs one video job in-process, as the host does (the host's loader, a local-directory store as
// the storage service), and reports its wall time and the process's peak RSS.
//
//   video_bench_driver STORE_DIR JOB_NAME DATA_JSON [KEY=VALUE]...   (plugin config)
//
// Prints the job's outcome line, then "wall_s <seconds>" and "peak_rss_kb <kB>" (getrusage's
// ru_maxrss) and "baseline_rss_kb <kB>" (the peak before the job ran: the loaded host, plugin
// and FFmpeg libraries). Exit code 0 when the job completed, 1 when it failed, 2 on bad usage.
#include "plugins/HostApi.h"
#include "plugins/Instance.h"
#include "plugins/JobContext.h"
#include "plugins/Library.h"
#include "storage/LocalStore.h"
#include "storage/StorageService.h"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

namespace {

long peakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // kilobytes on Linux
}

std::filesystem::path pluginPath(const char* argv0) {
  if (const char* dir = std::getenv("WARREN_PLUGIN_DIR"))
    return std::filesystem::path(dir) / "video.so";
  // The build tree: <build>/bench/video/driver → <build>/lib/warren/plugins/video.so
  const auto self = std::filesystem::canonical("/proc/self/exe");
  (void)argv0;
  return self.parent_path().parent_path().parent_path() / "lib/warren/plugins/video.so";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace warren;
  if (argc < 4) {
    std::cerr << "usage: " << argv[0] << " STORE_DIR JOB_NAME DATA_JSON [KEY=VALUE]...\n";
    return 2;
  }
  plugins::ConfigValues config;
  for (int i = 4; i < argc; ++i) {
    const std::string pair = argv[i];
    const auto eq = pair.find('=');
    if (eq == std::string::npos) {
      std::cerr << "config must be KEY=VALUE, not '" << pair << "'\n";
      return 2;
    }
    config[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  try {
    storage::LocalStore store(argv[1]);
    plugins::installServices(
        plugins::OptionalServices{nullptr, nullptr, storage::storageApi(store)});
    plugins::Instance instance(plugins::Library::load(pluginPath(argv[0])), config,
                               "video-process");
    plugins::JobInput input;
    input.id = "bench";
    input.name = argv[2];
    input.queue = "video-process";
    input.data = argv[3];
    plugins::JobContext context(std::move(input), plugins::JobSinks{});
    const long baseline = peakRssKb();
    const auto begin = std::chrono::steady_clock::now();
    const plugins::JobOutcome outcome = instance.handle(context);
    const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - begin;
    if (outcome.outcome == WARREN_JOB_COMPLETED) {
      std::cout << "completed " << outcome.result << "\n";
    } else {
      std::cout << "failed " << outcome.error << "\n";
    }
    std::printf("wall_s %.3f\npeak_rss_kb %ld\nbaseline_rss_kb %ld\n", wall.count(), peakRssKb(),
                baseline);
    return outcome.outcome == WARREN_JOB_COMPLETED ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "video_bench_driver: " << e.what() << "\n";
    return 2;
  }
}
