#include "ai/Service.h"

#include "ai/Fallback.h"
#include "log/Log.h"

#include <warren/plugin.h>

namespace warren::ai {

AiService::AiService(Settings settings, outbound::HttpClient& http, storage::Store* store,
                     metrics::Registry& registry)
    : settings_(std::move(settings)),
      limits_(settings_),
      metrics_(registry),
      sender_(settings_, http, limits_, metrics_),
      images_(store, &http, settings_.maxImageBytes) {
  for (const auto& [kind, provider] : settings_.providers) {
    if (!provider.apiKey.empty()) log::addSecret(provider.apiKey);
  }
}

bool AiService::available(std::string_view queue, std::uint32_t capability) const {
  // Capabilities are bits: every one asked for must be served; an unknown one never is.
  if (capability == 0 || (capability & ~(WARREN_AI_COMPLETE | WARREN_AI_EMBED)) != 0) return false;
  if ((capability & WARREN_AI_COMPLETE) != 0 &&
      completionRoute(settings_, queue, "").targets.empty())
    return false;
  if ((capability & WARREN_AI_EMBED) != 0 && embeddingRoute(settings_, queue, "").targets.empty())
    return false;
  return true;
}

std::string AiService::scrub(std::string text) const {
  for (const auto& [kind, provider] : settings_.providers) {
    const std::string& key = provider.apiKey;
    if (key.size() < 4) continue;  // too short to be a real key, and would mangle the text
    for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + 3)) {
      text.replace(at, key.size(), "***");
    }
  }
  return text;
}

std::chrono::milliseconds AiService::timeoutOf(const std::optional<std::int64_t>& requested) const {
  return requested ? std::chrono::milliseconds(*requested) : settings_.timeout;
}

}  // namespace warren::ai
