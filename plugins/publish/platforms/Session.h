// One job's use of one account on one platform: requests go out with the account's
// credentials, expired tokens are refreshed once (safely across workers), revoked ones mark the
// account needs_reauth, rate-limit headers are recorded, and the answer is classified.
#pragma once

#include "Context.h"
#include "platforms/Errors.h"
#include "platforms/Platform.h"

#include <warren/plugin.hpp>

#include <chrono>
#include <functional>
#include <string>

namespace publish::platforms {

class Session {
 public:
  Session(Context& context, const warren::Job* job, const Platform& platform,
          store::Account account, std::string runId);

  const store::Account& account() const { return account_; }
  const Platform& platform() const { return platform_; }
  const warren::Job* job() const { return job_; }
  const Settings& settings() const { return context_.settings; }
  const std::string& runId() const { return runId_; }
  warren::Host& host() const { return context_.host; }

  // Makes sure the account has a token that is not about to expire (refreshing or creating a
  // session first when it can). Call before the first request.
  void ready();

  // Sends `request` with the account's credentials and checks the answer (Platform::check).
  // Throws PlatformError; job::Unrecoverable when the credentials are revoked (the account is
  // then marked needs_reauth); job::RetryAt on a rate limit (the limit is recorded first).
  // With `create` (a request that creates something), an answer that does not say whether it
  // happened (5xx, no answer at all) throws OutcomeUnknown instead.
  net::Response call(net::Request request, bool create = false);
  // Sends without credentials or checks (token endpoints, upload URLs, public reads).
  net::Response send(const net::Request& request) const;

  // Saves the publication's progress (set by the publisher; a no-op otherwise).
  void save() const {
    if (saver_) saver_();
  }
  void onSave(std::function<void()> saver) { saver_ = std::move(saver); }

  // Sleeps; true when the job was cancelled meanwhile.
  bool pause(std::int64_t ms) const;

  // Refreshes the access token now (another worker may do it for us). Used by ready() and on
  // an expired token.
  void refresh(const std::string& why);
  // Marks the account needs_reauth and throws job::Unrecoverable naming it and the reason.
  [[noreturn]] void needsReauth(const std::string& why);

 private:
  void recordRate(const net::Response& response) const;
  void reload();

  Context& context_;
  const warren::Job* job_;
  const Platform& platform_;
  store::Account account_;
  std::string runId_;
  std::function<void()> saver_;
};

}  // namespace publish::platforms
