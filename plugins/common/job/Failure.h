// How a content plugin's code says a job failed, and the one place that turns it into the SDK's
// Result. Plugin code throws; handle() wraps its body in job::run().
#pragma once

#include <warren/plugin.hpp>

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

namespace common::job {

// Retrying cannot help (bad input, a refusal, a missing record): no more attempts.
class Unrecoverable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Worth another attempt under the job's attempts and backoff (a server down, a timeout).
class Retryable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Try again at `retryAtMs` (Unix ms) without spending an attempt: a rate limit with a reset time.
// `wholeQueue`: the limit is the queue's (BullMQ's rate-limit path), not only this job's.
class RetryAt : public std::runtime_error {
 public:
  RetryAt(std::int64_t retryAtMs, const std::string& reason, bool wholeQueue = false)
      : std::runtime_error(reason), retryAtMs_(retryAtMs), wholeQueue_(wholeQueue) {}
  std::int64_t retryAtMs() const { return retryAtMs_; }
  bool wholeQueue() const { return wholeQueue_; }

 private:
  std::int64_t retryAtMs_;
  bool wholeQueue_;
};

// Runs `body`, mapping the exceptions above, warren::AiError and warren::ServiceError to a
// Result: AiError with WARREN_ERR_RETRY_LATER becomes a delay, a non-retryable AiError or a
// WARREN_ERR_INVALID / WARREN_ERR_NOT_FOUND service error is unrecoverable, anything else
// retryable. A cancelled job reports the host's cancel reason.
warren::Result run(const warren::Job& job, const std::function<warren::Result()>& body);

}  // namespace common::job
