#include "outbound/Failure.h"

#include <pthread.h>

namespace warren::outbound {
namespace {

sigset_t pipeOnly() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  return set;
}

bool pipePending() {
  sigset_t pending;
  sigpending(&pending);
  return sigismember(&pending, SIGPIPE) == 1;
}

}  // namespace

SigpipeBlock::SigpipeBlock() {
  const sigset_t set = pipeOnly();
  pthread_sigmask(SIG_BLOCK, &set, &previous_);
  pendingBefore_ = pipePending();
}

SigpipeBlock::~SigpipeBlock() {
  if (!pendingBefore_ && pipePending()) {
    const sigset_t set = pipeOnly();
    const timespec immediately{0, 0};
    sigtimedwait(&set, nullptr, &immediately);
  }
  pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

}  // namespace warren::outbound
