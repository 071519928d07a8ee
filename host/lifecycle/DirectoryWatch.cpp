#include "lifecycle/DirectoryWatch.h"

#include "log/Log.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace warren::lifecycle {

DirectoryWatch::DirectoryWatch(std::filesystem::path dir, std::chrono::milliseconds debounce,
                               Callback callback)
    : dir_(std::move(dir)), debounce_(debounce), callback_(std::move(callback)) {
  inotify_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_ < 0) throw std::runtime_error(std::string("inotify: ") + std::strerror(errno));
  if (::inotify_add_watch(inotify_, dir_.c_str(), IN_MOVED_TO) < 0 || ::pipe(stopPipe_) != 0) {
    const std::string reason = std::strerror(errno);
    ::close(inotify_);
    throw std::runtime_error("cannot watch " + dir_.string() + ": " + reason);
  }
  thread_ = std::thread([this] { loop(); });
}

DirectoryWatch::~DirectoryWatch() {
  const char byte = 0;
  if (::write(stopPipe_[1], &byte, 1) < 0) {
    // the loop also ends when the pipe closes below
  }
  if (thread_.joinable()) thread_.join();
  ::close(stopPipe_[0]);
  ::close(stopPipe_[1]);
  ::close(inotify_);
}

void DirectoryWatch::loop() {
  std::string pending;  // the last name renamed in, while waiting for quiet
  std::vector<char> buffer(64 * 1024);
  for (;;) {
    pollfd fds[2] = {{inotify_, POLLIN, 0}, {stopPipe_[0], POLLIN, 0}};
    const int timeout = pending.empty() ? -1 : static_cast<int>(debounce_.count());
    const int rc = ::poll(fds, 2, timeout);
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0 || (fds[1].revents & (POLLIN | POLLHUP)) != 0) return;
    if (rc == 0) {  // quiet for the debounce period
      const std::string name = std::move(pending);
      pending.clear();
      try {
        callback_(name);
      } catch (const std::exception& e) {
        log::error("directory watch callback failed",
                   {{"dir", dir_.string()}, {"error", e.what()}});
      }
      continue;
    }
    const ssize_t n = ::read(inotify_, buffer.data(), buffer.size());
    for (ssize_t offset = 0; offset < n;) {
      inotify_event event{};
      std::memcpy(&event, buffer.data() + offset, sizeof event);
      if (event.len > 0)
        pending = std::string(buffer.data() + offset + sizeof event);
      else
        pending = ".";
      offset += static_cast<ssize_t>(sizeof event + event.len);
    }
  }
}

}  // namespace warren::lifecycle
