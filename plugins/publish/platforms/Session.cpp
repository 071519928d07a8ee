#include "platforms/Session.h"

#include "Clock.h"
#include "job/Failure.h"

#include <thread>

namespace publish::platforms {
namespace {

using common::job::Retryable;
using common::job::RetryAt;
using common::job::Unrecoverable;

constexpr std::int64_t kRefreshLeaseMs = 30000;
constexpr std::int64_t kDefaultLimitMs = 60000;  // a 429 without a reset time

}  // namespace

Session::Session(Context& context, const warren::Job* job, const Platform& platform,
                 store::Account account, std::string runId)
    : context_(context),
      job_(job),
      platform_(platform),
      account_(std::move(account)),
      runId_(std::move(runId)) {}

void Session::ready() {
  if (account_.status == "disabled") {
    throw Unrecoverable(account_.label() + " is disabled" +
                        (account_.statusReason.empty() ? "" : ": " + account_.statusReason));
  }
  if (account_.status == "needs_reauth") {
    throw Unrecoverable(account_.label() + " needs re-authorisation" +
                        (account_.statusReason.empty() ? "" : ": " + account_.statusReason));
  }
  if (platform_.needsSessionFirst(account_)) {
    refresh("no session yet");
    return;
  }
  const std::int64_t expires = account_.tokenExpiresAt;
  if (expires > 0 &&
      expires < nowMs() + platform_.refreshMarginMs(context_.settings.refreshMarginMs) &&
      platform_.canRefresh(account_)) {
    refresh("the access token expires at " + isoTime(expires));
  }
}

net::Response Session::send(const net::Request& request) const {
  try {
    return context_.http.send(job_, request);
  } catch (const net::TransportError& e) {
    throw Retryable(std::string(platform_.name()) + ": " + e.what());
  }
}

net::Response Session::call(net::Request request, bool create) {
  for (int attempt = 0;; ++attempt) {
    net::Request sent = request;
    platform_.authorize(sent, account_);
    net::Response response;
    try {
      response = context_.http.send(job_, sent);
    } catch (const net::TransportError& e) {
      if (create && e.mayHaveBeenSent() && !e.cancelled()) {
        throw OutcomeUnknown(std::string("no answer from ") + platform_.name() + ": " + e.what());
      }
      throw Retryable(std::string(platform_.name()) + ": " + e.what());
    }
    try {
      platform_.check(response);
      return response;
    } catch (const PlatformError& e) {
      switch (e.kind()) {
        case PlatformError::Kind::authExpired:
          if (attempt == 0 && platform_.canRefresh(account_)) {
            refresh(e.what());
            continue;
          }
          needsReauth(e.what());
        case PlatformError::Kind::authInvalid: {
          // Another worker may have just replaced the token this request used.
          const auto version = context_.accounts.tokenVersion(job_, account_.id);
          if (attempt == 0 && version && *version != account_.tokenVersion) {
            reload();
            continue;
          }
          needsReauth(e.what());
        }
        case PlatformError::Kind::rateLimited: {
          const std::int64_t reset =
              e.resetMs() > nowMs() ? e.resetMs() : nowMs() + kDefaultLimitMs;
          const std::string scope = e.wholePlatform() ? "" : account_.id;
          context_.rateLimits.record(job_, platform_.name(), scope, reset, e.what());
          throw RetryAt(reset,
                        std::string(platform_.name()) + " rate limit" +
                            (e.wholePlatform() ? "" : " of " + account_.label()) + " until " +
                            isoTime(reset) + ": " + e.what(),
                        e.wholePlatform());
        }
        case PlatformError::Kind::transient:
          if (create) {
            throw OutcomeUnknown(std::string(platform_.name()) + " answered " +
                                 std::to_string(e.status()) + " after the request: " + e.what());
          }
          throw;
        default:
          throw;
      }
    }
  }
}

bool Session::pause(std::int64_t ms) const {
  if (job_ == nullptr) {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    return false;
  }
  return job_->waitCancelled(std::chrono::milliseconds(ms));
}

void Session::reload() {
  account_ = context_.accounts.load(job_, account_.id);
}

void Session::needsReauth(const std::string& why) {
  context_.accounts.setStatus(job_, account_.id, "needs_reauth", why);
  context_.host.warn("publish: " + account_.label() + " marked needs_reauth: " + why);
  throw Unrecoverable(account_.label() + " needs re-authorisation (marked needs_reauth): " + why);
}

void Session::refresh(const std::string& why) {
  if (!platform_.canRefresh(account_)) needsReauth(why);
  const std::int64_t seen = account_.tokenVersion;
  const std::int64_t deadline = nowMs() + 2 * kRefreshLeaseMs;
  store::Accounts& accounts = context_.accounts;
  for (;;) {
    if (accounts.takeRefreshLease(job_, account_.id, seen, runId_, nowMs() + kRefreshLeaseMs)) {
      store::Tokens tokens;
      try {
        tokens = platform_.refresh(*this);
      } catch (const PlatformError& e) {
        accounts.releaseRefreshLease(job_, account_.id, runId_);
        const bool refused = e.kind() == PlatformError::Kind::authInvalid ||
                             e.kind() == PlatformError::Kind::authExpired ||
                             e.kind() == PlatformError::Kind::policy;
        if (!refused) throw;
        // A refresh token that rotated under another worker meanwhile: take theirs.
        const auto version = accounts.tokenVersion(job_, account_.id);
        if (version && *version != seen) {
          reload();
          return;
        }
        needsReauth("token refresh refused: " + std::string(e.what()));
      } catch (...) {
        accounts.releaseRefreshLease(job_, account_.id, runId_);
        throw;
      }
      if (!accounts.saveTokens(job_, account_, tokens)) {
        context_.host.warn("publish: " + account_.label() +
                           ": another worker saved tokens while this one refreshed; using theirs");
      }
      reload();
      return;
    }
    const auto version = accounts.tokenVersion(job_, account_.id);
    if (version && *version != seen) {
      reload();  // the winner's token
      return;
    }
    if (nowMs() > deadline) {
      throw Retryable(account_.label() +
                      ": another worker has been refreshing its token for too long");
    }
    if (pause(100)) throw Retryable("cancelled while another worker refreshed the token");
  }
}

}  // namespace publish::platforms
