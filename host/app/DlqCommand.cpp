// warren dlq list|replay|purge QUEUE [--id ID]
//
// A dead-letter queue's dead letters (queue.NAME.dead_letter; queue::DeadLetterQueue,
// docs/reliability.md): `list` prints one line per dead letter (with --id: one in full),
// `replay` adds each (or the one) back to the queue it came from and removes the dead letter,
// `purge` removes them. Exit 1 when a replay or purge was refused or found nothing.
#include "app/Commands.h"
#include "plugins/JobContext.h"
#include "queue/DeadLetterQueue.h"
#include "queue/Preflight.h"

#include <iostream>

namespace warren::app {
namespace {

// The first line of a reason, at most `limit` bytes, for one row of the list.
std::string shortened(const std::string& text, std::size_t limit = 100) {
  std::string line = text.substr(0, text.find('\n'));
  if (line.size() > limit) line = line.substr(0, limit - 3) + "...";
  return line;
}

std::string when(std::int64_t ms) {
  return ms > 0 ? plugins::isoTime(ms) : std::string("-");
}

void printRow(const queue::DeadLetter& letter) {
  std::cout << letter.id << "  " << letter.state << "  " << letter.queue << "/" << letter.jobId
            << "  " << letter.name << "  attempts " << letter.attemptsMade << "  "
            << when(letter.failedOnMs) << "  " << shortened(letter.failedReason) << "\n";
}

void printFull(const queue::DeadLetter& letter) {
  std::cout << "dead letter:     " << letter.id << " (" << letter.state << ")\n"
            << "job:             " << letter.queue << "/" << letter.jobId << "\n"
            << "name:            " << letter.name << "\n"
            << "attempts:        " << letter.attemptsMade << " made, " << letter.attemptsStarted
            << " started\n"
            << "created:         " << when(letter.timestamp) << "\n"
            << "failed:          " << when(letter.failedOnMs) << "\n";
  if (!letter.processedBy.empty()) std::cout << "processed by:    " << letter.processedBy << "\n";
  std::cout << "failed reason:   " << letter.failedReason << "\n"
            << "stacktrace:      " << letter.stacktrace << "\n"
            << (letter.dataIsText ? "data (not JSON): " : "data:            ") << letter.data
            << "\n"
            << "options:         " << letter.opts << "\n";
}

int list(queue::DeadLetterQueue& dlq, const std::optional<std::string>& id) {
  if (id) {
    const auto letter = dlq.get(*id);
    if (!letter) {
      std::cerr << "warren: no dead letter " << *id << " in queue " << dlq.keys().queue() << "\n";
      return kExitFailed;
    }
    printFull(*letter);
    return kExitOk;
  }
  std::size_t others = 0;
  const auto letters = dlq.list(&others);
  std::cout << dlq.keys().queue() << ": " << letters.size()
            << (letters.size() == 1 ? " dead letter" : " dead letters");
  if (others > 0) std::cout << " (and " << others << " other jobs)";
  std::cout << "\n";
  for (const auto& letter : letters) printRow(letter);
  return kExitOk;
}

// Replays or purges one dead letter; false (and a line on stderr) when refused.
bool act(queue::DeadLetterQueue& dlq, const queue::DeadLetter& letter, bool replay, bool cluster) {
  using Outcome = queue::DeadLetterQueue::Result::Outcome;
  const std::string what = "dead letter " + letter.id;
  if (replay && cluster) {
    try {
      queue::requireDeadLetterSlot(queue::Keys(dlq.keys().prefix(), letter.queue), dlq.keys());
    } catch (const std::invalid_argument& e) {
      std::cerr << "warren: " << what << " not replayed: " << e.what() << "\n";
      return false;
    }
  }
  const auto result = replay ? dlq.replay(letter) : dlq.purge(letter.id);
  switch (result.outcome) {
    case Outcome::done:
      if (replay) {
        std::cout << "replayed " << what << " as job " << letter.jobId << " of queue "
                  << letter.queue << "\n";
      } else {
        std::cout << "purged " << what << "\n";
      }
      return true;
    case Outcome::missing:
      std::cerr << "warren: " << what << " is gone (replayed or purged meanwhile)\n";
      return false;
    case Outcome::active:
      std::cerr << "warren: " << what << " is active (a worker of " << dlq.keys().queue()
                << " holds it): left alone\n";
      return false;
    case Outcome::exists:
      std::cerr << "warren: " << what << " not replayed: job " << letter.jobId << " of queue "
                << letter.queue << " exists and is " << result.detail
                << " (retried since?); purge the dead letter or remove that job first\n";
      return false;
  }
  return false;
}

}  // namespace

int dlqCommand(const Options& options) {
  const auto& args = options.args;
  const auto usage = [] {
    std::cerr << "warren: usage: warren dlq list|replay|purge QUEUE [--id ID]\n";
    return kExitUsage;
  };
  if (args.size() != 3) return usage();
  const std::string& action = args[1];
  if (action != "list" && action != "replay" && action != "purge") return usage();
  const config::Config config = loadConfig(options);
  setUpLogging(config);
  try {
    queue::Keys(config.redisPrefix, args[2]);
  } catch (const std::invalid_argument& e) {
    std::cerr << "warren: " << e.what() << "\n";
    return kExitUsage;
  }
  const auto connection = connectToRedis(config, queue::Keys(config.redisPrefix, args[2]).base());
  const bool cluster = redisTopology(config).mode == redis::Topology::Mode::cluster;
  queue::preflight(*connection);
  queue::DeadLetterQueue dlq(*connection, config.redisPrefix, args[2]);
  if (action == "list") return list(dlq, options.id);

  std::vector<queue::DeadLetter> letters;
  if (options.id) {
    auto letter = dlq.get(*options.id);
    if (!letter) {
      std::cerr << "warren: no dead letter " << *options.id << " in queue " << args[2] << "\n";
      return kExitFailed;
    }
    letters.push_back(std::move(*letter));
  } else {
    letters = dlq.list();
    if (letters.empty()) std::cout << args[2] << ": no dead letters\n";
  }
  std::size_t done = 0;
  std::size_t refused = 0;
  for (const auto& letter : letters) {
    try {
      (act(dlq, letter, action == "replay", cluster) ? done : refused)++;
    } catch (const std::invalid_argument& e) {  // a dead letter naming no valid queue
      std::cerr << "warren: dead letter " << letter.id << " not replayed: " << e.what() << "\n";
      ++refused;
    }
  }
  if (letters.size() > 1) {
    std::cout << (action == "replay" ? "replayed " : "purged ") << done << " of " << letters.size()
              << " dead letters\n";
  }
  return refused == 0 ? kExitOk : kExitFailed;
}

}  // namespace warren::app
