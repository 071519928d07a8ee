#include "job/Failure.h"

namespace common::job {
namespace {

warren::Result fromService(const warren::Job& job, const warren::ServiceError& e) {
  switch (e.code()) {
    case WARREN_ERR_INVALID:
    case WARREN_ERR_NOT_FOUND:
    case WARREN_ERR_REFUSED:
      return warren::Result::fail(e.what());
    case WARREN_ERR_CANCELLED: {
      const std::string_view reason = job.cancelReason();
      return warren::Result::retry(reason.empty() ? std::string(e.what()) : std::string(reason));
    }
    default:
      return warren::Result::retry(e.what());
  }
}

}  // namespace

warren::Result run(const warren::Job& job, const std::function<warren::Result()>& body) {
  try {
    return body();
  } catch (const Unrecoverable& e) {
    return warren::Result::fail(e.what());
  } catch (const RetryAt& e) {
    return e.wholeQueue() ? warren::Result::rateLimited(e.retryAtMs(), e.what())
                          : warren::Result::delayUntil(e.retryAtMs(), e.what());
  } catch (const Retryable& e) {
    return warren::Result::retry(e.what());
  } catch (const warren::AiError& e) {
    if (e.code() == WARREN_ERR_RETRY_LATER && e.retryAtMs() > 0) {
      return warren::Result::delayUntil(e.retryAtMs(), e.what());
    }
    if (e.code() == WARREN_ERR_CANCELLED) return fromService(job, e);
    return e.retryable() ? warren::Result::retry(e.what()) : warren::Result::fail(e.what());
  } catch (const warren::ServiceError& e) {
    return fromService(job, e);
  } catch (const warren::ServiceUnavailable& e) {
    return warren::Result::fail(e.what());
  }
}

}  // namespace common::job
