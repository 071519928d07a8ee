// The node's AI service: one per node, shared by every plugin, thread-safe. JSON in and out as
// docs/ai.md describes; the plugin's queue picks the provider (Fallback.h). Every call is bound
// by its timeout (timeout_ms, else ai.timeout_ms) and the job's deadline and cancellation, and
// writes one debug log line (no bodies, no keys).
#pragma once

#include "ai/Images.h"
#include "ai/Limits.h"
#include "ai/Metrics.h"
#include "ai/Sender.h"
#include "ai/Settings.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace warren::outbound {
class HttpClient;
class Budget;
}  // namespace warren::outbound
namespace warren::storage {
class Store;
}
namespace warren::metrics {
class Registry;
}
namespace warren::plugins {
class JobContext;
}

namespace warren::ai {

struct CompleteRequest;
struct Target;
struct Image;

class AiService {
 public:
  // `store` may be null (storage_key images are then refused).
  AiService(Settings settings, outbound::HttpClient& http, storage::Store* store,
            metrics::Registry& registry);

  // Whether a provider serves `capability` (WARREN_AI_COMPLETE, WARREN_AI_EMBED) for `queue`.
  bool available(std::string_view queue, std::uint32_t capability) const;

  // The response JSON; throws Failure (the message never holds a key). `job` may be null;
  // `caller` names the plugin in logs.
  std::string complete(std::string_view queue, plugins::JobContext* job, std::string_view request,
                       const std::string& caller);
  std::string embed(std::string_view queue, plugins::JobContext* job, std::string_view request,
                    const std::string& caller);

  const Settings& settings() const { return settings_; }
  // `text` with every configured key replaced by "***".
  std::string scrub(std::string text) const;

 private:
  struct Served;
  Served completeWith(const Target& target, const CompleteRequest& request,
                      const std::vector<Image>& images, const outbound::Budget& budget,
                      const std::string& caller);
  std::vector<Image> loadImages(const CompleteRequest& request, plugins::JobContext* job,
                                const outbound::Budget& budget) const;
  std::chrono::milliseconds timeoutOf(const std::optional<std::int64_t>& requested) const;

  Settings settings_;
  Limits limits_;
  AiMetrics metrics_;
  Sender sender_;
  ImageLoader images_;
};

}  // namespace warren::ai
