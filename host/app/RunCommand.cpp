// warren run: serve the configured queues until SIGTERM/SIGINT; SIGHUP reloads.
#include "app/Commands.h"
#include "app/Endpoint.h"
#include "app/Node.h"
#include "log/Log.h"

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
  // Refusals (plugin, preflight, Redis) leave through App::main with their exit codes.
  auto node = std::make_unique<Node>(config, [options] { return loadConfig(options); });
  Endpoint endpoint(*node);
  endpoint.setState(http::State::serving);
  log::info("warren started", {{"queues", static_cast<std::int64_t>(config.queues.size())},
                               {"profile", config.profile}});
  for (;;) {
    const int signal = signals.wait(std::chrono::milliseconds(1000));
    if (signal == SIGTERM || signal == SIGINT) break;
    if (signal == SIGHUP) {
      log::info("SIGHUP: reloading");
      node->reload();
    }
    node->watchdog();
  }
  endpoint.setState(http::State::draining);
  node->stop(signals);
  endpoint.setState(http::State::stopping);
  return kExitOk;
}

}  // namespace warren::app
