#include "ai/Metrics.h"

#include "ai/Wire.h"
#include "metrics/Registry.h"

namespace warren::ai {
namespace {

constexpr const char* kRequests = "warren_ai_requests_total";
constexpr const char* kTokens = "warren_ai_tokens_total";
constexpr const char* kDuration = "warren_ai_request_duration_seconds";

}  // namespace

AiMetrics::AiMetrics(metrics::Registry& registry) : registry_(registry) {
  registry_.describe(kRequests, metrics::Kind::counter,
                     "Requests sent to AI providers (each attempt), by provider, model and "
                     "outcome (ok, rate_limited, quota, auth, unavailable, timeout, cancelled, "
                     "refused, truncated, invalid, bad_reply).");
  registry_.describe(kTokens, metrics::Kind::counter,
                     "Tokens AI providers reported, by provider, model and kind (input includes "
                     "cached; cached is the part of input served from a cache).");
  registry_.describe(kDuration, metrics::Kind::histogram,
                     "Duration of one request to an AI provider, in seconds.",
                     {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300});
}

void AiMetrics::request(std::string_view provider, const std::string& model,
                        std::string_view outcome, double seconds) {
  const std::string p(provider);
  registry_.counterAdd(kRequests,
                       {{"provider", p}, {"model", model}, {"outcome", std::string(outcome)}}, 1);
  registry_.histogramObserve(kDuration, {{"provider", p}}, seconds);
}

void AiMetrics::tokens(std::string_view provider, const std::string& model, const Usage& usage) {
  const std::string p(provider);
  const auto add = [&](const char* kind, std::int64_t n) {
    if (n > 0) {
      registry_.counterAdd(kTokens, {{"provider", p}, {"model", model}, {"kind", kind}},
                           static_cast<double>(n));
    }
  };
  add("input", usage.input);
  add("output", usage.output);
  add("cached", usage.cached);
}

}  // namespace warren::ai
