#include "Settings.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace publish {
namespace {

std::int64_t durationMs(const std::string& text) {
  if (text.size() < 2) throw std::invalid_argument("'" + text + "' is not a duration like 6h");
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  const std::string unit(end);
  std::int64_t scale = 0;
  if (unit == "s") scale = 1000;
  if (unit == "m") scale = 60 * 1000;
  if (unit == "h") scale = 3600 * 1000;
  if (unit == "d") scale = 24 * 3600 * 1000;
  if (value <= 0 || scale == 0 || end == text.c_str()) {
    throw std::invalid_argument("'" + text + "' is not a duration like 30m, 6h or 7d");
  }
  return value * scale;
}

std::int64_t positive(const warren::Host& host, const char* key, std::int64_t fallback) {
  const std::int64_t value = host.getInt(key, fallback);
  if (value < 0) throw std::invalid_argument(std::string(key) + " must not be negative");
  return value;
}

}  // namespace

std::vector<Band> parseBands(const std::string& text) {
  std::vector<Band> bands;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    std::string item =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front())))
      item.erase(0, 1);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back()))) item.pop_back();
    const std::size_t eq = item.find('=');
    if (eq == std::string::npos) {
      throw std::invalid_argument("analytics_bands: '" + item + "' is not AGE=INTERVAL");
    }
    try {
      Band band{durationMs(item.substr(0, eq)), durationMs(item.substr(eq + 1))};
      if (!bands.empty() && band.ageMs <= bands.back().ageMs) {
        throw std::invalid_argument("ages must increase");
      }
      bands.push_back(band);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(std::string("analytics_bands: ") + e.what());
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (bands.empty()) throw std::invalid_argument("analytics_bands: give at least one band");
  return bands;
}

Settings readSettings(const warren::Host& host) {
  Settings s(common::crypto::keyringFromHex(host.getString("security.encryption_key"),
                                            host.getString("security.encryption_key_previous"),
                                            "ENCRYPTION_KEY (security.encryption_key)",
                                            "ENCRYPTION_KEY_PREVIOUS "
                                            "(security.encryption_key_previous)"));
  s.webhookUrl = host.getString("webhook_url");
  s.webhookSecret = host.getString("webhook_secret");
  if (!s.webhookUrl.empty()) {
    if (s.webhookUrl.rfind("http://", 0) != 0 && s.webhookUrl.rfind("https://", 0) != 0) {
      throw std::invalid_argument("webhook_url must be an http:// or https:// URL");
    }
    if (s.webhookSecret.empty()) {
      throw std::invalid_argument(
          "webhook_url is set but webhook_secret is not: lifecycle "
          "events are always signed");
    }
  }
  s.webhookTimeoutMs = positive(host, "webhook_timeout_ms", 10000);
  s.refreshMarginMs = positive(host, "refresh_margin_s", 300) * 1000;
  s.leaseMs = std::max<std::int64_t>(positive(host, "lease_ms", 120000), 1000);
  s.mastodonKeyWindowMs = positive(host, "mastodon_idempotency_window_s", 3300) * 1000;
  s.mediaPollMs = std::max<std::int64_t>(positive(host, "media_poll_ms", 1000), 10);
  s.mediaWaitMs = positive(host, "media_wait_ms", 300000);
  s.tempDir = host.getString("temp_dir");
  s.analyticsQueue = host.getString("analytics_queue", "analytics-collect");
  s.analyticsEveryMs = positive(host, "analytics_every_ms", 900000);
  s.bands = parseBands(host.getString("analytics_bands", "6h=1h,24h=3h,72h=12h,7d=24h"));
  s.analyticsBatch = std::max<std::int64_t>(positive(host, "analytics_batch", 200), 1);
  return s;
}

}  // namespace publish
