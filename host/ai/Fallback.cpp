#include "ai/Fallback.h"

#include <algorithm>

namespace warren::ai {
namespace {

// The queue's provider: its override, else the node's; nullopt for none.
std::optional<ProviderKind> queueProvider(const Settings& s, std::string_view queue) {
  const auto it = s.queues.find(std::string(queue));
  if (it != s.queues.end() && it->second.providerSet) return it->second.provider;
  return s.provider;
}

std::string queueModel(const Settings& s, std::string_view queue) {
  const auto it = s.queues.find(std::string(queue));
  return it == s.queues.end() ? std::string() : it->second.model;
}

const char* const kNoProvider =
    "no AI provider configured (AI_PROVIDER is unset or local): use the offline method";

}  // namespace

Route completionRoute(const Settings& s, std::string_view queue, const std::string& requestModel) {
  Route route;
  const auto first = queueProvider(s, queue);
  if (!first) {
    route.none = kNoProvider;
    return route;
  }
  std::string model = requestModel;
  if (model.empty()) model = queueModel(s, queue);
  if (model.empty()) model = s.of(*first).model;
  route.targets.push_back({*first, model});
  for (const auto kind : s.fallback) {
    if (kind != *first) route.targets.push_back({kind, s.of(kind).model});
  }
  // A provider without a model (custom without ai.model) cannot serve.
  route.targets.erase(std::remove_if(route.targets.begin(), route.targets.end(),
                                     [](const Target& t) { return t.model.empty(); }),
                      route.targets.end());
  if (route.targets.empty()) {
    route.none = "no completion model configured for " + std::string(providerName(*first)) +
                 " (set ai.model or ai." + std::string(providerName(*first)) + ".model)";
  }
  return route;
}

Route embeddingRoute(const Settings& s, std::string_view queue, const std::string& requestModel) {
  Route route;
  const auto kind = s.embeddingProvider ? s.embeddingProvider : queueProvider(s, queue);
  if (!kind) {
    route.none = kNoProvider;
    return route;
  }
  const std::string name(providerName(*kind));
  if (!defaultsOf(*kind).embeddings) {
    route.none = name +
                 " has no embeddings endpoint; set ai.embedding_provider (openai, gemini "
                 "or custom) to embed";
    return route;
  }
  const std::string model = requestModel.empty() ? s.of(*kind).embeddingModel : requestModel;
  if (model.empty()) {
    route.none = "no embedding model configured for " + name + " (set ai.embedding_model or ai." +
                 name + ".embedding_model)";
    return route;
  }
  route.targets.push_back({*kind, model});
  return route;
}

Failure combine(const std::vector<Failure>& failures) {
  if (failures.size() == 1) return failures.front();
  std::string message;
  for (const auto& f : failures) message += (message.empty() ? "" : "; ") + std::string(f.what());
  const Failure* pick = &failures.front();
  for (const auto& f : failures) {
    if (f.fault() == Fault::rateLimited &&
        (pick->fault() != Fault::rateLimited || f.retryAtMs() < pick->retryAtMs()))
      pick = &f;
  }
  if (pick->fault() != Fault::rateLimited) {
    const auto retry = std::find_if(failures.begin(), failures.end(),
                                    [](const Failure& f) { return retryable(f.fault()); });
    if (retry != failures.end()) pick = &*retry;
  }
  return Failure(pick->fault(), "every provider failed: " + message, pick->retryAtMs());
}

}  // namespace warren::ai
