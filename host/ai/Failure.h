// Why an AI call failed, as the service's one error type. Each kind maps to a status of the ABI
// (docs/ai.md, "Errors") and decides whether the fallback list takes over.
#pragma once

#include <warren/plugin.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace warren::outbound {
class Budget;
}

namespace warren::ai {

enum class Fault {
  invalid,        // a bad request (the plugin's), or a reply that failed its schema
  notFound,       // no provider serves this capability
  refused,        // a content-policy refusal
  truncated,      // the reply hit max_tokens
  quota,          // out of quota or credit
  auth,           // the key was rejected
  rateLimited,    // rate limited for longer than the host waits in place (retryAtMs)
  unavailable,    // down, overloaded, or unreachable
  badReply,       // a reply that is not the provider's documented shape
  unusableReply,  // a reply in shape but unusable (empty or mismatched vectors)
  timeout,
  cancelled,
  internal,
};

class Failure : public std::runtime_error {
 public:
  Failure(Fault fault, const std::string& message, std::int64_t retryAtMs = 0)
      : std::runtime_error(message), fault_(fault), retryAtMs_(retryAtMs) {}
  Fault fault() const { return fault_; }
  std::int64_t retryAtMs() const { return retryAtMs_; }  // Unix epoch ms, for rateLimited

 private:
  Fault fault_;
  std::int64_t retryAtMs_;
};

// Failure(cancelled) for `who`'s call of a cancelled job, with the host's reason ("shutdown",
// "timeout"...) when it gave one.
Failure cancelledFailure(const std::string& who, const outbound::Budget& budget,
                         const std::string& during = "");

warren_status statusOf(Fault fault);
// 1 when a later attempt of the job may succeed.
bool retryable(Fault fault);
// Whether the next provider of the fallback list should be tried after this fault.
bool fallsBack(Fault fault);
// The `outcome` label of warren_ai_requests_total.
std::string_view outcomeLabel(Fault fault);

}  // namespace warren::ai
