#include "ai/Failure.h"

#include "outbound/Budget.h"
#include "plugins/JobContext.h"

namespace warren::ai {

Failure cancelledFailure(const std::string& who, const outbound::Budget& budget,
                         const std::string& during) {
  const std::string reason = budget.job() != nullptr ? budget.job()->cancelReason() : "";
  return Failure(Fault::cancelled, who + ": the job was cancelled" + during +
                                       (reason.empty() ? "" : " (" + reason + ")"));
}

warren_status statusOf(Fault fault) {
  switch (fault) {
    case Fault::invalid:
    case Fault::unusableReply:
      return WARREN_ERR_INVALID;
    case Fault::notFound:
      return WARREN_ERR_NOT_FOUND;
    case Fault::refused:
    case Fault::truncated:
    case Fault::quota:
    case Fault::auth:
      return WARREN_ERR_REFUSED;
    case Fault::rateLimited:
      return WARREN_ERR_RETRY_LATER;
    case Fault::unavailable:
    case Fault::badReply:
      return WARREN_ERR_UNAVAILABLE;
    case Fault::timeout:
      return WARREN_ERR_TIMEOUT;
    case Fault::cancelled:
      return WARREN_ERR_CANCELLED;
    case Fault::internal:
      return WARREN_ERR_INTERNAL;
  }
  return WARREN_ERR_INTERNAL;
}

bool retryable(Fault fault) {
  switch (fault) {
    case Fault::rateLimited:
    case Fault::unavailable:
    case Fault::badReply:
    case Fault::timeout:
    case Fault::internal:
      return true;
    default:
      return false;
  }
}

bool fallsBack(Fault fault) {
  switch (fault) {
    case Fault::quota:
    case Fault::auth:
    case Fault::rateLimited:
    case Fault::unavailable:
    case Fault::badReply:
    case Fault::unusableReply:
      return true;
    default:
      return false;
  }
}

std::string_view outcomeLabel(Fault fault) {
  switch (fault) {
    case Fault::invalid:
      return "invalid";
    case Fault::notFound:
      return "not_found";
    case Fault::refused:
      return "refused";
    case Fault::truncated:
      return "truncated";
    case Fault::quota:
      return "quota";
    case Fault::auth:
      return "auth";
    case Fault::rateLimited:
      return "rate_limited";
    case Fault::unavailable:
      return "unavailable";
    case Fault::badReply:
    case Fault::unusableReply:
      return "bad_reply";
    case Fault::timeout:
      return "timeout";
    case Fault::cancelled:
      return "cancelled";
    case Fault::internal:
      return "error";
  }
  return "error";
}

}  // namespace warren::ai
