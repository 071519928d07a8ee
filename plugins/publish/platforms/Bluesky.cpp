// Bluesky / AT Protocol (external-apis.md §5): sessions from an app password, refreshed with
// the refresh JWT; posts as app.bsky.feed.post records created under a record key chosen
// before the first try (a retry finds or re-creates exactly that record); facets at UTF-8 byte
// offsets; images and video as blobs with their aspect ratio; threads through reply refs.
#include "Clock.h"
#include "crypto/Digest.h"
#include "crypto/Random.h"
#include "job/Failure.h"
#include "media/MediaFile.h"
#include "platform/Detect.h"
#include "platforms/Errors.h"
#include "platforms/Platform.h"
#include "platforms/Session.h"

namespace publish::platforms {
namespace {

using Kind = PlatformError::Kind;

constexpr const char* kCollection = "app.bsky.feed.post";

std::string errorName(const Json& body) {
  return body.is_object() ? body.value("error", "") : "";
}

std::string errorText(const net::Response& response) {
  const Json body = response.json();
  std::string name = errorName(body);
  const std::string message = body.is_object() ? body.value("message", "") : "";
  if (name.empty() && message.empty()) return "HTTP " + std::to_string(response.status);
  return name + (message.empty() ? "" : (name.empty() ? "" : ": ") + message);
}

// A TID (timestamp identifier): 53 bits of microseconds and 10 random bits in base32-sortable,
// 13 characters, the record key form app.bsky.feed.post uses.
std::string newTid() {
  static const char alphabet[] = "234567abcdefghijklmnopqrstuvwxyz";
  const std::string random = common::crypto::randomBytes(2);
  const auto clock = (static_cast<std::uint64_t>(static_cast<unsigned char>(random[0])) << 8 |
                      static_cast<unsigned char>(random[1])) &
                     0x3ffu;
  const auto micros =
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
  std::uint64_t value = ((micros & ((1ull << 53) - 1)) << 10) | clock;
  std::string out(13, '2');
  for (int i = 12; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = alphabet[value & 31u];
    value >>= 5;
  }
  return out;
}

// The expiry of a JWT (its "exp" claim) in Unix ms, 0 when it cannot be read.
std::int64_t jwtExpiry(const std::string& token) {
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  if (first == std::string::npos || second == std::string::npos) return 0;
  std::string payload = token.substr(first + 1, second - first - 1);
  for (char& c : payload) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (payload.size() % 4 != 0) payload += '=';
  std::string decoded;
  if (!common::crypto::base64Decode(payload, decoded)) return 0;
  try {
    const Json claims = Json::parse(decoded);
    return claims.value("exp", std::int64_t{0}) * 1000;
  } catch (const Json::exception&) {
    return 0;
  }
}

std::string rkeyOf(const std::string& uri) {
  const auto slash = uri.find_last_of('/');
  return slash == std::string::npos ? uri : uri.substr(slash + 1);
}

class Bluesky final : public Platform {
 public:
  const char* name() const override { return "bluesky"; }

  Limits limits() const override {
    Limits l;
    l.maxImages = 4;
    l.maxVideos = 1;
    l.mixImagesAndVideo = false;
    l.maxImageBytes = 2000000;   // lexicon
    l.maxVideoBytes = 50000000;  // the PDS blob cap for uploadBlob
    l.maxVideoSeconds = 180;
    l.imageTypes = {"image/jpeg", "image/png", "image/gif", "image/webp"};
    l.videoTypes = {"video/mp4"};
    return l;
  }

  void authorize(net::Request& request, const store::Account& account) const override {
    request.header("Authorization", "Bearer " + account.accessToken);
  }

  net::RateState rate(const net::Response& response) const override {
    return net::blueskyRate(response);
  }

  void check(const net::Response& response) const override {
    if (response.ok()) return;
    const Json body = response.json();
    const std::string name = errorName(body);
    const std::string message = "bluesky: " + errorText(response);
    if (response.status == 429 || name == "RateLimitExceeded") {
      throw PlatformError::rateLimited(response.status, message, net::blueskyRate(response).resetMs,
                                       false);
    }
    if (name == "AccountTakedown" || name == "AccountDeactivated") {
      throw PlatformError(Kind::authInvalid, response.status, message);
    }
    if (name == "ExpiredToken" || name == "InvalidToken" || response.status == 401) {
      throw PlatformError(Kind::authExpired, response.status, message);
    }
    if (name == "RecordNotFound" || response.status == 404) {
      throw PlatformError(Kind::notFound, response.status, message);
    }
    throw PlatformError(response.status >= 500 ? Kind::transient : Kind::policy, response.status,
                        message);
  }

  bool canRefresh(const store::Account& account) const override {
    return !account.refreshToken.empty() || !account.secret.empty();
  }

  bool needsSessionFirst(const store::Account& account) const override {
    return account.accessToken.empty() && canRefresh(account);
  }

  store::Tokens refresh(Session& session) const override {
    const store::Account& account = session.account();
    if (!account.refreshToken.empty()) {
      net::Request request;
      request.method = "POST";
      request.url = account.baseUrl + "/xrpc/com.atproto.server.refreshSession";
      request.header("Authorization", "Bearer " + account.refreshToken);
      const net::Response response = session.send(request);
      if (response.ok()) return tokensOf(response.json());
      const std::string name = errorName(response.json());
      const bool refused =
          name == "ExpiredToken" || name == "InvalidToken" || response.status == 401;
      if (!refused) check(response);  // a rate limit or a server error, as such
      if (account.secret.empty()) throw refusal(response);
      // The refresh token is spent: start a new session with the app password.
    }
    if (account.secret.empty()) {
      throw PlatformError(Kind::authInvalid, 0,
                          "bluesky: no refresh token and no app password to start a session");
    }
    net::Request request;
    request.method = "POST";
    request.url = account.baseUrl + "/xrpc/com.atproto.server.createSession";
    request.json({{"identifier", identifierOf(account)}, {"password", account.secret}});
    const net::Response response = session.send(request);
    if (response.ok()) return tokensOf(response.json());
    if (response.status == 401 || response.status == 400) throw refusal(response);
    check(response);
    throw refusal(response);
  }

  Json upload(Session& session, const MediaItem& item, Json& state) const override {
    if (!state.contains("blob")) {
      net::Request request;
      request.method = "POST";
      request.url = session.account().baseUrl + "/xrpc/com.atproto.repo.uploadBlob";
      request.header("Content-Type", item.mime);
      request.body = media::readAll(item.path);
      const Json body = session.call(std::move(request)).json();
      if (!body.is_object() || !body.contains("blob")) {
        throw common::job::Retryable("bluesky: uploadBlob answered without a blob");
      }
      state["blob"] = body["blob"];
      session.save();
    }
    Json ref = {{"blob", state["blob"]}, {"alt", item.alt}, {"video", item.video}};
    if (item.width > 0 && item.height > 0) {
      ref["aspectRatio"] = {{"width", item.width}, {"height", item.height}};
    }
    return ref;
  }

  // The parent's cid, and the root of the thread it belongs to.
  Json replyTarget(Session& session, const std::string& uri) const override {
    net::Request request;
    request.url =
        session.account().baseUrl + "/xrpc/app.bsky.feed.getPosts?uris=" + net::urlEncode(uri);
    const Json posts = session.call(request).json().value("posts", Json::array());
    if (posts.empty()) {
      throw PlatformError(Kind::policy, 0,
                          "bluesky: the post to reply to (" + uri + ") does not exist");
    }
    const Json& post = posts.front();
    const Json parent = {{"id", uri}, {"uri", uri}, {"cid", post.value("cid", "")}};
    Json root = parent;
    const Json record = post.value("record", Json::object());
    if (record.contains("reply") && record["reply"].contains("root")) {
      const Json& r = record["reply"]["root"];
      root = {{"id", r.value("uri", "")}, {"uri", r.value("uri", "")}, {"cid", r.value("cid", "")}};
    }
    return Json{{"parent", parent}, {"root", root}};
  }

  void prepare(Session&, const Part&, Json& state) const override {
    if (!state.contains("rkey")) state["rkey"] = newTid();
    if (!state.contains("createdAt")) state["createdAt"] = isoTime(nowMs());
  }

  Json create(Session& session, const Part& part, Json& state) const override {
    const store::Account& account = session.account();
    const std::string rkey = state.value("rkey", "");
    Json record = {{"$type", kCollection},
                   {"text", part.text},
                   {"createdAt", state.value("createdAt", isoTime(nowMs()))}};
    if (!part.language.empty()) record["langs"] = Json::array({part.language});
    const Json facets = facetsOf(session, part.text);
    if (!facets.empty()) record["facets"] = facets;
    if (!part.media.empty()) record["embed"] = embedOf(part.media);
    if (part.parent.is_object()) {
      const Json root = part.root.is_object() ? part.root : part.parent;
      record["reply"] = {{"root", strongRef(root)}, {"parent", strongRef(part.parent)}};
    }
    net::Request request;
    request.method = "POST";
    request.url = account.baseUrl + "/xrpc/com.atproto.repo.createRecord";
    request.json({{"repo", account.platformUserId},
                  {"collection", kCollection},
                  {"rkey", rkey},
                  {"record", record}});
    try {
      return refOf(account, session.call(request, true).json());
    } catch (const PlatformError& e) {
      // A record under this key exists already: an earlier try created it.
      if (e.kind() != Kind::policy) throw;
      if (Json existing = getRecord(session, rkey); !existing.is_null()) return existing;
      throw;
    }
  }

  Reconciliation reconcile(Session& session, const Part&, const Json& state) const override {
    Reconciliation r;
    const Json existing = getRecord(session, state.value("rkey", ""));
    if (existing.is_null()) {
      r.outcome = Reconciliation::Outcome::notPosted;
    } else {
      r.outcome = Reconciliation::Outcome::posted;
      r.ref = existing;
    }
    return r;
  }

  std::size_t metricsBatch() const override { return 25; }

  std::vector<Reading> metrics(Session& session, const std::vector<Json>& refs) const override {
    std::string query;
    for (const Json& ref : refs) {
      query +=
          (query.empty() ? "?" : "&") + std::string("uris=") + net::urlEncode(ref.value("uri", ""));
    }
    net::Request request;
    request.url = session.account().baseUrl + "/xrpc/app.bsky.feed.getPosts" + query;
    const Json body = session.call(request).json();
    std::vector<Reading> out;
    for (const Json& ref : refs) {
      Reading reading;
      reading.ref = ref;
      reading.deleted = true;  // getPosts leaves deleted and unknown posts out
      for (const Json& post : body.value("posts", Json::array())) {
        if (post.value("uri", "") != ref.value("uri", "")) continue;
        reading.deleted = false;
        reading.likes = post.value("likeCount", std::int64_t{0});
        reading.reposts = post.value("repostCount", std::int64_t{0});
        reading.replies = post.value("replyCount", std::int64_t{0});
        reading.quotes = post.value("quoteCount", std::int64_t{0});
        reading.bookmarks = post.value("bookmarkCount", std::int64_t{0});
        for (const char* field :
             {"likeCount", "repostCount", "replyCount", "quoteCount", "bookmarkCount"}) {
          if (post.contains(field)) reading.raw[field] = post[field];
        }
      }
      out.push_back(reading);
    }
    return out;
  }

 private:
  static std::string identifierOf(const store::Account& account) {
    std::string handle = account.handle;
    if (!handle.empty() && handle.front() == '@') handle.erase(0, 1);
    return handle;
  }

  static PlatformError refusal(const net::Response& response) {
    return PlatformError(Kind::authInvalid, response.status, "bluesky: " + errorText(response));
  }

  static store::Tokens tokensOf(const Json& body) {
    store::Tokens tokens;
    tokens.accessToken = body.value("accessJwt", "");
    tokens.refreshToken = body.value("refreshJwt", "");
    tokens.platformUserId = body.value("did", "");
    tokens.expiresAt = jwtExpiry(tokens.accessToken);
    if (tokens.accessToken.empty()) {
      throw PlatformError(Kind::transient, 200, "bluesky: the session answer has no accessJwt");
    }
    return tokens;
  }

  static Json strongRef(const Json& ref) {
    return Json{{"uri", ref.value("uri", "")}, {"cid", ref.value("cid", "")}};
  }

  static Json refOf(const store::Account& account, const Json& body) {
    if (!body.is_object() || !body.contains("uri")) {
      throw OutcomeUnknown("bluesky answered createRecord without a uri");
    }
    const std::string uri = body.value("uri", "");
    return Json{
        {"id", uri},
        {"uri", uri},
        {"cid", body.value("cid", "")},
        {"url", "https://bsky.app/profile/" + identifierOf(account) + "/post/" + rkeyOf(uri)}};
  }

  Json getRecord(Session& session, const std::string& rkey) const {
    const store::Account& account = session.account();
    net::Request request;
    request.url = account.baseUrl + "/xrpc/com.atproto.repo.getRecord?repo=" +
                  net::urlEncode(account.platformUserId) + "&collection=" + kCollection +
                  "&rkey=" + net::urlEncode(rkey);
    try {
      return refOf(account, session.call(request).json());
    } catch (const PlatformError& e) {
      if (e.kind() == Kind::notFound) return nullptr;
      throw;
    }
  }

  static Json embedOf(const Json& media) {
    const Json& first = media.front();
    if (first.value("video", false)) {
      Json video = {{"$type", "app.bsky.embed.video"},
                    {"video", first["blob"]},
                    {"alt", first.value("alt", "")}};
      if (first.contains("aspectRatio")) video["aspectRatio"] = first["aspectRatio"];
      return video;
    }
    Json images = Json::array();
    for (const Json& ref : media) {
      Json image = {{"image", ref["blob"]}, {"alt", ref.value("alt", "")}};
      if (ref.contains("aspectRatio")) image["aspectRatio"] = ref["aspectRatio"];
      images.push_back(image);
    }
    return Json{{"$type", "app.bsky.embed.images"}, {"images", images}};
  }

  // Facets at byte offsets (plugins/common/platform); a mention whose handle does not resolve
  // stays plain text.
  Json facetsOf(Session& session, const std::string& text) const {
    Json out = Json::array();
    for (const common::platform::Facet& facet : common::platform::blueskyFacets(text)) {
      Json feature = {{"$type", facet.type}};
      if (facet.type == "app.bsky.richtext.facet#link") {
        feature["uri"] = facet.value;
      } else if (facet.type == "app.bsky.richtext.facet#tag") {
        feature["tag"] = facet.value;
      } else {
        const std::string did = resolveHandle(session, facet.value);
        if (did.empty()) continue;
        feature["did"] = did;
      }
      out.push_back({{"index", {{"byteStart", facet.byteStart}, {"byteEnd", facet.byteEnd}}},
                     {"features", Json::array({feature})}});
    }
    return out;
  }

  std::string resolveHandle(Session& session, const std::string& handle) const {
    net::Request request;
    request.url = session.account().baseUrl +
                  "/xrpc/com.atproto.identity.resolveHandle?handle=" + net::urlEncode(handle);
    try {
      return session.call(request).json().value("did", "");
    } catch (const PlatformError& e) {
      if (e.kind() == Kind::policy || e.kind() == Kind::notFound) return {};
      throw;
    }
  }
};

}  // namespace

const Platform& blueskyPlatform() {
  static const Bluesky instance;
  return instance;
}

}  // namespace publish::platforms
