#include "queue/Cancel.h"

#include "log/Log.h"
#include "queue/Scripts.h"
#include "queue/Worker.h"

#include <stdexcept>

namespace warren::queue {

std::string cancelChannel(const Keys& keys) {
  return keys.key("cancel");
}

CancelResult cancelJob(redis::Connection& connection, const Keys& keys, const std::string& id,
                       const std::string& reason, const std::string& removeOnFailDefault) {
  if (id.empty()) throw std::invalid_argument("the job id is empty");
  const redis::Reply reply =
      script(ScriptId::cancel)
          .run(connection, {keys.key("meta")},
               {keys.base(), id, reason.empty() ? kDefaultCancelReason : reason,
                std::to_string(nowMs()), removeOnFailDefault});
  if (reply.isError()) throw std::runtime_error("cancelling job " + id + ": " + reply.str());
  const auto& parts = reply.asArray();
  if (parts.empty()) throw std::runtime_error("cancelling job " + id + ": empty reply");
  const std::string& kind = parts[0].str();
  CancelResult result;
  if (kind == "failed") {
    result.outcome = CancelResult::Outcome::failed;
  } else if (kind == "active") {
    result.outcome = CancelResult::Outcome::signalled;
  } else if (kind == "finished") {
    result.outcome = CancelResult::Outcome::finished;
  } else if (kind == "waiting-children") {
    result.outcome = CancelResult::Outcome::waitingChildren;
  } else if (kind == "missing") {
    result.outcome = CancelResult::Outcome::missing;
  } else {
    throw std::runtime_error("cancelling job " + id + ": unexpected reply " + reply.describe());
  }
  if (parts.size() > 1) {
    if (parts[1].isInteger())
      result.receivers = parts[1].integer();
    else
      result.detail = parts[1].str();
  }
  return result;
}

const char* outcomeName(CancelResult::Outcome outcome) {
  switch (outcome) {
    case CancelResult::Outcome::failed:
      return "failed";
    case CancelResult::Outcome::signalled:
      return "signalled";
    case CancelResult::Outcome::finished:
      return "finished";
    case CancelResult::Outcome::waitingChildren:
      return "waiting-children";
    case CancelResult::Outcome::missing:
      return "missing";
  }
  return "missing";
}

std::string describe(const CancelResult& result, const Keys& keys, const std::string& id,
                     const std::string& reason) {
  const std::string job = "job " + id + " of queue " + keys.queue();
  const std::string why = reason.empty() ? kDefaultCancelReason : reason;
  switch (result.outcome) {
    case CancelResult::Outcome::failed:
      return job + " was " + result.detail + ": it is failed now with 'cancelled: " + why + "'";
    case CancelResult::Outcome::signalled:
      if (result.receivers == 0) {
        return job + " is active: cancel requested, but no Warren node listens on " +
               cancelChannel(keys) +
               " right now; the node running it sees the request at its next lock renewal "
               "(a Node worker does not)";
      }
      return job + " is active: cancel requested (" + std::to_string(result.receivers) +
             (result.receivers == 1 ? " node" : " nodes") +
             " listening); it ends failed with 'cancelled: " + why + "'";
    case CancelResult::Outcome::finished:
      return job + " is " + result.detail + " already: nothing to cancel";
    case CancelResult::Outcome::waitingChildren:
      return job + " is a flow parent waiting for its children: cancel the children instead";
    case CancelResult::Outcome::missing:
      return job + " does not exist";
  }
  return job;
}

std::string toJson(const CancelResult& result, const Keys& keys, const std::string& id) {
  std::string out = "{\"queue\":" + log::jsonString(keys.queue()) +
                    ",\"id\":" + log::jsonString(id) + ",\"outcome\":\"" +
                    outcomeName(result.outcome) + "\"";
  if (!result.detail.empty()) out += ",\"detail\":" + log::jsonString(result.detail);
  if (result.outcome == CancelResult::Outcome::signalled)
    out += ",\"receivers\":" + std::to_string(result.receivers);
  return out + "}";
}

}  // namespace warren::queue
