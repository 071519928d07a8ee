#include "ai/Sender.h"

#include "ai/Hints.h"
#include "outbound/Budget.h"
#include "outbound/HttpClient.h"

namespace warren::ai {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::int64_t epochMsIn(milliseconds wait) {
  return (std::chrono::duration_cast<milliseconds>(SystemClock::now().time_since_epoch()) + wait)
      .count();
}

Fault faultOfTransport(warren_status status) {
  switch (status) {
    case WARREN_ERR_TIMEOUT:
      return Fault::timeout;
    case WARREN_ERR_CANCELLED:
      return Fault::cancelled;
    case WARREN_ERR_INVALID:
      return Fault::badReply;  // a response over the client's size limit
    case WARREN_ERR_UNAVAILABLE:
      return Fault::unavailable;
    default:
      return Fault::internal;
  }
}

bool retryableStatus(int code) {
  return code == 408 || code == 409 || code == 429 || code >= 500;
}

Json parseOrNull(const std::string& text) {
  try {
    return Json::parse(text);
  } catch (const nlohmann::json::exception&) {
    return Json();
  }
}

std::string attemptsNote(unsigned attempts) {
  return attempts > 1 ? " (" + std::to_string(attempts) + " attempts)" : "";
}

// A provider's error body read without trusting its shape.
ProviderError classified(const Wire& wire, int code, const Json& body) {
  try {
    return wire.classify(code, body);
  } catch (const nlohmann::json::exception&) {
    return {faultOfStatus(code), httpReason(code, "", "")};
  }
}

}  // namespace

Sender::Sender(const Settings& settings, outbound::HttpClient& http, Limits& limits,
               AiMetrics& metrics)
    : settings_(settings), http_(http), limits_(limits), metrics_(metrics) {}

milliseconds Sender::backoff(unsigned attempt) {
  const auto base = settings_.backoffBase.count() << std::min(attempt - 1, 20u);
  const auto full = std::min<std::int64_t>(base, settings_.backoffCap.count());
  std::lock_guard lock(randomMutex_);
  std::uniform_int_distribution<std::int64_t> jitter(full / 2, std::max<std::int64_t>(full, 1));
  return milliseconds(jitter(random_));
}

unsigned Sender::send(const Outgoing& out, const outbound::Budget& budget,
                      const ReplyReader& read) {
  const std::string provider(providerName(out.kind));
  const Wire& wire = wireOf(out.kind);
  ProviderLimiter& limiter = limits_.of(out.kind);
  for (unsigned attempt = 1;; ++attempt) {
    Admission admission = limiter.admit(out.estimatedTokens, budget, settings_.maxInlineWait);
    outbound::HttpRequest request;
    request.method = "POST";
    request.url = out.call.url;
    request.headers = out.call.headers;
    request.body = out.call.body;
    request.timeout = std::max(budget.remaining(), milliseconds(1));
    request.caller = out.caller;
    const auto started = Clock::now();
    outbound::HttpResult result = http_.request(request, budget.job());
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();

    Fault fault;
    std::string reason;
    std::optional<milliseconds> hinted;
    std::optional<bool> shouldRetry;
    if (result.status != WARREN_OK) {
      fault = faultOfTransport(result.status);
      reason = result.error;
    } else if (result.code >= 200 && result.code <= 299) {
      const Json body = parseOrNull(result.body);
      try {
        if (body.is_null()) {
          throw Failure(Fault::badReply, provider + " sent a body that is not JSON (HTTP " +
                                             std::to_string(result.code) + ", " +
                                             std::to_string(result.body.size()) + " bytes)");
        }
        Usage usage;
        try {
          usage = read(body);
        } catch (const nlohmann::json::exception& e) {
          throw Failure(Fault::badReply,
                        provider + " sent a reply of an unexpected shape (" + e.what() + ")");
        }
        admission.settle(usage.input + usage.output);
        metrics_.request(provider, out.model, "ok", seconds);
        metrics_.tokens(provider, out.model, usage);
        return attempt;
      } catch (const Failure& failure) {
        // A refusal or truncated reply was still processed (and billed) by the provider.
        metrics_.request(provider, out.model, outcomeLabel(failure.fault()), seconds);
        throw;
      }
    } else {
      const Json body = parseOrNull(result.body);
      const ProviderError error = classified(wire, result.code, body);
      fault = error.fault;
      reason = error.message;
      const Json headers = parseOrNull(result.headersJson);
      const RetryHint hint = retryHint(result.code, headers, body, SystemClock::now());
      hinted = hint.wait;
      shouldRetry = hint.shouldRetry;
      if (!shouldRetry) shouldRetry = retryableStatus(result.code);
      if (fault == Fault::quota) shouldRetry = false;
    }
    admission.refund();
    metrics_.request(provider, out.model, outcomeLabel(fault), seconds);
    const bool transportRetry = result.status != WARREN_OK && fault == Fault::unavailable;
    const bool retry = (transportRetry || shouldRetry.value_or(false)) && fault != Fault::quota;
    const std::string what = provider + ": " + reason;

    if (fault == Fault::rateLimited && hinted && *hinted > settings_.maxInlineWait) {
      throw Failure(Fault::rateLimited,
                    what + "; asked to wait " + std::to_string(hinted->count()) +
                        " ms, more than ai.max_inline_wait_ms",
                    epochMsIn(*hinted));
    }
    if (!retry || attempt >= settings_.maxAttempts) {
      if (fault == Fault::rateLimited) {
        // Rate limited to the end: with a hint the job waits for it outside its slot;
        // without one there is no time to give, and it is an ordinary retryable failure.
        if (hinted)
          throw Failure(Fault::rateLimited, what + attemptsNote(attempt), epochMsIn(*hinted));
        throw Failure(Fault::unavailable,
                      what + " (rate limited, no retry hint)" + attemptsNote(attempt));
      }
      throw Failure(fault, what + attemptsNote(attempt));
    }
    const milliseconds wait = hinted ? *hinted : backoff(attempt);
    if (hinted && *hinted > settings_.maxInlineWait) {
      throw Failure(Fault::rateLimited,
                    what + "; asked to wait " + std::to_string(hinted->count()) +
                        " ms, more than ai.max_inline_wait_ms",
                    epochMsIn(*hinted));
    }
    if (Clock::now() + wait >= budget.deadline()) {
      if (hinted)
        throw Failure(Fault::rateLimited,
                      what +
                          "; the hinted wait ends after the "
                          "call's deadline",
                      epochMsIn(*hinted));
      throw Failure(fault == Fault::rateLimited ? Fault::unavailable : fault,
                    what + "; no time left to retry" + attemptsNote(attempt));
    }
    if (!budget.sleepUntil(Clock::now() + wait)) {
      throw Failure(Fault::cancelled, provider + ": the job was cancelled while waiting to retry");
    }
  }
}

}  // namespace warren::ai
