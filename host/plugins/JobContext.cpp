#include "plugins/JobContext.h"

#include <chrono>

namespace warren::plugins {

void JobContext::cancel() {
  {
    std::lock_guard lock(mutex_);
    cancelled_.store(true);
  }
  cancelSignal_.notify_all();
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

}  // namespace warren::plugins
