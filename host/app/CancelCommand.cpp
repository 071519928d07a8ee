// warren cancel QUEUE ID [--reason TEXT]
//
// Cancels one job by its id from any machine that reaches the Redis (queue::cancelJob,
// docs/reliability.md): a job that has not started fails at once with "cancelled: <reason>"; an
// active job's Warren node is told and the job ends failed the same way. Exit 0 when the job was
// failed or its worker asked, 1 when there was nothing to cancel.
#include "app/Commands.h"
#include "queue/Cancel.h"
#include "queue/Preflight.h"

#include <iostream>

namespace warren::app {

int cancelCommand(const Options& options) {
  const auto& args = options.args;
  if (args.size() != 3 || args[2].empty()) {
    std::cerr << "warren: usage: warren cancel QUEUE ID [--reason TEXT]\n";
    return kExitUsage;
  }
  const config::Config config = loadConfig(options);
  setUpLogging(config);
  std::optional<queue::Keys> keys;
  try {
    keys.emplace(config.redisPrefix, args[1]);
  } catch (const std::invalid_argument& e) {
    std::cerr << "warren: " << e.what() << "\n";
    return kExitUsage;
  }
  const auto connection = connectToRedis(config, keys->base());
  queue::preflight(*connection);
  const std::string reason = options.reason.value_or("");
  // The worker default of removeOnFail, when this configuration serves the queue.
  std::string keepDefault;
  for (const auto& q : config.queues)
    if (q.name == keys->queue()) keepDefault = q.removeOnFail;
  const queue::CancelResult result =
      queue::cancelJob(*connection, *keys, args[2], reason, keepDefault);
  const std::string line = queue::describe(result, *keys, args[2], reason);
  const bool done = result.outcome == queue::CancelResult::Outcome::failed ||
                    result.outcome == queue::CancelResult::Outcome::signalled;
  (done ? std::cout : std::cerr) << (done ? "" : "warren: ") << line << "\n";
  return done ? kExitOk : kExitFailed;
}

}  // namespace warren::app
