// Why one attempt of an outbound request produced no response, as the client's internal error
// type. It never leaves the library: the client turns it into a status and a message.
#pragma once

#include <signal.h>

#include <stdexcept>
#include <string>

namespace warren::outbound {

enum class FailureKind {
  unavailable,  // could not connect, or the connection broke: may work later
  timeout,
  cancelled,
  tls,       // handshake or certificate refused: retrying will not help
  tooLarge,  // the response body is over the limit
};

class Failure : public std::runtime_error {
 public:
  Failure(FailureKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  FailureKind kind() const { return kind_; }

 private:
  FailureKind kind_;
};

// Blocks SIGPIPE on this thread while sockets are written to, and swallows the one a write to a
// closed peer raised (OpenSSL writes with plain write(2), so MSG_NOSIGNAL cannot help). The host
// ignores SIGPIPE process-wide, but a library must not rely on that.
class SigpipeBlock {
 public:
  SigpipeBlock();
  ~SigpipeBlock();
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;

 private:
  sigset_t previous_{};
  bool pendingBefore_ = false;
};

}  // namespace warren::outbound
