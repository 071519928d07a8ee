#include "Settings.h"

#include "config/Ranged.h"

#include <stdexcept>
#include <string>

namespace generate {
namespace {

using common::config::ranged;

double rangedNumber(const warren::Host& host, const char* key, double fallback, double low,
                    double high) {
  const double value = host.getDouble(key, fallback);
  if (!(value >= low && value <= high))
    throw std::invalid_argument(std::string(key) + " must be from " + std::to_string(low) + " to " +
                                std::to_string(high) + ", not " + std::to_string(value));
  return value;
}

}  // namespace

Settings readSettings(const warren::Host& host) {
  Settings s;
  s.threshold = rangedNumber(host, "similarity_threshold", 0.9, -1, 1);
  s.dedupRetries = static_cast<int>(ranged(host, "dedup_retries", 2, 0, 10));
  s.dedupDays = ranged(host, "dedup_days", 30, 1, 3650);
  s.checkRetries = static_cast<int>(ranged(host, "check_retries", 1, 0, 5));
  s.maxThreadParts = static_cast<std::size_t>(ranged(host, "max_thread_parts", 4, 1, 25));
  s.threadNumbering = host.getBool("thread_numbering", true);
  s.mastodonLimit =
      static_cast<std::size_t>(ranged(host, "mastodon_max_characters", 500, 50, 1000000));
  s.includeLink = host.getBool("include_link", true);
  s.model = host.getString("model");
  s.maxTokens = static_cast<int>(ranged(host, "max_tokens", 1500, 64, 32000));
  s.temperature = rangedNumber(host, "temperature", 0.7, 0, 1);
  s.maxMaterialChars =
      static_cast<std::size_t>(ranged(host, "max_material_chars", 12000, 500, 1000000));
  s.embeddingModel = host.getString("embedding_model");
  s.embeddingDimensions =
      static_cast<std::uint32_t>(ranged(host, "embedding_dimensions", 0, 0, 16000));
  s.offlineDimensions = static_cast<std::uint32_t>(
      ranged(host, "offline_dimensions", 512, common::vector::HashEmbedder::kMinDimensions,
             common::vector::HashEmbedder::kMaxDimensions));
  s.index.method = common::vector::parseMethod(host.getString("similarity_method", "auto"));
  s.index.store.pgvectorSetup = host.getBool("pgvector", true);
  s.index.cache.maxBytes = static_cast<std::size_t>(ranged(host, "cache_mb", 64, 0, 1 << 20)) << 20;
  s.publishQueue = host.getString("publish_queue", "post-publish");
  if (s.publishQueue.empty()) throw std::invalid_argument("publish_queue must not be empty");
  s.publishAttempts = static_cast<int>(ranged(host, "publish_attempts", 3, 1, 100));
  return s;
}

}  // namespace generate
