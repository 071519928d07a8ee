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

// How one attempt went wrong, and whether the provider would take another.
struct Sender::Miss {
  Fault fault = Fault::internal;
  std::string reason;
  std::optional<milliseconds> hint;
  bool retry = false;
};

std::optional<Sender::Miss> Sender::attempt(const Outgoing& out, const outbound::Budget& budget,
                                            const ReplyReader& read, Admission& admission) {
  const std::string provider(providerName(out.kind));
  outbound::HttpRequest request;
  request.method = "POST";
  request.url = out.call.url;
  request.headers = out.call.headers;
  request.body = out.call.body;
  request.timeout = std::max(budget.remaining(), milliseconds(1));
  request.caller = out.caller;
  const auto started = Clock::now();
  const outbound::HttpResult result = http_.request(request, budget.job());
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();

  Miss miss;
  if (result.status != WARREN_OK) {
    miss.fault = faultOfTransport(result.status);
    miss.reason = result.error;
    miss.retry = miss.fault == Fault::unavailable;  // could not connect, or the connection broke
  } else if (result.code >= 200 && result.code <= 299) {
    try {
      const Usage usage = readReply(provider, result, read);
      admission.settle(usage.input + usage.output);
      metrics_.request(provider, out.model, "ok", seconds);
      metrics_.tokens(provider, out.model, usage);
      return std::nullopt;
    } catch (const Failure& failure) {
      // A refusal or truncated reply was still processed (and billed) by the provider.
      metrics_.request(provider, out.model, outcomeLabel(failure.fault()), seconds);
      throw;
    }
  } else {
    const Json body = parseOrNull(result.body);
    const ProviderError error = classified(wireOf(out.kind), result.code, body);
    const RetryHint hint =
        retryHint(result.code, parseOrNull(result.headersJson), body, SystemClock::now());
    miss.fault = error.fault;
    miss.reason = error.message;
    miss.hint = hint.wait;
    miss.retry =
        error.fault != Fault::quota && hint.shouldRetry.value_or(retryableStatus(result.code));
  }
  admission.refund();
  metrics_.request(provider, out.model, outcomeLabel(miss.fault), seconds);
  return miss;
}

Usage Sender::readReply(const std::string& provider, const outbound::HttpResult& result,
                        const ReplyReader& read) {
  const Json body = parseOrNull(result.body);
  if (body.is_null()) {
    throw Failure(Fault::badReply, provider + " sent a body that is not JSON (HTTP " +
                                       std::to_string(result.code) + ", " +
                                       std::to_string(result.body.size()) + " bytes)");
  }
  try {
    return read(body);
  } catch (const nlohmann::json::exception& e) {
    throw Failure(Fault::badReply,
                  provider + " sent a reply of an unexpected shape (" + e.what() + ")");
  }
}

milliseconds Sender::waitBeforeRetry(const Miss& miss, const std::string& provider,
                                     unsigned attempt, const outbound::Budget& budget) {
  const std::string what = provider + ": " + miss.reason;
  // A long hint is not waited in the job's slot: the job is delayed until then.
  if (miss.hint && *miss.hint > settings_.maxInlineWait &&
      (miss.retry || miss.fault == Fault::rateLimited)) {
    throw Failure(Fault::rateLimited,
                  what + "; asked to wait " + std::to_string(miss.hint->count()) +
                      " ms, more than ai.max_inline_wait_ms",
                  epochMsIn(*miss.hint));
  }
  if (!miss.retry || attempt >= settings_.maxAttempts) {
    if (miss.fault != Fault::rateLimited) throw Failure(miss.fault, what + attemptsNote(attempt));
    // Rate limited to the end: with a hint the job waits for it outside its slot; without one
    // there is no time to give, and it is an ordinary retryable failure.
    if (miss.hint) {
      throw Failure(Fault::rateLimited, what + attemptsNote(attempt), epochMsIn(*miss.hint));
    }
    throw Failure(Fault::unavailable,
                  what + " (rate limited, no retry hint)" + attemptsNote(attempt));
  }
  const milliseconds wait = miss.hint ? *miss.hint : backoff(attempt);
  if (Clock::now() + wait >= budget.deadline()) {
    if (miss.hint) {
      throw Failure(Fault::rateLimited, what + "; the hinted wait ends after the call's deadline",
                    epochMsIn(*miss.hint));
    }
    throw Failure(miss.fault == Fault::rateLimited ? Fault::unavailable : miss.fault,
                  what + "; no time left to retry" + attemptsNote(attempt));
  }
  return wait;
}

unsigned Sender::send(const Outgoing& out, const outbound::Budget& budget,
                      const ReplyReader& read) {
  const std::string provider(providerName(out.kind));
  ProviderLimiter& limiter = limits_.of(out.kind);
  for (unsigned n = 1;; ++n) {
    Admission admission = limiter.admit(out.estimatedTokens, budget, settings_.maxInlineWait);
    const std::optional<Miss> miss = attempt(out, budget, read, admission);
    if (!miss) return n;
    const milliseconds wait = waitBeforeRetry(*miss, provider, n, budget);
    if (!budget.sleepUntil(Clock::now() + wait)) {
      throw cancelledFailure(provider, budget, " while it waited to retry");
    }
  }
}

}  // namespace warren::ai
