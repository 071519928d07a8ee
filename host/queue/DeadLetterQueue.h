// A dead-letter queue as `warren dlq` works on it: list its dead letters, replay one onto the
// queue it came from (host/queue/lua/deadletter.lua), purge one. DeadLetter.h has the layout.
#pragma once

#include "queue/DeadLetter.h"
#include "queue/Keys.h"
#include "redis/Connection.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace warren::queue {

class DeadLetterQueue {
 public:
  // Uses `connection` (which must outlive this) for the queue `queue` under `prefix`.
  DeadLetterQueue(redis::Connection& connection, std::string prefix, const std::string& queue);

  // Every dead letter of the queue, in the order waiting (newest first), prioritized, delayed,
  // active, completed and failed (newest first); `others` counts the queue's jobs that are not
  // dead letters. Throws std::runtime_error when Redis refuses.
  std::vector<DeadLetter> list(std::size_t* others = nullptr);
  // One dead letter; nullopt when the job does not exist or is not a dead letter.
  std::optional<DeadLetter> get(const std::string& id);

  struct Result {
    enum class Outcome {
      done,     // replayed (or purged)
      missing,  // the dead letter is gone (replayed or purged meanwhile)
      active,   // a worker of the dead-letter queue holds it
      exists,   // replay: the original id is held by a job that is not failed (detail: its state)
    };
    Outcome outcome = Outcome::missing;
    std::string detail;
  };
  // Adds the job again to its queue under its id and timestamp, with its name, data and the
  // options replayOptions keeps, and removes the dead letter, in one script call. The job's
  // failed record, when still there, is replaced (its logs stay).
  Result replay(const DeadLetter& letter);
  // Removes the dead letter (as Queue.remove would).
  Result purge(const std::string& id);

  const Keys& keys() const { return keys_; }

 private:
  Result run(const std::vector<std::string>& args);

  redis::Connection& connection_;
  Keys keys_;
};

}  // namespace warren::queue
