#include "outbound/Budget.h"

#include "plugins/JobContext.h"

#include <algorithm>
#include <thread>

namespace warren::outbound {

Budget::Budget(plugins::JobContext* job, std::chrono::milliseconds timeout)
    : job_(job), timeout_(timeout), deadline_(Clock::now() + timeout) {
  if (job_ == nullptr || job_->input().deadlineMs <= 0) return;
  // The job's deadline is wall-clock time; waits here run on the steady clock.
  const auto wallNow = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  const auto jobDeadline =
      Clock::now() + (std::chrono::milliseconds(job_->input().deadlineMs) - wallNow);
  if (jobDeadline < deadline_) {
    deadline_ = jobDeadline;
    jobDeadlineBinds_ = true;
  }
}

bool Budget::cancelled() const {
  return job_ != nullptr && job_->cancelled();
}

std::chrono::milliseconds Budget::remaining() const {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline_ - Clock::now());
  return std::max(left, std::chrono::milliseconds(0));
}

std::string Budget::describeLimit() const {
  if (jobDeadlineBinds_) return " at the job's deadline";
  return " after " + std::to_string(timeout_.count()) + " ms";
}

bool Budget::sleepUntil(Clock::time_point until) const {
  until = std::min(until, deadline_);
  for (;;) {
    if (cancelled()) return false;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now());
    if (left.count() <= 0) return true;
    // Slices of at most a minute keep the uint32 millisecond count of wait_cancelled safe.
    const auto slice = std::min<std::chrono::milliseconds>(left, std::chrono::minutes(1));
    if (job_ == nullptr) {
      std::this_thread::sleep_for(slice);
    } else if (job_->waitCancelled(static_cast<std::uint32_t>(slice.count()))) {
      return false;
    }
  }
}

}  // namespace warren::outbound
