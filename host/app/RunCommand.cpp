// warren run: serve the configured queues until SIGTERM/SIGINT; SIGHUP reloads. Under systemd
// (Type=notify) it reports READY once the queues serve, keepalives while the control loop runs,
// and STOPPING on SIGTERM.
#include "app/Commands.h"
#include "app/Endpoint.h"
#include "app/Node.h"
#include "lifecycle/Notify.h"
#include "log/Log.h"

#include <algorithm>
#include <csignal>
#include <iostream>

namespace warren::app {

int runCommand(const Options& options) {
  // Taken out of the environment first: no thread runs yet, and no child inherits it.
  lifecycle::Notifier notifier = lifecycle::Notifier::fromEnvironment();
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
  const auto serving = [&node] {
    return "serving " + std::to_string(node->workers().size()) + " queue(s)";
  };
  notifier.ready(serving());
  // The keepalive comes from this loop, which also runs the consumption watchdog: a control loop
  // that hangs stops the keepalives and systemd restarts the node (WatchdogSec in the unit).
  // systemd stops watching once STOPPING=1 is sent; TimeoutStopSec bounds the stop instead.
  for (;;) {
    const auto untilKeepalive = notifier.keepalive().value_or(std::chrono::milliseconds(1000));
    const int signal = signals.wait(
        std::clamp(untilKeepalive, std::chrono::milliseconds(1), std::chrono::milliseconds(1000)));
    if (signal == SIGTERM || signal == SIGINT) break;
    if (signal == SIGHUP) {
      log::info("SIGHUP: reloading");
      notifier.reloading();
      const ReloadOutcome outcome = node->reload();
      notifier.ready(outcome.ok ? serving() : serving() + "; reload refused: " + outcome.error);
    }
    node->watchdog();
  }
  notifier.stopping("stopping: finishing running jobs (up to " +
                    std::to_string(config.shutdownTimeoutMs) + " ms)");
  endpoint.setState(http::State::draining);
  node->stop(signals);
  endpoint.setState(http::State::stopping);
  return kExitOk;
}

}  // namespace warren::app
