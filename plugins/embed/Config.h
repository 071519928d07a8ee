// The embed plugin's config keys (queue.content-embed.config.*) and what they become.
#pragma once

#include "vector/Embedder.h"
#include "vector/EmbeddingIndex.h"

#include <warren/plugin.hpp>

#include <cstdint>

namespace embed {

inline constexpr warren_config_key kConfigKeys[] = {
    warren::configKey("model", WARREN_CONFIG_STRING, "", false,
                      "Embedding model asked of the AI provider (empty: the provider's configured "
                      "model); warren-hash-1 forces the offline model"),
    warren::configKey("dimensions", WARREN_CONFIG_INT, "0", false,
                      "Dimensions asked of the AI provider (0: the model's own)"),
    warren::configKey("offline_dimensions", WARREN_CONFIG_INT, "512", false,
                      "Length of the offline warren-hash-1 vectors (64 to 4096)"),
    warren::configKey("similarity_threshold", WARREN_CONFIG_FLOAT, "0.9", false,
                      "embedding:similarity marks duplicate at or above this cosine similarity"),
    warren::configKey("default_days", WARREN_CONFIG_INT, "30", false,
                      "embedding:similarity's window when the job gives no days"),
    warren::configKey("similarity_method", WARREN_CONFIG_STRING, "auto", false,
                      "auto, scan, pgvector-exact or pgvector-ivfflat (approximate)"),
    warren::configKey("pgvector", WARREN_CONFIG_BOOL, "true", false,
                      "Create the vector extension and column when the PostgreSQL server has "
                      "pgvector"),
    warren::configKey("ivfflat_index", WARREN_CONFIG_BOOL, "true", false,
                      "Keep an ivfflat index per vector length (needed by pgvector-ivfflat)"),
    warren::configKey("ivfflat_min_rows", WARREN_CONFIG_INT, "10000", false,
                      "Rows of one length before its ivfflat index is built"),
    warren::configKey("ivfflat_probes", WARREN_CONFIG_INT, "10", false,
                      "ivfflat.probes for pgvector-ivfflat"),
    warren::configKey("ivfflat_iterative_scan", WARREN_CONFIG_STRING, "relaxed_order", false,
                      "ivfflat.iterative_scan for pgvector-ivfflat: relaxed_order or off"),
    warren::configKey("cache_mb", WARREN_CONFIG_INT, "256", false,
                      "Memory for cached brand vectors (the scan), per plugin instance"),
    warren::configKey("cache_reload_s", WARREN_CONFIG_INT, "600", false,
                      "A cached brand is read in full again after this many seconds (picks up "
                      "deleted rows)"),
};

struct Settings {
  common::vector::EmbedderOptions embedder;
  common::vector::IndexOptions index;
  double threshold = 0.9;
  std::int64_t days = 30;
};

// Reads and checks the values (the host checked their types); throws std::invalid_argument
// naming the key with a value out of range.
Settings readSettings(const warren::Host& host);

}  // namespace embed
