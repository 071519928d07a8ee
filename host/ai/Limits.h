// Per-provider limits shared by every plugin on the node: calls at once, requests a minute and
// tokens a minute (token buckets refilled continuously). A call's tokens are estimated before
// it is sent and corrected by the reply's usage. A call that would wait longer than
// ai.max_inline_wait_ms (or past its deadline) is not held: it fails with Fault::rateLimited and
// the time the limit allows it, so the job is delayed instead of holding its slot.
#pragma once

#include "ai/Settings.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace warren::outbound {
class Budget;
}

namespace warren::ai {

class ProviderLimiter;

// One admitted call: holds a concurrency slot until destroyed. settle() replaces the estimate
// with the tokens the reply reports; refund() gives a failed attempt's tokens back.
class Admission {
 public:
  Admission() = default;
  Admission(ProviderLimiter* limiter, std::int64_t tokens) : limiter_(limiter), tokens_(tokens) {}
  Admission(Admission&& other) noexcept;
  Admission& operator=(Admission&& other) noexcept;
  ~Admission();
  void settle(std::int64_t actualTokens);
  void refund() { settle(0); }

 private:
  void release();
  ProviderLimiter* limiter_ = nullptr;
  std::int64_t tokens_ = 0;
  bool settled_ = false;
};

class ProviderLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  ProviderLimiter(std::string provider, LimitSettings limits);

  // Waits for the limits to admit a call of `tokens` estimated tokens. Throws
  // Failure(rateLimited) with the time it would be admitted when that is more than `maxWait`
  // away or past the budget's deadline, Failure(cancelled) when the job is cancelled meanwhile.
  Admission admit(std::int64_t tokens, const outbound::Budget& budget,
                  std::chrono::milliseconds maxWait);

  // For tests and /metrics: the token bucket's level now.
  double tokensAvailable();

 private:
  friend class Admission;
  struct Bucket {
    double capacity = 0;  // 0: no limit
    double perMs = 0;
    double level = 0;
    Clock::time_point at{};
    void refill(Clock::time_point now);
    // How long until `amount` fits (0 when it does now).
    std::chrono::milliseconds waitFor(double amount) const;
  };

  void settle(std::int64_t estimated, std::int64_t actual);
  void releaseSlot();
  // Undoes reserve() for a call that was never sent.
  void giveBack(std::int64_t tokens);
  std::chrono::milliseconds reserve(std::int64_t tokens, const outbound::Budget& budget,
                                    std::chrono::milliseconds maxWait);
  void takeSlot(const outbound::Budget& budget, std::chrono::milliseconds maxWait,
                std::int64_t tokens);

  std::string provider_;
  LimitSettings limits_;
  std::mutex mutex_;
  std::condition_variable slotFreed_;
  std::uint32_t running_ = 0;
  Bucket requests_;
  Bucket tokens_;
};

// One limiter per provider, for the node.
class Limits {
 public:
  explicit Limits(const Settings& settings);
  ProviderLimiter& of(ProviderKind kind) { return *limiters_.at(kind); }

 private:
  std::map<ProviderKind, std::unique_ptr<ProviderLimiter>> limiters_;
};

}  // namespace warren::ai
