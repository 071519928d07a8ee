#include "Config.h"

#include "config/Ranged.h"

#include <stdexcept>
#include <string>

namespace embed {

using common::config::ranged;

Settings readSettings(const warren::Host& host) {
  Settings settings;
  settings.embedder.model = host.getString("model");
  settings.embedder.dimensions =
      static_cast<std::uint32_t>(ranged(host, "dimensions", 0, 0, 16000));
  settings.embedder.offlineDimensions =
      static_cast<std::uint32_t>(ranged(host, "offline_dimensions", 512, 64, 4096));
  settings.threshold = host.getDouble("similarity_threshold", 0.9);
  if (settings.threshold < -1 || settings.threshold > 1)
    throw std::invalid_argument("similarity_threshold must be from -1 to 1");
  settings.days = ranged(host, "default_days", 30, 1, 3650);
  settings.index.method = common::vector::parseMethod(host.getString("similarity_method", "auto"));
  settings.index.store.pgvectorSetup = host.getBool("pgvector", true);
  settings.index.store.ivfflatIndex = host.getBool("ivfflat_index", true);
  settings.index.store.ivfflatMinRows = ranged(host, "ivfflat_min_rows", 10000, 1, 1000000000);
  settings.index.ivfflat.probes = static_cast<int>(ranged(host, "ivfflat_probes", 10, 1, 100000));
  settings.index.ivfflat.iterativeScan = host.getString("ivfflat_iterative_scan", "relaxed_order");
  if (settings.index.ivfflat.iterativeScan != "relaxed_order" &&
      settings.index.ivfflat.iterativeScan != "off")
    throw std::invalid_argument("ivfflat_iterative_scan must be relaxed_order or off, not '" +
                                settings.index.ivfflat.iterativeScan + "'");
  settings.index.cache.maxBytes =
      static_cast<std::size_t>(ranged(host, "cache_mb", 256, 0, 1 << 20)) << 20;
  settings.index.cache.reloadMicros = ranged(host, "cache_reload_s", 600, 1, 86400 * 365) * 1000000;
  return settings;
}

}  // namespace embed
