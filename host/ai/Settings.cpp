#include "ai/Settings.h"

namespace warren::ai {
namespace {

std::string secret(const config::Config& config, const std::string& key) {
  const auto it = config.secrets.find(key);
  return it == config.secrets.end() ? std::string() : it->second;
}

std::string keyOf(const config::Config& config, ProviderKind kind) {
  switch (kind) {
    case ProviderKind::openai:
      return secret(config, "ai.openai_api_key");
    case ProviderKind::gemini:
      return secret(config, "ai.gemini_api_key");
    case ProviderKind::claude:
      return secret(config, "ai.anthropic_api_key");
    case ProviderKind::custom:
      return secret(config, "ai.custom_api_key");
  }
  return {};
}

std::optional<ProviderKind> optionalProvider(const std::string& name) {
  return name.empty() || name == "local" ? std::nullopt : parseProvider(name);
}

ProviderSettings providerSettings(const config::Config& config, ProviderKind kind) {
  const std::string name(providerName(kind));
  const auto found = config.ai.providers.find(name);
  const config::AiProviderConfig raw =
      found == config.ai.providers.end() ? config::AiProviderConfig{} : found->second;
  const ProviderDefaults& defaults = defaultsOf(kind);
  ProviderSettings p;
  p.kind = kind;
  p.baseUrl = raw.baseUrl.empty() ? defaults.baseUrl : raw.baseUrl;
  p.apiKey = keyOf(config, kind);
  p.model = raw.model;
  p.embeddingModel = raw.embeddingModel;
  p.limits = {raw.concurrency, raw.requestsPerMinute, raw.tokensPerMinute};
  return p;
}

}  // namespace

Settings settingsFrom(const config::Config& config) {
  Settings s;
  s.provider = optionalProvider(config.ai.provider);
  s.embeddingProvider = optionalProvider(config.ai.embeddingProvider);
  for (const auto& name : config.ai.fallback) {
    if (const auto kind = parseProvider(name)) s.fallback.push_back(*kind);
  }
  for (auto kind :
       {ProviderKind::openai, ProviderKind::gemini, ProviderKind::claude, ProviderKind::custom}) {
    s.providers[kind] = providerSettings(config, kind);
  }
  if (s.provider && s.providers[*s.provider].model.empty()) {
    s.providers[*s.provider].model = config.ai.model;
  }
  const auto embedder = s.embeddingProvider ? s.embeddingProvider : s.provider;
  if (embedder && s.providers[*embedder].embeddingModel.empty()) {
    s.providers[*embedder].embeddingModel = config.ai.embeddingModel;
  }
  for (auto& [kind, p] : s.providers) {
    if (p.model.empty()) p.model = defaultsOf(kind).model;
    if (p.embeddingModel.empty()) p.embeddingModel = defaultsOf(kind).embeddingModel;
  }
  for (const auto& q : config.queues) {
    QueueSettings queue;
    queue.providerSet = !q.aiProvider.empty();
    queue.provider = optionalProvider(q.aiProvider);
    queue.model = q.aiModel;
    if (queue.providerSet || !queue.model.empty()) s.queues[q.name] = queue;
  }
  s.timeout = std::chrono::milliseconds(config.ai.timeoutMs);
  s.maxInlineWait = std::chrono::milliseconds(config.ai.maxInlineWaitMs);
  s.maxImageBytes = static_cast<std::size_t>(config.ai.maxImageMb) << 20;
  return s;
}

}  // namespace warren::ai
