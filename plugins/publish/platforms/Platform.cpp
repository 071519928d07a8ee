#include "platforms/Platform.h"

#include "platforms/Errors.h"
#include "platforms/Session.h"

namespace publish::platforms {

std::string MediaItem::filename() const {
  const auto slash = key.find_last_of('/');
  return slash == std::string::npos ? key : key.substr(slash + 1);
}

net::RateState Platform::rate(const net::Response&) const {
  return {};
}

bool Platform::canRefresh(const store::Account&) const {
  return false;
}

store::Tokens Platform::refresh(Session& session) const {
  throw PlatformError(PlatformError::Kind::authInvalid, 0,
                      std::string(name()) + " tokens cannot be refreshed by Warren: " +
                          session.account().label() + " needs a new token");
}

bool Platform::needsSessionFirst(const store::Account&) const {
  return false;
}

Json Platform::replyTarget(Session&, const std::string& id) const {
  const Json ref = {{"id", id}};
  return Json{{"parent", ref}, {"root", ref}};
}

void Platform::prepare(Session&, const Part&, Json&) const {}

std::size_t Platform::metricsBatch() const {
  return 1;
}

}  // namespace publish::platforms
