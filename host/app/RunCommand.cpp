// warren run: serve the configured queues until SIGTERM/SIGINT.
#include "app/Commands.h"
#include "app/Endpoint.h"
#include "app/Node.h"
#include "log/Log.h"
#include "plugins/Descriptor.h"
#include "queue/Preflight.h"
#include "redis/Errors.h"

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
  std::unique_ptr<Node> node;
  try {
    node = std::make_unique<Node>(config);
  } catch (const plugins::PluginError& e) {
    std::cerr << "warren: " << e.what() << "\n";
    return kExitRefused;
  } catch (const queue::PreflightError& e) {
    std::cerr << "warren: " << e.what() << "\n";
    return kExitConfig;
  } catch (const redis::ConnectionError& e) {
    std::cerr << "warren: cannot reach Redis: " << e.what() << "\n";
    return kExitFailed;
  } catch (const lifecycle::EmbeddedRedisError& e) {
    std::cerr << "warren: " << e.what() << "\n";
    return kExitFailed;
  }
  Endpoint endpoint(*node);
  endpoint.setState(http::State::serving);
  log::info("warren started", {{"queues", static_cast<std::int64_t>(config.queues.size())},
                               {"profile", config.profile}});
  for (;;) {
    const int signal = signals.wait(std::chrono::milliseconds(1000));
    if (signal == SIGTERM || signal == SIGINT) break;
  }
  endpoint.setState(http::State::draining);
  node->stop(signals);
  endpoint.setState(http::State::stopping);
  return kExitOk;
}

}  // namespace warren::app
