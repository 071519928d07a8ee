// A generic signed webhook, for platforms Warren does not cover: the whole post (thread and
// media keys included) goes to the account's URL as one signed JSON request. The delivery id
// (Webhook-Id) is chosen before the first try and kept on every retry: receivers drop repeats
// of an id they have seen, which makes a resend after a lost answer safe.
#include "Clock.h"
#include "crypto/Random.h"
#include "platforms/Errors.h"
#include "platforms/Platform.h"
#include "platforms/Session.h"
#include "publish/Signing.h"

namespace publish::platforms {
namespace {

using Kind = PlatformError::Kind;

class Webhook final : public Platform {
 public:
  const char* name() const override { return "webhook"; }

  Limits limits() const override {
    Limits l;
    l.maxImages = 20;
    l.maxVideos = 4;
    l.mixImagesAndVideo = true;
    l.wholeThread = true;
    l.metrics = false;
    return l;
  }

  // Signed per request in create(): the secret is the account's signing key.
  void authorize(net::Request&, const store::Account&) const override {}

  void check(const net::Response& response) const override {
    if (response.ok()) return;
    std::string message = "webhook: HTTP " + std::to_string(response.status);
    if (!response.body.empty() && response.body.size() < 300) message += ": " + response.body;
    if (response.status == 429) {
      const std::int64_t reset = net::retryAfterMs(response, nowMs());
      throw PlatformError::rateLimited(429, message, reset, false);
    }
    if (response.status == 401 || response.status == 403) {
      throw PlatformError(Kind::authInvalid, response.status, message);
    }
    throw PlatformError(response.status >= 500 ? Kind::transient : Kind::policy, response.status,
                        message);
  }

  // Media are not uploaded: the receiver gets their storage keys and fetches them itself.
  Json upload(Session&, const MediaItem& item, Json&) const override {
    return Json{{"key", item.key},     {"mime", item.mime},     {"alt", item.alt},
                {"width", item.width}, {"height", item.height}, {"video", item.video}};
  }

  void prepare(Session&, const Part&, Json& state) const override {
    if (!state.contains("deliveryId")) state["deliveryId"] = "dlv_" + common::crypto::randomHex(12);
  }

  Json create(Session& session, const Part& part, Json& state) const override {
    const store::Account& account = session.account();
    const std::string id = state.value("deliveryId", "");
    Json body = {{"type", "post"},
                 {"id", id},
                 {"account", {{"id", account.id}, {"handle", account.handle}}},
                 {"text", part.text},
                 {"thread", part.thread},
                 {"media", part.media}};
    if (!part.visibility.empty()) body["visibility"] = part.visibility;
    if (!part.language.empty()) body["language"] = part.language;
    if (part.parent.is_object()) body["replyTo"] = part.parent.value("id", "");
    net::Request request;
    request.method = "POST";
    request.url = account.baseUrl;
    request.body = common::dumpJson(body);
    signWebhook(request, account.secret, id, nowMs() / 1000);
    const Json answer = session.call(std::move(request), true).json();
    Json ref = {{"id", id}, {"url", ""}};
    if (answer.is_object()) {
      if (answer.contains("id") && answer["id"].is_string()) ref["id"] = answer["id"];
      if (answer.contains("url") && answer["url"].is_string()) ref["url"] = answer["url"];
    }
    return ref;
  }

  // The same delivery id again: the receiver answers a repeat without acting on it twice.
  Reconciliation reconcile(Session& session, const Part& part, const Json& state) const override {
    Reconciliation r;
    Json again = state;
    r.ref = create(session, part, again);
    r.outcome = Reconciliation::Outcome::posted;
    return r;
  }

  std::vector<Reading> metrics(Session&, const std::vector<Json>&) const override { return {}; }
};

}  // namespace

const Platform& webhookPlatform() {
  static const Webhook instance;
  return instance;
}

}  // namespace publish::platforms
