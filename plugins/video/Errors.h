// How a job ends when it does not complete: thrown from anywhere below handle(), turned into a
// warren::Result in one place (VideoPlugin.cpp).
#pragma once

#include <stdexcept>
#include <string>

namespace video {

enum class Failure {
  Unrecoverable,  // the input or the job data is wrong: retrying cannot help
  Retryable,      // the node or a service failed: another attempt may succeed
  Cancelled,      // the host asked the job to stop
};

class JobError : public std::runtime_error {
 public:
  JobError(Failure kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Failure kind() const { return kind_; }

 private:
  Failure kind_;
};

[[noreturn]] inline void unrecoverable(const std::string& message) {
  throw JobError(Failure::Unrecoverable, message);
}
[[noreturn]] inline void retryable(const std::string& message) {
  throw JobError(Failure::Retryable, message);
}
[[noreturn]] inline void cancelled() {
  throw JobError(Failure::Cancelled, "cancelled: the host asked the job to stop");
}

}  // namespace video
