// Which providers serve a queue's call, in order, and the one failure a call reports when all
// of them failed.
// - Completions: the queue's provider (queue.NAME.ai.provider, else AI_PROVIDER), then
//   ai.fallback in order (the queue's own provider skipped). The next one is tried only after
//   a fault that says the provider cannot serve now (fallsBack(): down, out of quota, a
//   rejected key, rate limited beyond the inline wait, a broken reply); a bad request, a
//   refusal, a truncated reply, a timeout or a cancellation end the call.
// - Embeddings: one provider (ai.embedding_provider, else the queue's), never a fallback:
//   vectors of another model are not comparable with the ones already stored.
#pragma once

#include "ai/Failure.h"
#include "ai/Settings.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warren::ai {

struct Target {
  ProviderKind kind;
  std::string model;
};

struct Route {
  std::vector<Target> targets;  // empty: no provider
  std::string none;             // why, when empty
};

// `requestModel` (the request's `model`, may be empty) applies to the first provider only.
Route completionRoute(const Settings& settings, std::string_view queue,
                      const std::string& requestModel);
Route embeddingRoute(const Settings& settings, std::string_view queue,
                     const std::string& requestModel);

// The failure of a call whose every provider failed, in the order tried: RETRY_LATER (the
// earliest time) when any provider was rate limited, else a retryable fault when any was, else
// the first provider's. The message lists every provider's reason.
Failure combine(const std::vector<Failure>& failures);

}  // namespace warren::ai
