// The node's subscription to the cancel channels of the queues it serves
// ("<prefix>:<queue>:cancel", Cancel.h): one thread, one connection, SUBSCRIBE to every channel at
// once. A lost connection is made again and the channels subscribed again; requests published
// meanwhile are not lost, since the workers also read them at lock renewal (extend.lua).
#pragma once

#include "redis/Connection.h"
#include "redis/Url.h"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace warren::queue {

class CancelListener {
 public:
  // Called on the listener's thread for each request: the queue's name, the job id, the reason.
  using Handler = std::function<void(const std::string& queue, const std::string& id,
                                     const std::string& reason)>;

  CancelListener(redis::Url url, redis::ConnectionOptions options, std::string prefix,
                 Handler handler);
  ~CancelListener();  // stops and joins the thread
  CancelListener(const CancelListener&) = delete;
  CancelListener& operator=(const CancelListener&) = delete;

  // Listens for these queues from now on (a reload may add and remove queues).
  void listen(std::vector<std::string> queues);

  // A message of channel `channel` as a request: {queue, id, reason}; false when it is none.
  static bool parse(const std::string& prefix, const std::string& channel,
                    const std::string& payload, std::string& queue, std::string& id,
                    std::string& reason);

 private:
  void run();
  bool subscribeAndRead(redis::Connection& connection);

  const redis::Url url_;
  const redis::ConnectionOptions options_;
  const std::string prefix_;
  const Handler handler_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<std::string> queues_;
  bool changed_ = false;
  bool stopping_ = false;
  std::shared_ptr<redis::Connection> connection_;  // for interrupt() from other threads
  std::thread thread_;
};

}  // namespace warren::queue
