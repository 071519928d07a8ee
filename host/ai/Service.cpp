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
  if (capability == WARREN_AI_COMPLETE) {
    return !completionRoute(settings_, queue, "").targets.empty();
  }
  if (capability == WARREN_AI_EMBED) return !embeddingRoute(settings_, queue, "").targets.empty();
  return false;
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
