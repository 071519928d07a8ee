// Threads API (external-apis.md §8): a container (TEXT, IMAGE or VIDEO, with the media as a
// URL Meta fetches: the object store's presigned URL), waited for until FINISHED, then
// threads_publish; replies chain through reply_to_id; long-lived tokens refreshed a week
// before they expire. The container is saved before it is published: a container publishes
// once only, so publishing it again after a lost answer cannot make a second post, and a
// published one is found among the account's recent threads.
#include "Clock.h"
#include "job/Failure.h"
#include "platforms/Errors.h"
#include "platforms/Platform.h"
#include "platforms/Session.h"

namespace publish::platforms {
namespace {

using Kind = PlatformError::Kind;

constexpr std::int64_t kWeekMs = 7ll * 24 * 3600 * 1000;
constexpr std::int64_t kLookBackMs = 60 * 1000;
constexpr std::int64_t kLimitWaitMs = 15 * 60 * 1000;  // Graph limits carry no reset time
constexpr std::uint32_t kMediaUrlSeconds = 3600;

Json graphError(const net::Response& response) {
  const Json body = response.json();
  return body.is_object() ? body.value("error", Json::object()) : Json::object();
}

class Threads final : public Platform {
 public:
  const char* name() const override { return "threads"; }

  Limits limits() const override {
    Limits l;
    l.maxImages = 1;
    l.maxVideos = 1;
    l.mixImagesAndVideo = false;
    l.maxImageBytes = 8ll * 1000 * 1000;
    l.maxVideoBytes = 1000ll * 1000 * 1000;
    l.maxVideoSeconds = 5 * 60;
    l.minAspect = 0.1;
    l.maxAspect = 10;
    l.imageTypes = {"image/jpeg", "image/png"};
    l.videoTypes = {"video/mp4", "video/quicktime"};
    return l;
  }

  std::int64_t refreshMarginMs(std::int64_t configured) const override {
    return std::max(configured, kWeekMs);
  }

  void authorize(net::Request& request, const store::Account& account) const override {
    request.header("Authorization", "Bearer " + account.accessToken);
  }

  void check(const net::Response& response) const override {
    if (response.ok()) return;
    const Json error = graphError(response);
    const int code = error.value("code", 0);
    const int subcode = error.value("error_subcode", 0);
    const std::string message =
        "threads: " +
        error.value("message", std::string("HTTP ") + std::to_string(response.status));
    if (code == 190) {
      throw PlatformError(subcode == 463 ? Kind::authExpired : Kind::authInvalid, response.status,
                          message);
    }
    if (response.status == 429 || code == 4 || code == 17 || code == 32 || code == 613) {
      throw PlatformError::rateLimited(response.status, message, nowMs() + kLimitWaitMs, code == 4);
    }
    if (code == 9007) throw PlatformError(Kind::notReady, response.status, message);
    if (code == 100 && subcode == 33) throw PlatformError(Kind::notFound, response.status, message);
    if (response.status >= 500 || code == 1 || code == 2) {
      throw PlatformError(Kind::transient, response.status, message);
    }
    throw PlatformError(Kind::policy, response.status, message);
  }

  bool canRefresh(const store::Account& account) const override {
    return !account.accessToken.empty();
  }

  store::Tokens refresh(Session& session) const override {
    const store::Account& account = session.account();
    net::Request request;
    request.url = account.baseUrl +
                  "/refresh_access_token?grant_type=th_refresh_token&access_token=" +
                  net::urlEncode(account.accessToken);
    const net::Response response = session.send(request);
    if (!response.ok()) {
      check(response);
    }
    const Json body = response.json();
    store::Tokens tokens;
    tokens.accessToken = body.value("access_token", "");
    const std::int64_t expiresIn = body.value("expires_in", std::int64_t{0});
    if (expiresIn > 0) tokens.expiresAt = nowMs() + expiresIn * 1000;
    if (tokens.accessToken.empty()) {
      throw PlatformError(Kind::transient, response.status,
                          "threads: the refresh answer has no access_token");
    }
    return tokens;
  }

  // Meta fetches the media itself: the ref is a presigned URL of the object.
  Json upload(Session& session, const MediaItem& item, Json&) const override {
    const warren::Host& host = session.host();
    warren_buffer url{};
    warren_buffer error{};
    const warren_status status =
        host.storage().presign_get(host.raw(), item.key.c_str(), kMediaUrlSeconds, &url, &error);
    const std::string text = host.take(url);
    const std::string message = host.take(error);
    if (status != WARREN_OK) {
      throw common::job::Retryable("object storage cannot give a URL of '" + item.key +
                                   "': " + message);
    }
    return Json{{"url", text}, {"video", item.video}};
  }

  Json create(Session& session, const Part& part, Json& state) const override {
    const std::string base = api(session);
    if (!state.contains("container")) {
      std::vector<std::pair<std::string, std::string>> fields = {{"text", part.text}};
      if (part.media.empty()) {
        fields.emplace_back("media_type", "TEXT");
      } else {
        const Json& media = part.media.front();
        const bool video = media.value("video", false);
        fields.emplace_back("media_type", video ? "VIDEO" : "IMAGE");
        fields.emplace_back(video ? "video_url" : "image_url", media.value("url", ""));
      }
      if (part.parent.is_object()) fields.emplace_back("reply_to_id", part.parent.value("id", ""));
      net::Request request;
      request.method = "POST";
      request.url = base + "/" + session.account().platformUserId + "/threads";
      request.header("Content-Type", "application/x-www-form-urlencoded");
      request.body = net::formEncode(fields);
      // A container whose answer was lost is never published: making another one is safe.
      const std::string id = session.call(std::move(request)).json().value("id", "");
      if (id.empty()) throw common::job::Retryable("threads answered the container without an id");
      state["container"] = id;
      session.save();
    }
    const std::string container = state["container"];
    waitFinished(session, container);
    net::Request publish;
    publish.method = "POST";
    publish.url = base + "/" + session.account().platformUserId + "/threads_publish";
    publish.header("Content-Type", "application/x-www-form-urlencoded");
    publish.body = net::formEncode({{"creation_id", container}});
    try {
      const std::string id = session.call(std::move(publish), true).json().value("id", "");
      if (id.empty()) throw OutcomeUnknown("threads answered threads_publish without an id");
      return refOf(session, id);
    } catch (const PlatformError& e) {
      // Published already (by a send whose answer was lost): it is among the recent threads.
      if (e.kind() != Kind::policy ||
          std::string(e.what()).find("already been published") == std::string::npos) {
        throw;
      }
      Json found = findRecent(session, part, state);
      if (found.is_null())
        throw OutcomeUnknown(std::string(e.what()) + ", and it is not among the recent threads");
      return found;
    }
  }

  Reconciliation reconcile(Session& session, const Part& part, const Json& state) const override {
    Reconciliation r;
    if (!state.contains("container")) {
      r.outcome = Reconciliation::Outcome::notPosted;  // nothing to publish existed yet
      return r;
    }
    const Json found = findRecent(session, part, state);
    if (!found.is_null()) {
      r.outcome = Reconciliation::Outcome::posted;
      r.ref = found;
      return r;
    }
    // Not among the recent threads: publishing the same container again is safe (it publishes
    // once at most).
    r.outcome = Reconciliation::Outcome::notPosted;
    return r;
  }

  std::vector<Reading> metrics(Session& session, const std::vector<Json>& refs) const override {
    const std::string base = api(session) + "/";
    return readEach(
        session, refs,
        [&](const Json& ref) {
          return base + ref.value("id", "") +
                 "/insights?metric=views,likes,replies,reposts,quotes,shares";
        },
        [](const Json& answer, Reading& reading) {
          for (const Json& metric : answer.value("data", Json::array())) {
            const Json values = metric.value("values", Json::array());
            const std::int64_t value =
                values.empty() ? 0 : values.front().value("value", std::int64_t{0});
            const std::string name = metric.value("name", "");
            reading.raw[name] = value;
            if (name == "views") reading.views = value;
            if (name == "likes") reading.likes = value;
            if (name == "replies") reading.replies = value;
            if (name == "reposts") reading.reposts = value;
            if (name == "quotes") reading.quotes = value;
            if (name == "shares") reading.shares = value;
          }
        });
  }

 private:
  static std::string api(Session& session) { return session.account().baseUrl + "/v1.0"; }

  static Json refOf(Session& session, const std::string& id, std::string url = {}) {
    if (url.empty()) {
      std::string handle = session.account().handle;
      if (!handle.empty() && handle.front() == '@') handle.erase(0, 1);
      url = "https://www.threads.net/@" + handle + "/post/" + id;
    }
    return Json{{"id", id}, {"url", url}};
  }

  Json findRecent(Session& session, const Part& part, const Json& state) const {
    const std::int64_t since = (state.value("sentAt", nowMs()) - kLookBackMs) / 1000;
    net::Request request;
    request.url =
        api(session) + "/" + session.account().platformUserId +
        "/threads?fields=id,text,timestamp,permalink&limit=25&since=" + std::to_string(since);
    for (const Json& thread : session.call(request).json().value("data", Json::array())) {
      if (thread.value("text", "") == part.text) {
        return refOf(session, thread.value("id", ""), thread.value("permalink", ""));
      }
    }
    return nullptr;
  }

  void waitFinished(Session& session, const std::string& container) const {
    const std::int64_t deadline = nowMs() + session.settings().mediaWaitMs;
    net::Request status;
    status.url = api(session) + "/" + container + "?fields=status,error_message";
    for (;;) {
      const Json answer = session.call(status).json();
      const std::string current = answer.value("status", "FINISHED");
      if (current == "FINISHED" || current == "PUBLISHED") return;
      if (current == "ERROR" || current == "EXPIRED") {
        throw PlatformError(Kind::policy, 0,
                            "threads container " + container + " is " + current + ": " +
                                answer.value("error_message", std::string("no reason given")));
      }
      if (nowMs() > deadline)
        throw common::job::Retryable("threads is still processing container " + container);
      if (session.pause(session.settings().mediaPollMs)) {
        throw common::job::Retryable("cancelled while threads processed container " + container);
      }
    }
  }
};

}  // namespace

const Platform& threadsPlatform() {
  static const Threads instance;
  return instance;
}

}  // namespace publish::platforms
