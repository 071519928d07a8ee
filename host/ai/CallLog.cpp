#include "ai/CallLog.h"

#include "log/Log.h"

namespace warren::ai {

std::int64_t CallLog::elapsedMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               started)
      .count();
}

void CallLog::write() const {
  if (!log::enabled(log::Level::debug)) return;
  log::debug("ai call", {{"op", op},
                         {"queue", queue},
                         {"plugin", plugin},
                         {"provider", provider},
                         {"model", model},
                         {"outcome", outcome},
                         {"attempts", attempts},
                         {"input_tokens", usage.input},
                         {"output_tokens", usage.output},
                         {"cached_tokens", usage.cached},
                         {"latency_ms", elapsedMs()}});
}

}  // namespace warren::ai
