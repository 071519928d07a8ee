#include "app/App.h"

#include "app/Commands.h"
#include "config/Config.h"
#include "db/Database.h"
#include "plugins/Descriptor.h"
#include "queue/Preflight.h"
#include "redis/Errors.h"

#include <warren/plugin.h>

#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>

#include <iostream>

namespace warren::app {
namespace {

Poco::Util::Option option(const char* full, const char* shortName, const char* help,
                          const char* argument = nullptr, bool repeatable = false) {
  Poco::Util::Option o(full, shortName, help, false);
  if (argument != nullptr) o.argument(argument);
  o.repeatable(repeatable);
  return o;
}

// Prints the option list alone: HelpFormatter::format would add a "usage:" line of its own,
// which our hand-written usage block above already covers.
class OptionList : public Poco::Util::HelpFormatter {
 public:
  using HelpFormatter::formatOptions;
  using HelpFormatter::HelpFormatter;
};

}  // namespace

void App::defineOptions(Poco::Util::OptionSet& set) {
  // Poco's own options (config files etc.) are not used: ours are layered by config::resolve.
  set.addOption(option("help", "h", "print this help and exit"));
  set.addOption(option("version", "V", "print the version and exit"));
  set.addOption(option("config", "c", "config file (INI)", "FILE"));
  set.addOption(option("set", "s", "set a config key (repeatable), e.g. --set log.level=debug",
                       "KEY=VALUE", true));
  set.addOption(option("log-level", "", "same as --set log.level=LEVEL", "LEVEL"));
  set.addOption(
      option("plugin", "p", "run: serve one queue with this plugin (name or path)", "PLUGIN"));
  set.addOption(option(
      "queue", "q",
      "run: the queue served with --plugin; call: the configured queue whose plugin config to use",
      "QUEUE"));
  set.addOption(option("concurrency", "n", "run: jobs at once for --queue", "N"));
  set.addOption(
      option("data", "d", "enqueue, call: job data (JSON; call: also - for stdin, @FILE)", "JSON"));
  set.addOption(
      option("opts", "o", "enqueue: job options (JSON, as bullmq's JobsOptions)", "JSON"));
  set.addOption(option("wait", "w", "enqueue: wait for the job to finish"));
  set.addOption(option("posts-per-day", "", "plan: posts per day", "N"));
  set.addOption(option("materials-per-day", "", "plan: materials per day (default 0)", "M"));
  set.addOption(option("observed", "", "plan: use p95 durations and queue depths read from Redis"));
  set.addOption(option("json", "", "plan, accounts list: print JSON instead of a table"));
  set.addOption(option("basic", "", "demo: the echo and video batch instead of the pipeline"));
  set.addOption(option("timeout", "", "drain: seconds to wait for running jobs (default 60)", "S"));
  set.addOption(option("id", "", "dlq: one dead letter (its id in the dead-letter queue)", "ID"));
  set.addOption(
      option("reason", "", "cancel: why (the job fails with \"cancelled: TEXT\")", "TEXT"));
}

void App::handleOption(const std::string& name, const std::string& value) {
  if (name == "help")
    helpRequested_ = true;
  else if (name == "version")
    versionRequested_ = true;
  else if (name == "config")
    options_.configFile = value;
  else if (name == "set")
    options_.sets.push_back(value);
  else if (name == "log-level")
    options_.logLevel = value;
  else if (name == "plugin")
    options_.plugin = value;
  else if (name == "queue")
    options_.queue = value;
  else if (name == "concurrency")
    options_.concurrency = value;
  else if (name == "data")
    options_.data = value;
  else if (name == "opts")
    options_.opts = value;
  else if (name == "wait")
    options_.wait = true;
  else if (name == "posts-per-day")
    options_.postsPerDay = value;
  else if (name == "materials-per-day")
    options_.materialsPerDay = value;
  else if (name == "observed")
    options_.observed = true;
  else if (name == "json")
    options_.json = true;
  else if (name == "basic")
    options_.basic = true;
  else if (name == "timeout")
    options_.timeout = value;
  else if (name == "id")
    options_.id = value;
  else if (name == "reason")
    options_.reason = value;
}

void App::printHelp() const {
  std::cout <<
      R"(warren — a native worker host for BullMQ queues

Usage:
  warren run [--config FILE] [--set KEY=VALUE]...    serve the queues of the config
  warren run --plugin NAME|PATH --queue QUEUE [--concurrency N]
                                                     serve one queue (REDIS_URL from the env)
  warren demo [--basic]                              the content pipeline on embedded defaults,
                                                     offline: analyze, generate, publish to local
                                                     fake platforms, collect metrics; --basic: a
                                                     small batch of echo (and video) jobs
  warren plugins list                                list the plugins in the plugin directory
  warren plugins inspect FILE.so                     print a plugin's descriptor, or why it is
                                                     refused (exit 2)
  warren enqueue QUEUE NAME [--data JSON] [--opts JSON] [--wait]
                                                     add a job (options as bullmq's JobsOptions);
                                                     prints its id. --wait: then print its return
                                                     value, or exit 1 if it failed
  warren status [QUEUE...]                           job counts per state (default: the queues of
                                                     the config, else all under the prefix)
  warren plan --posts-per-day N [--materials-per-day M] [--observed] [--json]
                                                     capacity plan: workers, DB connections,
                                                     Redis memory, tier (docs/sizing.md)
  warren call PLUGIN JOB_NAME [--data JSON|-|@FILE] [--queue Q]
                                                     run one job in this process with the
                                                     node's database, storage and HTTP (no
                                                     Redis); prints its return value
  warren accounts add|list|disable|reauth|reencrypt  the publish plugin's platform accounts
                                                     (warren accounts for the fields); tokens
                                                     from env vars or stdin, never printed
  warren drain [--timeout S]                         ask the local node (admin API) to stop
                                                     taking jobs; exit 0 once it is empty
  warren resume                                      undo a drain
  warren cancel QUEUE ID [--reason TEXT]             cancel a job: one not started yet fails at
                                                     once, a running one is stopped by its node;
                                                     it ends failed "cancelled: TEXT", no retry
  warren dlq list|replay|purge QUEUE [--id ID]       a dead-letter queue (queue.NAME.dead_letter):
                                                     print its dead letters, add them back to the
                                                     queue they came from, or remove them
  warren --help | --version

Options:
)";
  OptionList formatter(options());
  formatter.setUnixStyle(true);
  formatter.setIndent(4);
  formatter.setWidth(100);
  formatter.formatOptions(std::cout);
  std::cout << "\nConfiguration keys (file → environment → --set; later wins):\n";
  for (const auto& [key, help] : config::describeKeys()) {
    std::cout << "  " << key << "\n      " << help << "\n";
  }
}

int App::main(const std::vector<std::string>& args) {
  if (helpRequested_) {
    printHelp();
    return kExitOk;
  }
  if (versionRequested_) {
    std::cout << "warren " << WARREN_VERSION << " (plugin ABI " << WARREN_ABI_MAJOR << "."
              << WARREN_ABI_MINOR << ")\n";
    return kExitOk;
  }
  options_.args = args;
  if (args.empty()) {
    std::cerr << "warren: no command given. See warren --help\n";
    return kExitUsage;
  }
  try {
    const std::string& command = args.front();
    if (command == "run") return runCommand(options_);
    if (command == "demo") return demoCommand(options_);
    if (command == "plugins") return pluginsCommand(options_);
    if (command == "enqueue") return enqueueCommand(options_);
    if (command == "status") return statusCommand(options_);
    if (command == "plan") return planCommand(options_);
    if (command == "call") return callCommand(options_);
    if (command == "accounts") return accountsCommand(options_);
    if (command == "drain") return drainCommand(options_, true);
    if (command == "resume") return drainCommand(options_, false);
    if (command == "cancel") return cancelCommand(options_);
    if (command == "dlq") return dlqCommand(options_);
    std::cerr << "warren: unknown command '" << command << "'. See warren --help\n";
    return kExitUsage;
  } catch (const config::ConfigError& e) {
    std::cerr << "warren: " << e.what() << "\n";
    return kExitConfig;
  } catch (const queue::PreflightError& e) {
    std::cerr << "warren: " << e.what() << "\n";
    return kExitConfig;
  } catch (const plugins::PluginError& e) {
    std::cerr << "warren: " << e.what() << "\n";
    return kExitRefused;
  } catch (const redis::ConnectionError& e) {
    std::cerr << "warren: cannot reach Redis: " << e.what() << "\n";
    return kExitFailed;
  } catch (const db::DbError& e) {
    // A URL or option that can never work is configuration; an unreachable server is not.
    std::cerr << "warren: " << e.what() << "\n";
    return e.kind() == db::ErrorKind::invalid ? kExitConfig : kExitFailed;
  } catch (const std::runtime_error& e) {  // the embedded Redis, a Redis reply, ...
    std::cerr << "warren: " << e.what() << "\n";
    return kExitFailed;
  }
}

}  // namespace warren::app
