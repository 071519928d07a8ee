// One background thread per client that cuts blocked socket operations short: when the job of a
// request is cancelled or its deadline passes, it shuts the socket down, which wakes the thread
// blocked in send/recv at once. It also runs the pool's housekeeping about once a second.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace warren::plugins {
class JobContext;
}

namespace warren::outbound {

enum class Cut { none, cancelled, deadline };

class Watchdog {
 public:
  using Clock = std::chrono::steady_clock;

  explicit Watchdog(std::function<void()> housekeeping);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // Watches one socket while an operation on it may block, through a duplicate descriptor: the
  // socket may be closed meanwhile (Poco closes it on errors) without the watchdog ever touching
  // a descriptor number reused elsewhere. finish() (or the destructor) stops watching.
  class Watch {
   public:
    Watch(Watchdog& dog, int fd, plugins::JobContext* job, Clock::time_point deadline);
    ~Watch() { finish(); }
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;
    // Stops watching; says whether (and why) the watchdog shut the socket down.
    Cut finish();

   private:
    Watchdog& dog_;
    int fd_;  // our duplicate, closed by finish()
    std::uint64_t id_;
    bool finished_ = false;
    Cut cut_ = Cut::none;
  };

 private:
  struct Entry {
    int fd;
    plugins::JobContext* job;
    Clock::time_point deadline;
    Cut cut = Cut::none;
  };

  void run();
  void inspect(Clock::time_point now);

  std::function<void()> housekeeping_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::uint64_t, Entry> entries_;
  std::uint64_t nextId_ = 1;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace warren::outbound
