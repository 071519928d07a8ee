// warren call PLUGIN JOB_NAME [--data JSON|-|@FILE]: runs one job in this process, with the
// node's database, storage and outbound HTTP and without Redis, and prints its return value.
#include "app/Commands.h"
#include "app/InProcess.h"
#include "log/Log.h"

#include <ctime>
#include <iostream>

namespace warren::app {
namespace {

std::string describeOutcome(const plugins::JobOutcome& outcome) {
  switch (outcome.outcome) {
    case WARREN_JOB_FAILED_UNRECOVERABLE:
      return "failed: " + outcome.error;
    case WARREN_JOB_FAILED_RETRYABLE:
      return "failed (retryable): " + outcome.error;
    case WARREN_JOB_DELAYED:
    case WARREN_JOB_RATE_LIMITED:
      return "asked to be run again later: " + outcome.error;
    default:
      return "ended with outcome " + std::to_string(outcome.outcome) + ": " + outcome.error;
  }
}

}  // namespace

config::Config inProcessConfig(const Options& options) {
  Options layered = options;
  layered.queue.clear();  // call --queue names a configured queue, it does not add one
  config::Config config = loadConfig(layered);
  // A one-shot command keeps stderr for what went wrong unless asked for more.
  if (!options.logLevel && std::getenv("LOG_LEVEL") == nullptr) {
    bool set = false;
    for (const auto& assignment : options.sets) set = set || assignment.rfind("log.level=", 0) == 0;
    if (!set) config.logLevel = "warn";
  }
  setUpLogging(config);
  return config;
}

int printOutcome(const std::string& what, const plugins::JobOutcome& outcome) {
  if (outcome.outcome == WARREN_JOB_COMPLETED) {
    std::cout << outcome.result << "\n";
    return kExitOk;
  }
  std::cerr << "warren: " << what << " " << describeOutcome(outcome) << "\n";
  return kExitFailed;
}

int callCommand(const Options& options) {
  if (options.args.size() != 3) {
    std::cerr << "warren: usage: warren call PLUGIN JOB_NAME [--data JSON|-|@FILE] [--queue Q]\n";
    return kExitUsage;
  }
  const config::Config config = inProcessConfig(options);
  const std::string data = jobDataArgument(options.data);
  InProcessPlugin plugin(config, options.args[1], options.queue);
  const plugins::JobOutcome outcome = plugin.run(
      options.args[2], data, [](const std::string& line) { std::cerr << "log: " << line << "\n"; });
  return printOutcome(options.args[1] + " " + options.args[2], outcome);
}

}  // namespace warren::app
