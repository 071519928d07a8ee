// LinkedIn Posts API (external-apis.md §7): versioned REST calls (LinkedIn-Version, Restli 2.0),
// commentary in little-text format (escaped by plugins/common/platform), images and videos
// through initializeUpload and PUTs to the upload URLs, OAuth 2 refresh. LinkedIn has no
// idempotency: a post sent without an answer is looked up among the author's posts when the
// account may read them (r_member_social / r_organization_social); without that scope the
// outcome cannot be checked and the publication ends unconfirmed.
#include "Clock.h"
#include "job/Failure.h"
#include "media/MediaFile.h"
#include "platform/LittleText.h"
#include "platforms/Errors.h"
#include "platforms/Platform.h"
#include "platforms/Session.h"

namespace publish::platforms {
namespace {

using Kind = PlatformError::Kind;

constexpr const char* kVersion = "202506";
constexpr std::int64_t kLookBackMs = 60 * 1000;

std::string errorText(const net::Response& response) {
  const Json body = response.json();
  if (body.is_object() && body.contains("message") && body["message"].is_string()) {
    return body["message"].get<std::string>();
  }
  return "HTTP " + std::to_string(response.status);
}

// The end of the current UTC day: LinkedIn's daily quotas reset at midnight UTC.
std::int64_t nextMidnightUtc() {
  constexpr std::int64_t day = 24 * 3600 * 1000;
  return (nowMs() / day + 1) * day;
}

// The token endpoint is on www.linkedin.com for the real API; elsewhere (a proxy, a fake) on
// the account's base URL.
std::string tokenUrl(const std::string& base) {
  if (base.find("://api.linkedin.com") != std::string::npos) {
    return "https://www.linkedin.com/oauth/v2/accessToken";
  }
  return base + "/oauth/v2/accessToken";
}

class LinkedIn final : public Platform {
 public:
  const char* name() const override { return "linkedin"; }

  Limits limits() const override {
    Limits l;
    l.maxImages = 20;
    l.maxVideos = 1;
    l.mixImagesAndVideo = false;
    l.maxPixels = 36152320;
    l.maxVideoBytes = 500ll * 1000 * 1000;
    l.minVideoSeconds = 3;
    l.maxVideoSeconds = 30 * 60;
    l.imageTypes = {"image/jpeg", "image/png", "image/gif"};
    l.videoTypes = {"video/mp4"};
    l.threads = false;
    return l;
  }

  void authorize(net::Request& request, const store::Account& account) const override {
    request.header("Authorization", "Bearer " + account.accessToken);
    request.header("LinkedIn-Version", kVersion);
    request.header("X-Restli-Protocol-Version", "2.0.0");
  }

  void check(const net::Response& response) const override {
    if (response.ok()) return;
    const std::string text = errorText(response);
    const std::string message = "linkedin: " + text;
    const Json body = response.json();
    const std::string code = body.is_object() ? body.value("code", "") : "";
    switch (response.status) {
      case 401:
        throw PlatformError(
            code == "EXPIRED_ACCESS_TOKEN" || text.find("expired") != std::string::npos
                ? Kind::authExpired
                : Kind::authInvalid,
            401, message);
      case 404:
        throw PlatformError(Kind::notFound, 404, message);
      case 429:
        // Daily quotas, per member and per application, with no header saying when.
        throw PlatformError::rateLimited(429, message, nextMidnightUtc(),
                                         text.find("APPLICATION") != std::string::npos);
      default:
        throw PlatformError(response.status >= 500 ? Kind::transient : Kind::policy,
                            response.status, message);
    }
  }

  bool canRefresh(const store::Account& account) const override {
    return !account.refreshToken.empty() && !account.clientId.empty() && !account.secret.empty();
  }

  store::Tokens refresh(Session& session) const override {
    const store::Account& account = session.account();
    net::Request request;
    request.method = "POST";
    request.url = tokenUrl(account.baseUrl);
    request.header("Content-Type", "application/x-www-form-urlencoded");
    request.body = net::formEncode({{"grant_type", "refresh_token"},
                                    {"refresh_token", account.refreshToken},
                                    {"client_id", account.clientId},
                                    {"client_secret", account.secret}});
    return oauthTokens(session.send(request), errorText);
  }

  Json upload(Session& session, const MediaItem& item, Json& state) const override {
    return item.video ? uploadVideo(session, item, state) : uploadImage(session, item, state);
  }

  Json create(Session& session, const Part& part, Json&) const override {
    const store::Account& account = session.account();
    Json body = {{"author", account.platformUserId},
                 {"commentary", common::platform::escapeLittleText(part.text)},
                 {"visibility", part.visibility.empty() ? "PUBLIC" : part.visibility},
                 {"distribution",
                  {{"feedDistribution", "MAIN_FEED"},
                   {"targetEntities", Json::array()},
                   {"thirdPartyDistributionChannels", Json::array()}}},
                 {"lifecycleState", "PUBLISHED"},
                 {"isReshareDisabledByAuthor", false}};
    if (part.media.size() == 1) {
      body["content"] = {
          {"media",
           {{"id", part.media[0].value("id", "")}, {"altText", part.media[0].value("alt", "")}}}};
    } else if (part.media.size() > 1) {
      Json images = Json::array();
      for (const Json& ref : part.media)
        images.push_back({{"id", ref.value("id", "")}, {"altText", ref.value("alt", "")}});
      body["content"] = {{"multiImage", {{"images", images}}}};
    }
    net::Request request;
    request.method = "POST";
    request.url = account.baseUrl + "/rest/posts";
    request.json(body);
    const net::Response response = session.call(std::move(request), true);
    const std::string urn = response.header("x-restli-id");
    if (urn.empty())
      throw OutcomeUnknown("linkedin answered " + std::to_string(response.status) +
                           " without x-restli-id");
    return refOf(urn);
  }

  Reconciliation reconcile(Session& session, const Part& part, const Json& state) const override {
    Reconciliation r;
    const store::Account& account = session.account();
    if (!account.hasScope("r_member_social") && !account.hasScope("r_organization_social")) {
      r.reason = "LinkedIn's posts of " + account.platformUserId +
                 " cannot be read without the r_member_social (or r_organization_social) scope";
      return r;
    }
    net::Request request;
    request.url = account.baseUrl +
                  "/rest/posts?q=author&author=" + net::urlEncode(account.platformUserId) +
                  "&count=20&sortBy=LAST_MODIFIED";
    const Json answer = session.call(request).json();
    const std::string commentary = common::platform::escapeLittleText(part.text);
    const std::int64_t since = state.value("sentAt", nowMs()) - kLookBackMs;
    for (const Json& post : answer.value("elements", Json::array())) {
      if (post.value("commentary", "") != commentary) continue;
      if (post.value("createdAt", std::int64_t{0}) < since) continue;
      r.outcome = Reconciliation::Outcome::posted;
      r.ref = refOf(post.value("id", ""));
      return r;
    }
    r.outcome = Reconciliation::Outcome::notPosted;
    return r;
  }

  std::vector<Reading> metrics(Session& session, const std::vector<Json>& refs) const override {
    const std::string base = session.account().baseUrl + "/rest/socialMetadata/";
    return readEach(
        session, refs, [&](const Json& ref) { return base + net::urlEncode(ref.value("id", "")); },
        [](const Json& answer, Reading& reading) {
          std::int64_t reactions = 0;
          // Named, not iterated as a temporary: items() would outlive the value it refers to.
          const Json summaries = answer.value("reactionSummaries", Json::object());
          for (const auto& [type, summary] : summaries.items()) {
            reactions += summary.value("count", std::int64_t{0});
            reading.raw[type] = summary.value("count", std::int64_t{0});
          }
          reading.likes = reactions;
          reading.replies =
              answer.value("commentSummary", Json::object()).value("count", std::int64_t{0});
          reading.raw["comments"] = reading.replies;
        });
  }

 private:
  static Json refOf(const std::string& urn) {
    return Json{{"id", urn}, {"url", "https://www.linkedin.com/feed/update/" + urn + "/"}};
  }

  static net::Request put(const std::string& url, std::string bytes) {
    net::Request request;
    request.method = "PUT";
    request.url = url;
    request.body = std::move(bytes);
    request.header("Content-Type", "application/octet-stream");
    return request;
  }

  Json uploadImage(Session& session, const MediaItem& item, Json& state) const {
    const store::Account& account = session.account();
    const std::int64_t expiresAt = state.value("uploadUrlExpiresAt", std::int64_t{0});
    if (!state.contains("image") ||
        (!state.value("uploaded", false) && expiresAt > 0 && expiresAt < nowMs())) {
      net::Request init;
      init.method = "POST";
      init.url = account.baseUrl + "/rest/images?action=initializeUpload";
      init.json({{"initializeUploadRequest", {{"owner", account.platformUserId}}}});
      const Json value = session.call(std::move(init)).json().value("value", Json::object());
      state = Json{{"image", value.value("image", "")},
                   {"uploadUrl", value.value("uploadUrl", "")},
                   {"uploadUrlExpiresAt", value.value("uploadUrlExpiresAt", std::int64_t{0})},
                   {"uploaded", false}};
      session.save();
    }
    if (!state.value("uploaded", false)) {
      session.call(put(state["uploadUrl"], media::readAll(item.path)));
      state["uploaded"] = true;
      session.save();
    }
    return Json{{"id", state["image"]}, {"alt", item.alt}};
  }

  Json uploadVideo(Session& session, const MediaItem& item, Json& state) const {
    const store::Account& account = session.account();
    if (!state.contains("video")) {
      net::Request init;
      init.method = "POST";
      init.url = account.baseUrl + "/rest/videos?action=initializeUpload";
      init.json({{"initializeUploadRequest",
                  {{"owner", account.platformUserId},
                   {"fileSizeBytes", item.size},
                   {"uploadCaptions", false},
                   {"uploadThumbnail", false}}}});
      const Json value = session.call(std::move(init)).json().value("value", Json::object());
      state = Json{{"video", value.value("video", "")},
                   {"uploadToken", value.value("uploadToken", "")},
                   {"instructions", value.value("uploadInstructions", Json::array())},
                   {"etags", Json::array()},
                   {"finalized", false}};
      session.save();
    }
    Json& etags = state["etags"];
    const Json& instructions = state["instructions"];
    for (std::size_t i = etags.size(); i < instructions.size(); ++i) {
      const std::int64_t first = instructions[i].value("firstByte", std::int64_t{0});
      const std::int64_t last = instructions[i].value("lastByte", std::int64_t{0});
      const net::Response response =
          session.call(put(instructions[i].value("uploadUrl", ""),
                           media::readChunk(item.path, first, last - first + 1)));
      etags.push_back(response.header("etag"));
      session.save();
    }
    if (!state.value("finalized", false)) {
      net::Request finalize;
      finalize.method = "POST";
      finalize.url = account.baseUrl + "/rest/videos?action=finalizeUpload";
      finalize.json({{"finalizeUploadRequest",
                      {{"video", state["video"]},
                       {"uploadToken", state["uploadToken"]},
                       {"uploadedPartIds", etags}}}});
      session.call(std::move(finalize));
      state["finalized"] = true;
      session.save();
    }
    waitAvailable(session, state["video"]);
    return Json{{"id", state["video"]}, {"alt", item.alt}};
  }

  void waitAvailable(Session& session, const std::string& urn) const {
    const std::int64_t deadline = nowMs() + session.settings().mediaWaitMs;
    net::Request status;
    status.url = session.account().baseUrl + "/rest/videos/" + net::urlEncode(urn);
    for (;;) {
      const std::string current = session.call(status).json().value("status", "");
      if (current == "AVAILABLE") return;
      if (current == "PROCESSING_FAILED") {
        throw PlatformError(Kind::policy, 0, "linkedin could not process video " + urn);
      }
      if (nowMs() > deadline)
        throw common::job::Retryable("linkedin is still processing video " + urn);
      if (session.pause(session.settings().mediaPollMs)) {
        throw common::job::Retryable("cancelled while linkedin processed video " + urn);
      }
    }
  }
};

}  // namespace

const Platform& linkedinPlatform() {
  static const LinkedIn instance;
  return instance;
}

}  // namespace publish::platforms
