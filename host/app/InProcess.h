// One plugin loaded in this process with the node's services (database, outbound HTTP, object
// storage) and no Redis, to run single jobs: `warren call` and `warren accounts`. The jobs it
// runs have no queue (warren_job_api.queue returns ""), which is how a plugin tells an
// operator's in-process call from a job taken off a queue.
#pragma once

#include "app/Services.h"
#include "config/Config.h"
#include "plugins/Instance.h"

#include <memory>
#include <string>

namespace warren::app {

class InProcessPlugin {
 public:
  // Loads `plugin` (a name in the plugin directory or a path), runs its migrations (the
  // descriptor's, then queue.NAME.migrations), and initialises it with the config of the first
  // queue served by it (or of `queue` when given) plus the node's security.* values. Throws
  // plugins::PluginError, config::ConfigError, db::DbError.
  InProcessPlugin(const config::Config& config, const std::string& plugin,
                  const std::string& queue = {});

  // Runs one job on this thread. Job log lines go to `logLine` when it is set.
  plugins::JobOutcome run(const std::string& name, const std::string& data,
                          const std::function<void(const std::string&)>& logLine = {});

  const plugins::PluginInfo& info() const { return instance_->info(); }

 private:
  Services services_;
  std::shared_ptr<plugins::Instance> instance_;
};

// Job data given on the command line: JSON text, "-" (read stdin) or "@FILE".
std::string jobDataArgument(const std::string& text);

}  // namespace warren::app
