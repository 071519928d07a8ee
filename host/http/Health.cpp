#include "http/Health.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <utility>

namespace warren::http {
namespace {

std::string seconds(std::int64_t ms) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f s", static_cast<double>(ms) / 1000.0);
  return buffer;
}

CheckResult runOne(const Check& check) {
  try {
    return check();
  } catch (const std::exception& e) {
    return CheckResult::failed(std::string("check failed: ") + e.what());
  } catch (...) {
    return CheckResult::failed("check failed with an unknown exception");
  }
}

}  // namespace

std::int64_t epochMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// ---- Health ------------------------------------------------------------------------------------

void Health::add(const std::string& name, Check check, bool critical) {
  auto shared = std::make_shared<const Check>(std::move(check));
  std::lock_guard lock(mutex_);
  for (auto& entry : checks_) {
    if (entry.name == name) {
      entry.check = std::move(shared);
      entry.critical = critical;
      return;
    }
  }
  checks_.push_back({name, std::move(shared), critical});
}

bool Health::remove(const std::string& name) {
  std::lock_guard lock(mutex_);
  const auto it = std::find_if(checks_.begin(), checks_.end(),
                               [&](const auto& entry) { return entry.name == name; });
  if (it == checks_.end()) return false;
  checks_.erase(it);
  return true;
}

std::vector<std::string> Health::names() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& entry : checks_) out.push_back(entry.name);
  return out;
}

Health::Report Health::run() const {
  decltype(checks_) checks;
  {
    std::lock_guard lock(mutex_);
    checks = checks_;
  }
  Report report;
  for (const auto& entry : checks) {
    CheckResult result = runOne(*entry.check);
    if (!result.healthy && result.error.empty()) result.error = "unhealthy (no reason given)";
    if (result.healthy) result.error.clear();
    if (entry.critical) report.healthy = report.healthy && result.healthy;
    report.checks.push_back({entry.name, std::move(result), entry.critical});
  }
  return report;
}

CheckResult Health::run(const std::string& name) const {
  std::shared_ptr<const Check> check;
  {
    std::lock_guard lock(mutex_);
    for (const auto& entry : checks_) {
      if (entry.name == name) check = entry.check;
    }
  }
  if (!check) return CheckResult::failed("no check named '" + name + "'");
  return runOne(*check);
}

// ---- ConsumptionCheck --------------------------------------------------------------------------

std::int64_t ConsumptionLimits::fetchAllowanceMs() const {
  return (std::max<std::int64_t>(drainDelayS, 1) + 10) * 1000 +
         std::max<std::int64_t>(limiterDurationMs, 0) + std::max<std::int64_t>(marginMs, 0);
}

std::int64_t ConsumptionLimits::renewalAllowanceMs() const {
  // The timer renews every lockRenewTime / 2 (at least every 50 ms); allow two periods.
  return 2 * std::max<std::int64_t>(lockRenewTimeMs / 2, 50) + std::max<std::int64_t>(marginMs, 0);
}

ConsumptionCheck::ConsumptionCheck(std::string queue, Sampler sampler, ConsumptionLimits limits,
                                   Clock clock)
    : queue_(std::move(queue)),
      sampler_(std::move(sampler)),
      limits_(limits),
      clock_(clock ? std::move(clock) : Clock(epochMs)),
      sinceMs_(clock_()) {}

CheckResult ConsumptionCheck::judge(const std::string& queue, const ConsumptionSample& sample,
                                    const ConsumptionLimits& limits, std::int64_t nowMs,
                                    std::int64_t sinceMs) {
  std::vector<std::string> problems;
  if (sample.fetching && sample.active < sample.concurrency) {
    const std::int64_t allowed = limits.fetchAllowanceMs();
    const std::int64_t age = nowMs - std::max(sample.lastFetchMs, sinceMs);
    if (age > allowed) {
      const std::string last =
          sample.lastFetchMs > 0 ? "last round trip " + seconds(nowMs - sample.lastFetchMs) + " ago"
                                 : "no round trip in " + seconds(age);
      problems.push_back("fetch loop late by " + seconds(age - allowed) + " (" + last +
                         ", expected within " + seconds(allowed) + " with " +
                         std::to_string(sample.concurrency - sample.active) + " free slot(s))");
    }
  }
  if (sample.active > 0) {
    const std::int64_t allowed = limits.renewalAllowanceMs();
    const std::int64_t age = nowMs - std::max(sample.lastRenewalMs, sinceMs);
    if (age > allowed) {
      const std::string last =
          sample.lastRenewalMs > 0
              ? "last renewal " + seconds(nowMs - sample.lastRenewalMs) + " ago"
              : "no renewal in " + seconds(age);
      problems.push_back("lock renewal late by " + seconds(age - allowed) + " (" + last +
                         ", expected within " + seconds(allowed) + " with " +
                         std::to_string(sample.active) + " active job(s))");
    }
  }
  if (problems.empty()) return CheckResult::ok();
  std::string error = "queue '" + queue + "': ";
  for (std::size_t i = 0; i < problems.size(); ++i) error += (i ? "; " : "") + problems[i];
  if (!sample.lastError.empty()) error += "; last error: " + sample.lastError;
  return CheckResult::failed(std::move(error));
}

CheckResult ConsumptionCheck::evaluate() {
  ConsumptionSample sample;
  try {
    sample = sampler_();
  } catch (const std::exception& e) {
    std::lock_guard lock(mutex_);
    const std::int64_t now = clock_();
    if (!unhealthySinceMs_) unhealthySinceMs_ = now;
    return CheckResult::failed("queue '" + queue_ + "': status unavailable: " + e.what());
  }
  std::lock_guard lock(mutex_);
  const std::int64_t now = clock_();
  CheckResult result = judge(queue_, sample, limits_, now, sinceMs_);
  if (result.healthy) {
    unhealthySinceMs_.reset();
  } else if (!unhealthySinceMs_) {
    unhealthySinceMs_ = now;
  }
  return result;
}

std::optional<std::chrono::milliseconds> ConsumptionCheck::unhealthyDuration() {
  evaluate();
  std::lock_guard lock(mutex_);
  if (!unhealthySinceMs_) return std::nullopt;
  return std::chrono::milliseconds(std::max<std::int64_t>(clock_() - *unhealthySinceMs_, 0));
}

void ConsumptionCheck::reset() {
  std::lock_guard lock(mutex_);
  sinceMs_ = clock_();
  unhealthySinceMs_.reset();
}

Check asCheck(std::shared_ptr<ConsumptionCheck> check) {
  return [check = std::move(check)] { return check->evaluate(); };
}

}  // namespace warren::http
