// A unix datagram socket standing in for systemd's notification socket (NOTIFY_SOCKET): a path,
// or "@name" in the abstract namespace. Bound on construction, closed (and unlinked) on
// destruction.
#pragma once

#include <chrono>
#include <string>

namespace warren::test {

class NotifySocket {
 public:
  explicit NotifySocket(std::string name);
  ~NotifySocket();
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  // The next datagram, or "" when none came within `timeout`.
  std::string next(std::chrono::milliseconds timeout = std::chrono::seconds(2)) const;
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  int fd_ = -1;
};

}  // namespace warren::test
