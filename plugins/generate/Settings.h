// The generate plugin's config keys (queue.content-generate.config.*) and what they become.
#pragma once

#include "vector/Embedder.h"
#include "vector/EmbeddingIndex.h"

#include <warren/plugin.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace generate {

inline constexpr warren_config_key kConfigKeys[] = {
    warren::configKey("similarity_threshold", WARREN_CONFIG_FLOAT, "0.9", false,
                      "A draft at or above this cosine similarity to one of the brand's recent "
                      "posts is regenerated"),
    warren::configKey("dedup_retries", WARREN_CONFIG_INT, "2", false,
                      "Regenerations of a near-duplicate draft before it is kept and flagged "
                      "(0 to 10)"),
    warren::configKey("dedup_days", WARREN_CONFIG_INT, "30", false,
                      "The brand's posts of the last N days are compared"),
    warren::configKey("check_retries", WARREN_CONFIG_INT, "1", false,
                      "Provider mode: regenerations of a draft that fails its checks, with the "
                      "reasons, before it is repaired (0 to 5)"),
    warren::configKey("max_thread_parts", WARREN_CONFIG_INT, "4", false,
                      "Posts in a thread at most (X, Bluesky, Mastodon, Threads); 1: never a "
                      "thread"),
    warren::configKey("thread_numbering", WARREN_CONFIG_BOOL, "true", false,
                      "Number a thread's posts (\" 1/3\"); the numbers count toward the limit"),
    warren::configKey("mastodon_max_characters", WARREN_CONFIG_INT, "500", false,
                      "The Mastodon instance's configuration.statuses.max_characters"),
    warren::configKey("include_link", WARREN_CONFIG_BOOL, "true", false,
                      "Offline: add the analysed page's URL to posts (never on Instagram)"),
    warren::configKey("model", WARREN_CONFIG_STRING, "", false,
                      "Model asked of the AI provider (empty: the queue's ai.model)"),
    warren::configKey("max_tokens", WARREN_CONFIG_INT, "1500", false,
                      "Output tokens of one completion at most"),
    warren::configKey("temperature", WARREN_CONFIG_FLOAT, "0.7", false,
                      "Sampling temperature of the completions (0 to 1)"),
    warren::configKey("max_material_chars", WARREN_CONFIG_INT, "12000", false,
                      "Characters of the analysis sent to the provider at most"),
    warren::configKey("embedding_model", WARREN_CONFIG_STRING, "", false,
                      "Embedding model of the duplicate check (empty: the model of the brand's "
                      "stored rows, else the provider's, else warren-hash-1)"),
    warren::configKey("embedding_dimensions", WARREN_CONFIG_INT, "0", false,
                      "Dimensions asked of the embedding provider (0: the model's own)"),
    warren::configKey("offline_dimensions", WARREN_CONFIG_INT, "512", false,
                      "Length of new warren-hash-1 vectors (64 to 4096), as the embed plugin's"),
    warren::configKey("similarity_method", WARREN_CONFIG_STRING, "auto", false,
                      "auto, scan, pgvector-exact or pgvector-ivfflat (approximate)"),
    warren::configKey("pgvector", WARREN_CONFIG_BOOL, "true", false,
                      "Create the vector extension and column when the PostgreSQL server has "
                      "pgvector"),
    warren::configKey("cache_mb", WARREN_CONFIG_INT, "64", false,
                      "Memory for cached brand vectors (the scan), per plugin instance"),
    warren::configKey("publish_queue", WARREN_CONFIG_STRING, "post-publish", false,
                      "Queue of the delayed post:publish jobs (scheduleAt with accounts)"),
    warren::configKey("publish_attempts", WARREN_CONFIG_INT, "3", false,
                      "Attempts of each delayed post:publish job"),
};

struct Settings {
  double threshold = 0.9;
  int dedupRetries = 2;
  std::int64_t dedupDays = 30;
  int checkRetries = 1;
  std::size_t maxThreadParts = 4;
  bool threadNumbering = true;
  std::size_t mastodonLimit = 500;
  bool includeLink = true;
  std::string model;
  int maxTokens = 1500;
  double temperature = 0.7;
  std::size_t maxMaterialChars = 12000;
  std::string embeddingModel;
  std::uint32_t embeddingDimensions = 0;
  std::uint32_t offlineDimensions = 512;
  common::vector::IndexOptions index;
  std::string publishQueue = "post-publish";
  int publishAttempts = 3;
};

// Reads and checks the values (the host checked their types); throws std::invalid_argument
// naming the key with a value out of range.
Settings readSettings(const warren::Host& host);

}  // namespace generate
