// How a platform's answer is classified. Platform code throws these; the publisher and the
// analytics collector decide what each means for the job (refresh, delay, fail, reconcile).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace publish::platforms {

class PlatformError : public std::runtime_error {
 public:
  enum class Kind {
    authExpired,  // the access token expired: refresh it and try again
    authInvalid,  // revoked or invalid credentials: the account needs re-authorisation
    rateLimited,  // 429 or the platform's equivalent; resetMs says until when
    policy,       // refused for good: duplicate content, too long, media rejected, bad request
    notFound,     // the thing asked for does not exist (a deleted post)
    notReady,     // nothing was done and it may work in a moment (media still processing)
    transient,    // 5xx, a broken answer: may work later; for a create, the outcome is unknown
  };

  PlatformError(Kind kind, int status, const std::string& message)
      : std::runtime_error(message), kind_(kind), status_(status) {}

  static PlatformError rateLimited(int status, const std::string& message, std::int64_t resetMs,
                                   bool wholePlatform) {
    PlatformError error(Kind::rateLimited, status, message);
    error.resetMs_ = resetMs;
    error.wholePlatform_ = wholePlatform;
    return error;
  }

  Kind kind() const { return kind_; }
  int status() const { return status_; }  // the HTTP status (0: none)
  std::int64_t resetMs() const { return resetMs_; }
  // The limit is the platform's (per app or per address), not only this account's.
  bool wholePlatform() const { return wholePlatform_; }

 private:
  Kind kind_;
  int status_;
  std::int64_t resetMs_ = 0;
  bool wholePlatform_ = false;
};

// The platform may or may not have created the post (a 5xx or no answer after the request was
// sent). Never retried blindly: the publisher reconciles first.
class OutcomeUnknown : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace publish::platforms
