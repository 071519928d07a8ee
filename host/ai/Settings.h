// The AI service's settings, resolved from the node's config: which provider serves each queue,
// the models, keys, base URLs and limits of each provider, and the service's time rules.
#pragma once

#include "ai/Provider.h"
#include "config/Config.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace warren::ai {

struct LimitSettings {
  std::uint32_t concurrency = 0;        // 0: no limit
  std::uint32_t requestsPerMinute = 0;  // 0: no limit
  std::uint64_t tokensPerMinute = 0;    // 0: no limit
};

struct ProviderSettings {
  ProviderKind kind = ProviderKind::custom;
  std::string baseUrl;         // without a trailing slash
  std::string apiKey;          // empty: none sent (custom servers without a key)
  std::string model;           // completion model; empty: none configured
  std::string embeddingModel;  // empty: none configured
  LimitSettings limits;
};

// queue.NAME.ai.provider and queue.NAME.ai.model.
struct QueueSettings {
  bool providerSet = false;
  std::optional<ProviderKind> provider;  // with providerSet: nullopt is "local" (none)
  std::string model;
};

struct Settings {
  std::optional<ProviderKind> provider;                // AI_PROVIDER; nullopt: none
  std::optional<ProviderKind> embeddingProvider;       // ai.embedding_provider
  std::vector<ProviderKind> fallback;                  // ai.fallback, in order
  std::map<ProviderKind, ProviderSettings> providers;  // every provider has an entry
  std::map<std::string, QueueSettings> queues;
  std::chrono::milliseconds timeout{120000};
  std::chrono::milliseconds maxInlineWait{5000};
  std::size_t maxImageBytes = std::size_t{20} << 20;
  // Attempts per provider on retryable statuses, and the unhinted backoff between them (as the
  // providers' own SDKs: 2 retries, 0.5 s doubling up to 8 s, with jitter).
  unsigned maxAttempts = 3;
  std::chrono::milliseconds backoffBase{500};
  std::chrono::milliseconds backoffCap{8000};

  const ProviderSettings& of(ProviderKind kind) const { return providers.at(kind); }
};

// Applies the rules of docs/ai.md ("Configuration"): ai.PROVIDER.model wins over ai.model, which
// is the model of AI_PROVIDER's provider; ai.embedding_model belongs to the embedding provider
// (ai.embedding_provider, else AI_PROVIDER); unset models take the provider's default.
Settings settingsFrom(const config::Config& config);

}  // namespace warren::ai
