// What bounds one outbound call: a deadline (the request's timeout, never beyond the job's
// deadline) and the job's cancellation flag. Every wait of the call goes through here.
#pragma once

#include <chrono>
#include <string>

namespace warren::plugins {
class JobContext;
}

namespace warren::outbound {

class Budget {
 public:
  using Clock = std::chrono::steady_clock;

  // `job` may be null (a call outside a job: never cancelled, no job deadline).
  Budget(plugins::JobContext* job, std::chrono::milliseconds timeout);

  plugins::JobContext* job() const { return job_; }
  Clock::time_point deadline() const { return deadline_; }
  bool cancelled() const;
  bool expired() const { return Clock::now() >= deadline_; }
  std::chrono::milliseconds remaining() const;
  // " after 300 ms" or " at the job's deadline", for timeout messages.
  std::string describeLimit() const;

  // Sleeps until `until` (never beyond the deadline), waking early when the job is cancelled.
  // False when it was cancelled.
  bool sleepUntil(Clock::time_point until) const;

 private:
  plugins::JobContext* job_;
  std::chrono::milliseconds timeout_;
  Clock::time_point deadline_;
  bool jobDeadlineBinds_ = false;
};

}  // namespace warren::outbound
