#include "outbound/Watchdog.h"

#include "plugins/JobContext.h"

#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

namespace warren::outbound {
namespace {

// How often running requests are checked: the latency of a cancellation.
constexpr auto kPollInterval = std::chrono::milliseconds(20);
constexpr auto kHousekeepingInterval = std::chrono::seconds(1);

}  // namespace

Watchdog::Watchdog(std::function<void()> housekeeping)
    : housekeeping_(std::move(housekeeping)), thread_([this] { run(); }) {}

Watchdog::~Watchdog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Watchdog::inspect(Clock::time_point now) {
  for (auto& [id, entry] : entries_) {
    if (entry.cut != Cut::none) continue;
    if (entry.job != nullptr && entry.job->cancelled()) {
      entry.cut = Cut::cancelled;
    } else if (now >= entry.deadline) {
      entry.cut = Cut::deadline;
    } else {
      continue;
    }
    if (entry.fd >= 0) ::shutdown(entry.fd, SHUT_RDWR);
  }
}

void Watchdog::run() {
  // Housekeeping closes TLS connections, which writes to peers that may be gone: a SIGPIPE
  // raised here must not kill the process (it stays pending on this thread, harmlessly).
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);

  std::unique_lock lock(mutex_);
  auto nextHousekeeping = Clock::now() + kHousekeepingInterval;
  while (!stopping_) {
    const auto now = Clock::now();
    inspect(now);
    if (now >= nextHousekeeping) {
      lock.unlock();
      housekeeping_();
      lock.lock();
      nextHousekeeping = now + kHousekeepingInterval;
      continue;
    }
    wake_.wait_for(lock, entries_.empty() ? kHousekeepingInterval : kPollInterval);
  }
}

Watchdog::Watch::Watch(Watchdog& dog, int fd, plugins::JobContext* job, Clock::time_point deadline)
    : dog_(dog), fd_(::dup(fd)) {
  {
    std::lock_guard lock(dog_.mutex_);
    id_ = dog_.nextId_++;
    dog_.entries_.emplace(id_, Entry{fd_, job, deadline});
  }
  dog_.wake_.notify_all();  // switch the thread from its idle pace to polling
}

Cut Watchdog::Watch::finish() {
  if (finished_) return cut_;
  std::lock_guard lock(dog_.mutex_);
  const auto it = dog_.entries_.find(id_);
  cut_ = it->second.cut;
  dog_.entries_.erase(it);
  finished_ = true;
  if (fd_ >= 0) ::close(fd_);
  return cut_;
}

}  // namespace warren::outbound
