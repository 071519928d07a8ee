#include "plugins/JobContext.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace warren::plugins {

void JobContext::cancel(const std::string& reason) {
  {
    std::lock_guard lock(mutex_);
    if (!cancelReason_) cancelReason_ = reason;
    cancelled_.store(true);
  }
  cancelSignal_.notify_all();
}

const char* JobContext::cancelReason() const {
  std::lock_guard lock(mutex_);
  return cancelReason_ ? cancelReason_->c_str() : "";
}

bool JobContext::waitCancelled(std::uint32_t timeoutMs) {
  std::unique_lock lock(mutex_);
  return cancelSignal_.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                                [this] { return cancelled_.load(); });
}

void JobContext::setResult(std::string json) {
  std::lock_guard lock(mutex_);
  result_ = std::move(json);
}

void JobContext::setError(std::string message) {
  std::lock_guard lock(mutex_);
  error_ = std::move(message);
}

std::string JobContext::result() const {
  std::lock_guard lock(mutex_);
  return result_;
}

std::optional<std::string> JobContext::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

void JobContext::setRetryAt(std::int64_t epochMs) {
  std::lock_guard lock(mutex_);
  retryAt_ = epochMs;
}

std::optional<std::int64_t> JobContext::retryAt() const {
  std::lock_guard lock(mutex_);
  return retryAt_;
}

std::string isoTime(std::int64_t epochMs) {
  const std::time_t seconds = static_cast<std::time_t>(epochMs / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(epochMs % 1000));
  return buffer;
}

}  // namespace warren::plugins
