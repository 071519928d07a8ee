// Key names of a BullMQ queue (fact sheet §1) and the worker's client name (§6.2).
#pragma once

#include <string>

namespace warren::queue {

class Keys {
 public:
  Keys(std::string prefix, std::string queue);

  const std::string& prefix() const { return prefix_; }
  const std::string& queue() const { return queue_; }
  // "<prefix>:<queue>:", the base of every key of the queue.
  const std::string& base() const { return base_; }
  std::string key(const std::string& suffix) const { return base_ + suffix; }
  std::string job(const std::string& id) const { return base_ + id; }

  // "<prefix>:<base64(queue)>" and, for a named worker, ":w:<name>" (what getWorkers() finds).
  std::string workerClientName(const std::string& workerName) const;

 private:
  std::string prefix_;
  std::string queue_;
  std::string base_;
};

std::string base64(const std::string& bytes);

// Redis Cluster: BullMQ's scripts touch many keys of a queue at once, so all of them must hash
// to one slot, which takes a hash tag ({...}) in the prefix or the queue name (§1.4). Throws
// std::invalid_argument naming the fix when the queue's keys carry none.
void requireHashTag(const Keys& keys);
// Redis Cluster: finishing a child writes its parent's keys in the same script, so a flow's
// parent (`parentQueueKey`, "<prefix>:<queue>") must be in the child's slot. Throws
// std::invalid_argument with a readable reason when it is not.
void requireSameSlot(const Keys& child, const std::string& parentQueueKey);

}  // namespace warren::queue
