// SIGINT, SIGTERM and SIGHUP taken synchronously: blocked in every thread (construct this before
// starting any) and read with sigtimedwait by the control loop.
#pragma once

#include <chrono>

namespace warren::lifecycle {

class Signals {
 public:
  Signals();
  ~Signals();
  Signals(const Signals&) = delete;
  Signals& operator=(const Signals&) = delete;

  // The next signal, or 0 after `timeout`.
  int wait(std::chrono::milliseconds timeout);
};

}  // namespace warren::lifecycle
