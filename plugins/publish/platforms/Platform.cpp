#include "platforms/Platform.h"

#include "Clock.h"
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

store::Tokens Platform::oauthTokens(const net::Response& response,
                                    std::string (*errorText)(const net::Response&)) const {
  const Json body = response.json();
  if (!response.ok()) {
    if (response.status >= 500 || response.status == 429) check(response);
    const std::string reason =
        body.is_object() ? body.value("error_description", body.value("error", "")) : std::string();
    throw PlatformError(
        PlatformError::Kind::authInvalid, response.status,
        std::string(name()) + ": " + (reason.empty() ? errorText(response) : reason));
  }
  store::Tokens tokens;
  tokens.accessToken = body.value("access_token", "");
  tokens.refreshToken = body.value("refresh_token", "");
  const std::int64_t expiresIn = body.value("expires_in", std::int64_t{0});
  if (expiresIn > 0) tokens.expiresAt = nowMs() + expiresIn * 1000;
  return tokens;
}

std::vector<Reading> Platform::readEach(
    Session& session, const std::vector<Json>& refs,
    const std::function<std::string(const Json& ref)>& url,
    const std::function<void(const Json& answer, Reading& reading)>& read) {
  std::vector<Reading> out;
  for (const Json& ref : refs) {
    Reading reading;
    reading.ref = ref;
    net::Request request;
    request.url = url(ref);
    try {
      read(session.call(request).json(), reading);
    } catch (const PlatformError& e) {
      if (e.kind() != PlatformError::Kind::notFound) throw;
      reading.deleted = true;
    }
    out.push_back(reading);
  }
  return out;
}

}  // namespace publish::platforms
