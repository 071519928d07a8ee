// warren enqueue QUEUE NAME [--data JSON] [--opts JSON] [--wait]
//
// Adds one job as Node's Queue.add would and prints its id (alone on stdout, so scripts can
// capture it). With --wait it then follows the queue's events stream until the job finishes:
// progress updates go to stderr, the return value (JSON) to stdout; exit 1 if the job failed.
#include "app/Commands.h"
#include "queue/Preflight.h"
#include "queue/Producer.h"
#include "redis/Connection.h"
#include "redis/Errors.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <optional>
#include <thread>

namespace warren::app {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kPollInterval{3000};    // job state check, in case events are missed
constexpr milliseconds kMaxBlock{1000};        // XREAD BLOCK per round
constexpr milliseconds kGiveUpOffline{60000};  // Redis unreachable this long while waiting

// Follows the events of one job until it completes or fails for good.
class JobWaiter {
 public:
  JobWaiter(queue::Producer& producer, std::string id, std::string lastEventId)
      : producer_(producer),
        connection_(producer.connection()),
        id_(std::move(id)),
        stream_(producer.keys().key("events")),
        lastId_(std::move(lastEventId)) {}

  int run() {
    auto nextPoll = Clock::now();  // at once: an existing (duplicate) job may be finished already
    auto offlineSince = std::optional<Clock::time_point>();
    for (;;) {
      try {
        if (pollNow_ || Clock::now() >= nextPoll) {
          pollNow_ = false;
          if (const auto code = checkState()) return *code;
          nextPoll = Clock::now() + kPollInterval;
        }
        const auto left = std::chrono::duration_cast<milliseconds>(nextPoll - Clock::now());
        const milliseconds block = std::clamp(left, milliseconds(10), kMaxBlock);
        const redis::Reply reply =
            connection_.command({"XREAD", "COUNT", "100", "BLOCK", std::to_string(block.count()),
                                 "STREAMS", stream_, lastId_},
                                block + connection_.options().commandTimeout);
        if (reply.isError()) throw std::runtime_error("XREAD " + stream_ + ": " + reply.str());
        if (const auto code = handle(reply)) return *code;
        offlineSince.reset();
      } catch (const redis::ConnectionError& e) {
        // The connection reconnects on its next call; give up if Redis stays away.
        if (!offlineSince) offlineSince = Clock::now();
        if (Clock::now() - *offlineSince > kGiveUpOffline) {
          std::cerr << "warren: lost Redis while waiting for job " << id_ << ": " << e.what()
                    << "\n";
          return kExitFailed;
        }
        std::this_thread::sleep_for(milliseconds(500));
      }
    }
  }

 private:
  // Handles an XREAD reply; an exit code once the job is over.
  std::optional<int> handle(const redis::Reply& reply) {
    if (!reply.isArray()) return std::nullopt;  // nil: nothing new
    for (const auto& streamReply : reply.elements()) {
      if (streamReply.elements().size() < 2) continue;
      for (const auto& entry : streamReply.elements()[1].elements()) {
        if (entry.elements().size() < 2) continue;
        lastId_ = entry.elements()[0].str();
        std::map<std::string, std::string> fields;
        const auto& list = entry.elements()[1].elements();
        for (std::size_t i = 0; i + 1 < list.size(); i += 2) {
          fields[list[i].str()] = list[i + 1].str();
        }
        if (fields["jobId"] != id_) continue;
        if (const auto code = onEvent(fields)) return code;
      }
    }
    return std::nullopt;
  }

  std::optional<int> onEvent(std::map<std::string, std::string>& fields) {
    const std::string& event = fields["event"];
    if (event == "progress") {
      std::cerr << "progress: " << fields["data"] << std::endl;
    } else if (event == "completed") {
      std::cout << fields["returnvalue"] << std::endl;
      return kExitOk;
    } else if (event == "failed") {
      // 6.x writes `failed` only for a final failure (retries emit delayed / waiting), but the
      // job may have been retried by hand since: it is over only if it is failed or gone.
      const auto job = producer_.getJob(id_);
      if (!job || job->state == "failed" || job->state == "unknown") {
        std::cerr << "failed: " << fields["failedReason"] << std::endl;
        return kExitFailed;
      }
    } else if (event == "removed") {
      pollNow_ = true;
    }
    return std::nullopt;
  }

  // Reads what is left in the stream without blocking.
  std::optional<int> drain() {
    for (;;) {
      const redis::Reply reply =
          connection_.command({"XREAD", "COUNT", "1000", "STREAMS", stream_, lastId_});
      if (reply.isError()) throw std::runtime_error("XREAD " + stream_ + ": " + reply.str());
      if (!reply.isArray() || reply.elements().empty()) return std::nullopt;
      if (const auto code = handle(reply)) return code;
    }
  }

  // The job's state, for when its events were trimmed away or it vanished.
  std::optional<int> checkState() {
    const auto job = producer_.getJob(id_);
    if (job && job->state != "completed" && job->state != "failed" && job->state != "unknown") {
      return std::nullopt;
    }
    // Over, or gone: its last events may still be unread (they carry the result).
    if (const auto code = drain()) return code;
    if (job && job->state == "completed") {
      std::cout << job->returnvalue.value_or("null") << std::endl;
      return kExitOk;
    }
    if (job && job->state == "failed") {
      std::cerr << "failed: " << job->failedReason.value_or("") << std::endl;
      return kExitFailed;
    }
    std::cerr << "warren: job " << id_ << " no longer exists (removed before it finished)"
              << std::endl;
    return kExitFailed;
  }

  queue::Producer& producer_;
  redis::Connection& connection_;
  std::string id_;
  std::string stream_;
  std::string lastId_;
  bool pollNow_ = false;
};

// The id of the newest event, so that waiting starts before the job exists ("0-0": none yet).
std::string lastEventId(redis::Connection& connection, const std::string& stream) {
  const redis::Reply reply = connection.command({"XREVRANGE", stream, "+", "-", "COUNT", "1"});
  if (reply.isError()) throw std::runtime_error("XREVRANGE " + stream + ": " + reply.str());
  if (reply.isArray() && !reply.elements().empty() && !reply.elements()[0].elements().empty()) {
    return reply.elements()[0].elements()[0].str();
  }
  return "0-0";
}

}  // namespace

int enqueueCommand(const Options& options) {
  const auto& args = options.args;
  if (args.size() != 3) {
    std::cerr << "warren: usage: warren enqueue QUEUE NAME [--data JSON] [--opts JSON] [--wait]\n";
    return kExitUsage;
  }
  const std::string& queueName = args[1];
  const std::string& jobName = args[2];
  const config::Config config = loadConfig(options);
  setUpLogging(config);

  queue::PreparedJob job;
  try {
    queue::Keys(config.redisPrefix, queueName);  // checks the queue name
    job = queue::prepareJob({jobName, options.data, options.opts});
  } catch (const std::invalid_argument& e) {
    std::cerr << "warren: " << e.what() << "\n";
    return kExitUsage;
  }

  // Unreachable Redis (exit 1) and a refused server (exit 78) leave through App::main.
  const auto connection = connectToRedis(config, queue::Keys(config.redisPrefix, queueName).base());
  queue::preflight(*connection);
  queue::Producer producer(*connection, config.redisPrefix, queueName);
  // Read the stream position BEFORE adding, so that no event of the job can be missed.
  const std::string since =
      options.wait ? lastEventId(*connection, producer.keys().key("events")) : "";
  const std::string id = producer.add(job);
  std::cout << id << std::endl;
  if (!options.wait) return kExitOk;
  return JobWaiter(producer, id, since).run();
}

}  // namespace warren::app
