#include "ai/Limits.h"

#include "ai/Failure.h"
#include "outbound/Budget.h"

#include <algorithm>
#include <cmath>

namespace warren::ai {
namespace {

using std::chrono::milliseconds;

std::int64_t epochMsIn(milliseconds wait) {
  const auto now =
      std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch());
  return (now + wait).count();
}

}  // namespace

// ---- Admission ----

Admission::Admission(Admission&& other) noexcept
    : limiter_(other.limiter_), tokens_(other.tokens_), settled_(other.settled_) {
  other.limiter_ = nullptr;
}

Admission& Admission::operator=(Admission&& other) noexcept {
  if (this != &other) {
    release();
    limiter_ = other.limiter_;
    tokens_ = other.tokens_;
    settled_ = other.settled_;
    other.limiter_ = nullptr;
  }
  return *this;
}

Admission::~Admission() {
  release();
}

void Admission::settle(std::int64_t actualTokens) {
  if (limiter_ == nullptr || settled_) return;
  settled_ = true;
  limiter_->settle(tokens_, actualTokens);
}

void Admission::release() {
  if (limiter_ == nullptr) return;
  limiter_->releaseSlot();
  limiter_ = nullptr;
}

// ---- ProviderLimiter ----

void ProviderLimiter::Bucket::refill(Clock::time_point now) {
  if (capacity <= 0) return;
  const double elapsed = std::chrono::duration<double, std::milli>(now - at).count();
  level = std::min(capacity, level + elapsed * perMs);
  at = now;
}

milliseconds ProviderLimiter::Bucket::waitFor(double amount) const {
  if (capacity <= 0 || level >= amount) return milliseconds(0);
  return milliseconds(static_cast<std::int64_t>(std::ceil((amount - level) / perMs)));
}

ProviderLimiter::ProviderLimiter(std::string provider, LimitSettings limits)
    : provider_(std::move(provider)), limits_(limits) {
  const auto now = Clock::now();
  const auto start = [now](Bucket& b, double perMinute) {
    b.capacity = perMinute;
    b.perMs = perMinute / 60000.0;
    b.level = perMinute;  // a fresh node may use a whole minute's budget at once
    b.at = now;
  };
  start(requests_, limits.requestsPerMinute);
  start(tokens_, static_cast<double>(limits.tokensPerMinute));
}

// Takes a request and the tokens from the buckets, possibly ahead of time; returns how long to
// wait before sending.
milliseconds ProviderLimiter::reserve(std::int64_t tokens, const outbound::Budget& budget,
                                      milliseconds maxWait) {
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  requests_.refill(now);
  tokens_.refill(now);
  // A call larger than the whole minute's budget waits for a full bucket, not forever.
  const double amount = tokens_.capacity > 0
                            ? std::min(static_cast<double>(tokens), tokens_.capacity)
                            : static_cast<double>(tokens);
  const milliseconds wait = std::max(requests_.waitFor(1), tokens_.waitFor(amount));
  if (wait > maxWait || now + wait > budget.deadline()) {
    const std::string which = requests_.waitFor(1) >= tokens_.waitFor(amount)
                                  ? std::to_string(limits_.requestsPerMinute) +
                                        " requests a minute (ai." + provider_ +
                                        ".requests_per_minute)"
                                  : std::to_string(limits_.tokensPerMinute) +
                                        " tokens a minute (ai." + provider_ + ".tokens_per_minute)";
    throw Failure(Fault::rateLimited,
                  provider_ + ": the node's limit of " + which + " admits this call in " +
                      std::to_string(wait.count()) + " ms",
                  epochMsIn(wait));
  }
  if (requests_.capacity > 0) requests_.level -= 1;
  if (tokens_.capacity > 0) tokens_.level -= amount;
  return wait;
}

void ProviderLimiter::takeSlot(const outbound::Budget& budget, milliseconds maxWait,
                               std::int64_t tokens) {
  if (limits_.concurrency == 0) {
    std::lock_guard lock(mutex_);
    ++running_;
    return;
  }
  const auto giveUp = std::min(Clock::now() + maxWait, budget.deadline());
  std::unique_lock lock(mutex_);
  while (running_ >= limits_.concurrency) {
    if (budget.cancelled() || Clock::now() >= giveUp) {
      const bool cancelled = budget.cancelled();
      lock.unlock();
      giveBack(tokens);
      if (cancelled) throw cancelledFailure(provider_, budget, " while it waited for a slot");
      throw Failure(Fault::rateLimited,
                    provider_ + ": all " + std::to_string(limits_.concurrency) +
                        " calls the node allows at once (ai." + provider_ +
                        ".concurrency) stayed busy for " + std::to_string(maxWait.count()) + " ms",
                    epochMsIn(std::max(maxWait, milliseconds(1000))));
    }
    // Short slices: a cancelled job is noticed without a second condition variable.
    slotFreed_.wait_for(lock, milliseconds(20));
  }
  ++running_;
}

Admission ProviderLimiter::admit(std::int64_t tokens, const outbound::Budget& budget,
                                 milliseconds maxWait) {
  const auto started = Clock::now();
  const milliseconds wait = reserve(tokens, budget, maxWait);
  if (wait.count() > 0 && !budget.sleepUntil(Clock::now() + wait)) {
    giveBack(tokens);
    throw cancelledFailure(provider_, budget, " while it waited for the node's limits");
  }
  const auto waited = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
  takeSlot(budget, std::max(milliseconds(0), maxWait - waited), tokens);
  return Admission(this, tokens);
}

void ProviderLimiter::settle(std::int64_t estimated, std::int64_t actual) {
  std::lock_guard lock(mutex_);
  if (tokens_.capacity <= 0) return;
  tokens_.refill(Clock::now());
  const double estimate = std::min(static_cast<double>(estimated), tokens_.capacity);
  // May go below zero: a call that used more than estimated delays the next ones.
  tokens_.level =
      std::min(tokens_.capacity, tokens_.level + estimate - static_cast<double>(actual));
}

void ProviderLimiter::giveBack(std::int64_t tokens) {
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  requests_.refill(now);
  tokens_.refill(now);
  if (requests_.capacity > 0) requests_.level = std::min(requests_.capacity, requests_.level + 1);
  if (tokens_.capacity > 0) {
    tokens_.level = std::min(
        tokens_.capacity, tokens_.level + std::min(static_cast<double>(tokens), tokens_.capacity));
  }
}

void ProviderLimiter::releaseSlot() {
  {
    std::lock_guard lock(mutex_);
    if (running_ > 0) --running_;
  }
  slotFreed_.notify_one();
}

double ProviderLimiter::tokensAvailable() {
  std::lock_guard lock(mutex_);
  tokens_.refill(Clock::now());
  return tokens_.level;
}

// ---- Limits ----

Limits::Limits(const Settings& settings) {
  for (const auto& [kind, provider] : settings.providers) {
    limiters_[kind] =
        std::make_unique<ProviderLimiter>(std::string(providerName(kind)), provider.limits);
  }
}

}  // namespace warren::ai
