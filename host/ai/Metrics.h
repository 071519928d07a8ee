// The AI service's metrics: warren_ai_requests_total{provider,model,outcome} (one per request
// sent to a provider, retries included), warren_ai_tokens_total{provider,model,kind} (kind
// input, output, cached; input includes cached) and warren_ai_request_duration_seconds{provider}.
// `model` is the model asked for, so that provider version strings do not grow the series.
#pragma once

#include <string>
#include <string_view>

namespace warren::metrics {
class Registry;
}

namespace warren::ai {

struct Usage;

class AiMetrics {
 public:
  explicit AiMetrics(metrics::Registry& registry);
  void request(std::string_view provider, const std::string& model, std::string_view outcome,
               double seconds);
  void tokens(std::string_view provider, const std::string& model, const Usage& usage);

 private:
  metrics::Registry& registry_;
};

}  // namespace warren::ai
