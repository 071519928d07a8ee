// warren run: serve the configured queues until SIGTERM/SIGINT.
#include "app/Commands.h"
#include "lifecycle/Signals.h"
#include "log/Log.h"
#include "plugins/Instance.h"

#include <csignal>
#include <iostream>

namespace warren::app {

int runCommand(const Options& options) {
  const config::Config config = loadConfig(options);
  setUpLogging(config);
  if (config.queues.empty()) {
    throw config::ConfigError(
        "no queues to serve: give --plugin and --queue, or queue.NAME.plugin in a config file");
  }
  lifecycle::Signals signals;  // before any thread starts

  std::vector<std::unique_ptr<plugins::Instance>> instances;
  try {
    for (const auto& queue : config.queues) {
      const auto path = plugins::Library::resolve(queue.plugin, config.pluginDir);
      instances.push_back(std::make_unique<plugins::Instance>(plugins::Library::load(path),
                                                              queue.pluginConfig, queue.name));
    }
  } catch (const plugins::PluginError& e) {
    std::cerr << "warren: " << e.what() << "\n";
    return kExitRefused;
  }
  log::info("warren started", {{"queues", static_cast<std::int64_t>(config.queues.size())},
                               {"profile", config.profile}});
  for (;;) {
    const int signal = signals.wait(std::chrono::milliseconds(1000));
    if (signal == SIGTERM || signal == SIGINT) break;
  }
  log::info("warren stopping");
  instances.clear();
  log::info("warren stopped");
  return kExitOk;
}

}  // namespace warren::app
