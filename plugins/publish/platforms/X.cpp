// X API v2 (external-apis.md §6): OAuth 2 user tokens refreshed with rotating refresh tokens,
// POST /2/tweets, images by simple upload and video in chunks (initialize, append, finalize,
// STATUS), threads through reply.in_reply_to_tweet_id. X has no idempotency: a post sent
// without an answer is looked up among the account's recent posts before anything is sent
// again.
#include "Clock.h"
#include "crypto/Digest.h"
#include "job/Failure.h"
#include "media/MediaFile.h"
#include "net/Multipart.h"
#include "platforms/Errors.h"
#include "platforms/Platform.h"
#include "platforms/Session.h"

#include <cctype>
#include <sstream>

namespace publish::platforms {
namespace {

using Kind = PlatformError::Kind;

constexpr std::int64_t kChunkBytes = 2 * 1024 * 1024;  // well under the 5 MB recommended
constexpr std::int64_t kSimpleUploadBytes = 5 * 1000 * 1000;
constexpr std::int64_t kLookBackMs = 60 * 1000;

std::string errorText(const net::Response& response) {
  const Json body = response.json();
  if (body.is_object()) {
    if (body.contains("errors") && body["errors"].is_array() && !body["errors"].empty()) {
      const Json& first = body["errors"].front();
      const std::string message = first.value("message", first.value("detail", ""));
      if (!message.empty() && !body.contains("title")) return message;
    }
    const std::string title = body.value("title", "");
    const std::string detail = body.value("detail", "");
    if (!title.empty() || !detail.empty()) {
      return title + (detail.empty() || detail == title ? "" : ": " + detail);
    }
  }
  return "HTTP " + std::to_string(response.status);
}

// Text as X shows it, reduced to what survives: links (t.co-wrapped, or appended for media)
// and leading reply mentions removed, white space collapsed.
std::string comparable(const std::string& text) {
  std::istringstream words(text);
  std::string word;
  std::string out;
  bool leading = true;
  while (words >> word) {
    if (word.rfind("http://", 0) == 0 || word.rfind("https://", 0) == 0) continue;
    if (leading && word.size() > 1 && word[0] == '@') continue;
    leading = false;
    out += (out.empty() ? "" : " ") + word;
  }
  return out;
}

std::string handleOf(const store::Account& account) {
  std::string handle = account.handle;
  if (!handle.empty() && handle.front() == '@') handle.erase(0, 1);
  return handle;
}

class X final : public Platform {
 public:
  const char* name() const override { return "x"; }

  Limits limits() const override {
    Limits l;
    l.maxImages = 4;
    l.maxVideos = 1;
    l.mixImagesAndVideo = false;
    l.maxImageBytes = 5 * 1000 * 1000;
    l.maxVideoBytes = 8ll * 1000 * 1000 * 1000;
    l.minVideoSeconds = 0.5;
    l.maxVideoSeconds = 20 * 60;
    l.minAspect = 1.0 / 3.0;
    l.maxAspect = 3.0;
    l.imageTypes = {"image/jpeg", "image/png", "image/gif", "image/webp"};
    l.videoTypes = {"video/mp4", "video/quicktime"};
    return l;
  }

  void authorize(net::Request& request, const store::Account& account) const override {
    request.header("Authorization", "Bearer " + account.accessToken);
  }

  net::RateState rate(const net::Response& response) const override { return net::xRate(response); }

  void check(const net::Response& response) const override {
    if (response.ok()) return;
    const std::string message = "x: " + errorText(response);
    const Json body = response.json();
    const std::string type = body.is_object() ? body.value("type", "") : "";
    switch (response.status) {
      case 401:
        throw PlatformError(Kind::authExpired, 401, message);
      case 404:
        throw PlatformError(Kind::notFound, 404, message);
      case 429: {
        // A usage cap is the app's (every account at once); otherwise the user's window.
        const bool whole = type.find("usage-capped") != std::string::npos;
        throw PlatformError::rateLimited(429, message, net::xRate(response).resetMs, whole);
      }
      default:
        throw PlatformError(response.status >= 500 ? Kind::transient : Kind::policy,
                            response.status, message);
    }
  }

  bool canRefresh(const store::Account& account) const override {
    return !account.refreshToken.empty() && !account.clientId.empty();
  }

  store::Tokens refresh(Session& session) const override {
    const store::Account& account = session.account();
    net::Request request;
    request.method = "POST";
    request.url = account.baseUrl + "/2/oauth2/token";
    request.header("Content-Type", "application/x-www-form-urlencoded");
    request.body = net::formEncode({{"grant_type", "refresh_token"},
                                    {"refresh_token", account.refreshToken},
                                    {"client_id", account.clientId}});
    if (!account.secret.empty()) {  // a confidential client
      request.header("Authorization", "Basic " + common::crypto::base64Encode(
                                                     account.clientId + ":" + account.secret));
    }
    const net::Response response = session.send(request);
    store::Tokens tokens = oauthTokens(response, errorText);
    if (tokens.accessToken.empty()) {
      throw PlatformError(Kind::transient, response.status,
                          "x: the token answer has no access_token");
    }
    return tokens;
  }

  Json upload(Session& session, const MediaItem& item, Json& state) const override {
    if (!item.video && item.size <= kSimpleUploadBytes && item.mime != "image/gif") {
      return simpleUpload(session, item, state);
    }
    return chunkedUpload(session, item, state);
  }

  Json create(Session& session, const Part& part, Json&) const override {
    Json body = {{"text", part.text}};
    if (!part.media.empty()) {
      Json ids = Json::array();
      for (const Json& ref : part.media) ids.push_back(ref.value("id", ""));
      body["media"] = {{"media_ids", ids}};
    }
    if (part.parent.is_object())
      body["reply"] = {{"in_reply_to_tweet_id", part.parent.value("id", "")}};
    net::Request request;
    request.method = "POST";
    request.url = session.account().baseUrl + "/2/tweets";
    request.json(body);
    const Json answer = session.call(std::move(request), true).json();
    const std::string id = answer.value("data", Json::object()).value("id", "");
    if (id.empty()) throw OutcomeUnknown("x answered the post without an id");
    return refOf(session.account(), id);
  }

  // X keeps no idempotency key: the account's posts since shortly before the send are read,
  // and one with the same text (as X shows it) is the post.
  Reconciliation reconcile(Session& session, const Part& part, const Json& state) const override {
    Reconciliation r;
    const std::string userId = userIdOf(session);
    const std::int64_t since = state.value("sentAt", nowMs()) - kLookBackMs;
    net::Request request;
    request.url = session.account().baseUrl + "/2/users/" + userId +
                  "/tweets?max_results=20&tweet.fields=created_at&start_time=" +
                  net::urlEncode(isoTime(since).substr(0, 19) + "Z");
    const Json answer = session.call(request).json();
    const std::string wanted = comparable(part.text);
    for (const Json& tweet : answer.value("data", Json::array())) {
      if (comparable(tweet.value("text", "")) != wanted) continue;
      r.outcome = Reconciliation::Outcome::posted;
      r.ref = refOf(session.account(), tweet.value("id", ""));
      return r;
    }
    r.outcome = Reconciliation::Outcome::notPosted;
    return r;
  }

  std::size_t metricsBatch() const override { return 100; }

  std::vector<Reading> metrics(Session& session, const std::vector<Json>& refs) const override {
    std::string ids;
    for (const Json& ref : refs) ids += (ids.empty() ? "" : ",") + ref.value("id", "");
    net::Request request;
    request.url =
        session.account().baseUrl + "/2/tweets?ids=" + ids + "&tweet.fields=public_metrics";
    const Json answer = session.call(request).json();
    std::vector<Reading> out;
    for (const Json& ref : refs) {
      Reading reading;
      reading.ref = ref;
      reading.deleted = true;  // absent from data: the errors array says it is gone
      for (const Json& tweet : answer.value("data", Json::array())) {
        if (tweet.value("id", "") != ref.value("id", "")) continue;
        const Json m = tweet.value("public_metrics", Json::object());
        reading.deleted = false;
        reading.likes = m.value("like_count", std::int64_t{0});
        reading.reposts = m.value("retweet_count", std::int64_t{0});
        reading.replies = m.value("reply_count", std::int64_t{0});
        reading.quotes = m.value("quote_count", std::int64_t{0});
        reading.bookmarks = m.value("bookmark_count", std::int64_t{0});
        if (m.contains("impression_count"))
          reading.impressions = m.value("impression_count", std::int64_t{0});
        reading.raw = m;
      }
      out.push_back(reading);
    }
    return out;
  }

 private:
  static Json refOf(const store::Account& account, const std::string& id) {
    return Json{{"id", id}, {"url", "https://x.com/" + handleOf(account) + "/status/" + id}};
  }

  std::string userIdOf(Session& session) const {
    if (!session.account().platformUserId.empty()) return session.account().platformUserId;
    net::Request request;
    request.url = session.account().baseUrl + "/2/users/me";
    const std::string id =
        session.call(request).json().value("data", Json::object()).value("id", "");
    if (id.empty()) throw common::job::Retryable("x: /2/users/me answered without an id");
    return id;
  }

  Json simpleUpload(Session& session, const MediaItem& item, Json& state) const {
    if (!state.contains("id")) {
      net::Multipart form;
      form.file("media", item.filename(), item.mime, media::readAll(item.path));
      form.field("media_category", "tweet_image");
      net::Request request;
      request.method = "POST";
      request.url = session.account().baseUrl + "/2/media/upload";
      request.body = form.finish();
      request.header("Content-Type", form.contentType());
      const Json answer = session.call(std::move(request)).json();
      state["id"] = answer.value("data", Json::object()).value("id", "");
      if (state["id"].get<std::string>().empty()) {
        throw common::job::Retryable("x: the media upload answered without an id");
      }
      session.save();
    }
    return Json{{"id", state["id"]}};
  }

  Json chunkedUpload(Session& session, const MediaItem& item, Json& state) const {
    const std::string base = session.account().baseUrl + "/2/media/upload";
    const std::int64_t expiresAt = state.value("expiresAt", std::int64_t{0});
    if (!state.contains("id") || (expiresAt > 0 && expiresAt < nowMs())) {
      net::Request init;
      init.method = "POST";
      init.url = base + "/initialize";
      init.json({{"media_type", item.mime},
                 {"total_bytes", item.size},
                 {"media_category", item.video ? "tweet_video" : "tweet_gif"}});
      const Json data = session.call(std::move(init)).json().value("data", Json::object());
      state = Json{{"id", data.value("id", "")}, {"next", 0}, {"finalized", false}};
      const std::int64_t ttl = data.value("expires_after_secs", std::int64_t{0});
      if (ttl > 0) state["expiresAt"] = nowMs() + ttl * 1000;
      session.save();
    }
    const std::string id = state["id"];
    const std::int64_t chunks = (item.size + kChunkBytes - 1) / kChunkBytes;
    for (std::int64_t index = state.value("next", std::int64_t{0}); index < chunks; ++index) {
      net::Multipart form;
      form.field("segment_index", std::to_string(index));
      form.file("media", "chunk", "application/octet-stream",
                media::readChunk(item.path, index * kChunkBytes, kChunkBytes));
      net::Request append;
      append.method = "POST";
      append.url = base + "/" + id + "/append";
      append.body = form.finish();
      append.header("Content-Type", form.contentType());
      session.call(std::move(append));
      state["next"] = index + 1;
      session.save();
    }
    if (!state.value("finalized", false)) {
      net::Request finalize;
      finalize.method = "POST";
      finalize.url = base + "/" + id + "/finalize";
      const Json data = session.call(std::move(finalize)).json().value("data", Json::object());
      state["finalized"] = true;
      state["processing"] = data.contains("processing_info");
      session.save();
    }
    if (state.value("processing", false)) waitProcessed(session, state);
    return Json{{"id", id}};
  }

  void waitProcessed(Session& session, Json& state) const {
    const std::int64_t deadline = nowMs() + session.settings().mediaWaitMs;
    net::Request status;
    status.url = session.account().baseUrl +
                 "/2/media/upload?command=STATUS&media_id=" + state["id"].get<std::string>();
    for (;;) {
      const Json info = session.call(status)
                            .json()
                            .value("data", Json::object())
                            .value("processing_info", Json::object());
      const std::string current = info.value("state", "succeeded");
      if (current == "succeeded") {
        state["processing"] = false;
        session.save();
        return;
      }
      if (current == "failed") {
        const Json error = info.value("error", Json::object());
        throw PlatformError(Kind::policy, 0,
                            "x could not process media " + state["id"].get<std::string>() + ": " +
                                error.value("message", error.value("name", std::string("failed"))));
      }
      if (nowMs() > deadline) {
        throw common::job::Retryable("x is still processing media " +
                                     state["id"].get<std::string>());
      }
      const std::int64_t after = info.value("check_after_secs", std::int64_t{0}) * 1000;
      if (session.pause(
              std::min(std::max(after, session.settings().mediaPollMs), std::int64_t{5000}))) {
        throw common::job::Retryable("cancelled while x processed media");
      }
    }
  }
};

}  // namespace

const Platform& xPlatform() {
  static const X instance;
  return instance;
}

}  // namespace publish::platforms
