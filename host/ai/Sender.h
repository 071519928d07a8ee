// One request to a provider, as the service sends it: admitted by the provider's limits, sent
// through the host's outbound client (the job's deadline and cancellation bound it), retried on
// 408/409/429/5xx/529 and connection failures (at most Settings::maxAttempts), waiting what the
// provider hints (Hints.h) or an exponential backoff. A hinted wait longer than
// ai.max_inline_wait_ms, or one past the deadline, is not waited: the request fails with
// Fault::rateLimited and the hinted time. `x-should-retry` overrides the status; a quota or
// billing refusal is never retried. Each attempt is counted in the metrics.
#pragma once

#include "ai/Limits.h"
#include "ai/Metrics.h"
#include "ai/Settings.h"
#include "ai/Wire.h"

#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <string>

namespace warren::outbound {
class HttpClient;
class Budget;
struct HttpResult;
}  // namespace warren::outbound

namespace warren::ai {

struct Outgoing {
  ProviderKind kind = ProviderKind::openai;
  std::string model;  // for metrics
  HttpCall call;
  std::int64_t estimatedTokens = 0;
  std::string caller;  // the plugin, for the outbound client's logs
};

// Reads a 2xx body (throws Failure for refusals and bad replies) and returns its usage.
using ReplyReader = std::function<Usage(const Json& body)>;

class Sender {
 public:
  Sender(const Settings& settings, outbound::HttpClient& http, Limits& limits, AiMetrics& metrics);

  // Returns how many requests were sent. Throws Failure; its message starts with the
  // provider's name.
  unsigned send(const Outgoing& out, const outbound::Budget& budget, const ReplyReader& read);

 private:
  struct Miss;
  // Sends once. nullopt when the reply was read; else what went wrong. Throws Failure when the
  // reply itself is the answer (a refusal, a truncated or broken reply).
  std::optional<Miss> attempt(const Outgoing& out, const outbound::Budget& budget,
                              const ReplyReader& read, Admission& admission);
  static Usage readReply(const std::string& provider, const outbound::HttpResult& result,
                         const ReplyReader& read);
  // How long to wait before the next attempt; throws Failure when there is none.
  std::chrono::milliseconds waitBeforeRetry(const Miss& miss, const std::string& provider,
                                            unsigned attempt, const outbound::Budget& budget);
  std::chrono::milliseconds backoff(unsigned attempt);

  const Settings& settings_;
  outbound::HttpClient& http_;
  Limits& limits_;
  AiMetrics& metrics_;
  std::mutex randomMutex_;
  std::mt19937 random_{std::random_device{}()};
};

}  // namespace warren::ai
