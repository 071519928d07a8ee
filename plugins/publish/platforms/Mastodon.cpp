// Mastodon (external-apis.md §4): statuses with an Idempotency-Key, v2 media with asynchronous
// processing, X-RateLimit-* headers with ISO 8601 resets. Tokens do not expire and cannot be
// refreshed: a 401 means the operator must give a new one.
#include "Clock.h"
#include "crypto/Random.h"
#include "job/Failure.h"
#include "media/MediaFile.h"
#include "net/Multipart.h"
#include "platforms/Errors.h"
#include "platforms/Platform.h"
#include "platforms/Session.h"

namespace publish::platforms {
namespace {

using Kind = PlatformError::Kind;

constexpr const char* kNotProcessed = "have not finished processing";

std::string errorText(const net::Response& response) {
  const Json body = response.json();
  if (body.is_object()) {
    std::string text = body.value("error", "");
    const std::string description = body.value("error_description", "");
    if (!description.empty()) text += (text.empty() ? "" : ": ") + description;
    if (!text.empty()) return text;
  }
  return "HTTP " + std::to_string(response.status);
}

class Mastodon final : public Platform {
 public:
  const char* name() const override { return "mastodon"; }

  Limits limits() const override {
    Limits l;
    l.maxImages = 4;
    l.maxVideos = 1;
    l.mixImagesAndVideo = false;
    l.maxImageBytes = 16ll << 20;  // instance defaults (docs: 16 MiB images, 99 MiB video)
    l.maxVideoBytes = 99ll << 20;
    l.imageTypes = {"image/jpeg", "image/png", "image/gif", "image/webp"};
    l.videoTypes = {"video/mp4", "video/webm", "video/quicktime"};
    return l;
  }

  void authorize(net::Request& request, const store::Account& account) const override {
    request.header("Authorization", "Bearer " + account.accessToken);
  }

  net::RateState rate(const net::Response& response) const override {
    return net::mastodonRate(response);
  }

  void check(const net::Response& response) const override {
    if (response.ok()) return;
    const std::string message = "mastodon: " + errorText(response);
    switch (response.status) {
      case 401:
        throw PlatformError(Kind::authInvalid, 401, message);
      case 404:
        throw PlatformError(Kind::notFound, 404, message);
      case 429:
        throw PlatformError::rateLimited(429, message, net::mastodonRate(response).resetMs, false);
      case 422:
        if (message.find(kNotProcessed) != std::string::npos) {
          throw PlatformError(Kind::notReady, 422, message);
        }
        throw PlatformError(Kind::policy, 422, message);
      default:
        throw PlatformError(response.status >= 500 ? Kind::transient : Kind::policy,
                            response.status, message);
    }
  }

  Json upload(Session& session, const MediaItem& item, Json& state) const override {
    const std::string base = session.account().baseUrl;
    if (!state.contains("id")) {
      net::Multipart form;
      form.file("file", item.filename(), item.mime, media::readAll(item.path));
      if (!item.alt.empty()) form.field("description", item.alt);
      net::Request request;
      request.method = "POST";
      request.url = base + "/api/v2/media";
      request.body = form.finish();
      request.header("Content-Type", form.contentType());
      // An upload whose answer was lost is uploaded again: unattached media cost nothing.
      const net::Response response = session.call(std::move(request));
      const Json body = response.json();
      if (!body.is_object() || !body.contains("id")) {
        throw common::job::Retryable("mastodon: media upload answered without an id");
      }
      state["id"] = body["id"].is_string() ? body["id"].get<std::string>() : body["id"].dump();
      state["processing"] = response.status == 202 || body.value("url", Json()).is_null();
      session.save();
    }
    if (state.value("processing", false)) waitProcessed(session, state);
    return Json{{"id", state["id"]}};
  }

  void prepare(Session&, const Part&, Json& state) const override {
    if (!state.contains("idempotencyKey")) {
      state["idempotencyKey"] = "warren-" + common::crypto::randomHex(16);
    }
  }

  Json create(Session& session, const Part& part, Json& state) const override {
    Json body = {{"status", part.text}};
    if (!part.media.empty()) {
      Json ids = Json::array();
      for (const Json& ref : part.media) ids.push_back(ref.value("id", ""));
      body["media_ids"] = ids;
    }
    if (!part.visibility.empty()) body["visibility"] = part.visibility;
    if (!part.language.empty()) body["language"] = part.language;
    if (part.parent.is_object()) body["in_reply_to_id"] = part.parent.value("id", "");
    net::Request request;
    request.method = "POST";
    request.url = session.account().baseUrl + "/api/v1/statuses";
    request.json(body);
    request.header("Idempotency-Key", state.value("idempotencyKey", ""));
    // Media still processing (422) is not a post: wait and send again with the same key.
    const std::int64_t deadline = nowMs() + session.settings().mediaWaitMs;
    for (;;) {
      try {
        const net::Response response = session.call(request, true);
        return refOf(response.json());
      } catch (const OutcomeUnknown&) {
        throw;
      } catch (const PlatformError& e) {
        if (e.kind() != Kind::notReady || nowMs() > deadline) throw;
        if (session.pause(session.settings().mediaPollMs)) {
          throw common::job::Retryable("cancelled while mastodon processed media");
        }
      }
    }
  }

  Reconciliation reconcile(Session& session, const Part& part, const Json& state) const override {
    const std::int64_t sentAt = state.value("sentAt", std::int64_t{0});
    Reconciliation r;
    if (nowMs() - sentAt > session.settings().mastodonKeyWindowMs) {
      r.reason = "its Idempotency-Key was sent at " + isoTime(sentAt) +
                 " and Mastodon keeps keys for about an hour only";
      return r;
    }
    // The same key returns the status created by the first request, or creates it now.
    Json again = state;
    r.ref = create(session, part, again);
    r.outcome = Reconciliation::Outcome::posted;
    return r;
  }

  std::vector<Reading> metrics(Session& session, const std::vector<Json>& refs) const override {
    const std::string base = session.account().baseUrl + "/api/v1/statuses/";
    return readEach(
        session, refs, [&](const Json& ref) { return base + ref.value("id", ""); },
        [](const Json& status, Reading& reading) {
          reading.likes = status.value("favourites_count", std::int64_t{0});
          reading.reposts = status.value("reblogs_count", std::int64_t{0});
          reading.replies = status.value("replies_count", std::int64_t{0});
          if (status.contains("quotes_count")) reading.quotes = status.value("quotes_count", 0);
          for (const char* field :
               {"favourites_count", "reblogs_count", "replies_count", "quotes_count"}) {
            if (status.contains(field)) reading.raw[field] = status[field];
          }
        });
  }

 private:
  static Json refOf(const Json& status) {
    if (!status.is_object() || !status.contains("id")) {
      throw OutcomeUnknown("mastodon answered the status without an id");
    }
    const std::string id =
        status["id"].is_string() ? status["id"].get<std::string>() : status["id"].dump();
    std::string url = status.value("url", Json()).is_string() ? status.value("url", "") : "";
    if (url.empty()) url = status.value("uri", Json()).is_string() ? status.value("uri", "") : "";
    return Json{{"id", id}, {"url", url}};
  }

  void waitProcessed(Session& session, Json& state) const {
    const std::int64_t deadline = nowMs() + session.settings().mediaWaitMs;
    net::Request poll;
    poll.url = session.account().baseUrl + "/api/v1/media/" + state["id"].get<std::string>();
    for (;;) {
      const net::Response response = session.call(poll);
      if (response.status == 200) {
        state["processing"] = false;
        session.save();
        return;
      }
      if (nowMs() > deadline) {
        throw common::job::Retryable("mastodon is still processing media " +
                                     state["id"].get<std::string>() + " after " +
                                     std::to_string(session.settings().mediaWaitMs) + " ms");
      }
      if (session.pause(session.settings().mediaPollMs)) {
        throw common::job::Retryable("cancelled while mastodon processed media");
      }
    }
  }
};

}  // namespace

const Platform& mastodonPlatform() {
  static const Mastodon instance;
  return instance;
}

}  // namespace publish::platforms
