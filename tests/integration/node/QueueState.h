// Where a queue's jobs are, read straight from the keys BullMQ keeps them in
// (bull:<queue>:wait|active lists, completed|failed|delayed|prioritized sorted sets), and jobs
// added as a BullMQ producer would.
#pragma once

#include "queue/Producer.h"
#include "redis/Connection.h"

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace warren::test {

struct JobStates {
  std::map<std::string, std::vector<std::string>> ids;  // state -> job ids

  std::size_t count(const std::string& state) const;
  std::size_t total() const;
  // "wait=3 active=0 ..." for failure messages.
  std::string summary() const;
};

class QueueState {
 public:
  QueueState(const std::string& redisUrl, std::string queue);

  JobStates read();
  std::size_t count(const std::string& state) { return read().count(state); }
  // Adds `n` echo jobs with this data; returns their ids.
  std::vector<std::string> add(std::size_t n, const std::string& dataJson,
                               const std::string& optsJson = "{}");
  // How many `event` entries the queue's event stream holds for each job id.
  std::map<std::string, int> eventsPerJob(const std::string& event);
  std::map<std::string, std::string> jobHash(const std::string& id);
  redis::Connection& connection() { return *connection_; }

 private:
  std::string key(const std::string& suffix) const { return "bull:" + queue_ + ":" + suffix; }

  std::string queue_;
  std::unique_ptr<redis::Connection> connection_;
  std::unique_ptr<queue::Producer> producer_;
};

}  // namespace warren::test
