// One end of the socketpair between the node and an executor process, framed (Protocol.h).
// Not thread-safe: the node uses each channel from one thread at a time, the executor process
// writes under its own lock.
#pragma once

#include "executor/Protocol.h"

#include <optional>
#include <stdexcept>
#include <string>

namespace warren::executor {

// The other side closed the socket, or writing to it failed.
class ChannelClosed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Channel {
 public:
  explicit Channel(int fd) : fd_(fd) {}
  ~Channel();
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  int fd() const { return fd_; }
  // Writes a whole frame (blocking). Throws ChannelClosed.
  void send(const std::string& frame);
  // One read of what has arrived (blocks when nothing has); false at end of stream. Throws
  // ChannelClosed on a read error.
  bool receiveSome();
  // The next complete frame among the bytes received; throws ProtocolError for garbage.
  std::optional<Frame> next() { return takeFrame(buffer_); }
  // Blocks for a whole frame; nothing at end of stream.
  std::optional<Frame> receive();
  void close();

 private:
  int fd_ = -1;
  std::string buffer_;
};

}  // namespace warren::executor
