// Fake Bluesky PDS (external-apis.md §5): createSession / refreshSession (rotating refresh
// JWTs), createRecord with a client-chosen rkey (a taken rkey is refused), getRecord,
// uploadBlob, getPosts, resolveHandle; 400 ExpiredToken for an expired access token;
// RateLimit-* headers with epoch-second resets.
#include "State.h"

#include <functional>

namespace fake {
namespace {

constexpr const char* kPlatform = "bluesky";
constexpr const char* kCollection = "app.bsky.feed.post";

Reply error(int status, const std::string& name, const std::string& message) {
  return jsonReply(status, {{"error", name}, {"message", message}});
}

Reply withRate(Reply reply, const Window& w) {
  reply.header("RateLimit-Limit", std::to_string(w.limit));
  reply.header("RateLimit-Remaining", std::to_string(w.remaining));
  reply.header("RateLimit-Reset", std::to_string((w.resetMs + 999) / 1000));
  reply.header("RateLimit-Policy", std::to_string(w.limit) + ";w=300");
  return reply;
}

std::string cidOf(const std::string& text, const char* prefix) {
  return std::string(prefix) + std::to_string(std::hash<std::string>{}(text));
}

Json sessionJson(State& state, const Account& a) {
  const std::int64_t lifetime = a.accessLifetimeMs > 0 ? a.accessLifetimeMs : 2 * 3600 * 1000;
  return Json{{"accessJwt", state.issue(kPlatform, "access", a.key, lifetime)},
              {"refreshJwt", state.issue(kPlatform, "refresh", a.key, 90ll * 24 * 3600 * 1000)},
              {"handle", a.handle},
              {"did", a.userId},
              {"active", true}};
}

Reply createSession(State& state, const Call& call) {
  ++state.counters["bluesky.createSession"];
  const std::string identifier = call.param("identifier");
  Account* a = state.account(kPlatform, identifier);
  if (a == nullptr || a->password.empty() || a->password != call.param("password")) {
    return error(401, "AuthenticationRequired", "Invalid identifier or password");
  }
  return jsonReply(200, sessionJson(state, *a));
}

Reply refreshSession(State& state, const Call& call) {
  ++state.counters["bluesky.refreshSession"];
  const auto it = state.credentials.find(call.bearer());
  if (it == state.credentials.end() || it->second.platform != kPlatform ||
      it->second.kind != "refresh") {
    return error(400, "InvalidToken", "Token could not be verified");
  }
  Credential& c = it->second;
  if (c.revoked) return error(400, "InvalidToken", "Token has been revoked");
  if (c.used || (c.expiresAt > 0 && c.expiresAt < nowMs())) {
    return error(400, "ExpiredToken", "Token has expired");
  }
  c.used = true;
  Account* a = state.account(kPlatform, c.account);
  return jsonReply(200, sessionJson(state, *a));
}

std::size_t graphemes(const std::string& text) {
  return countChars(text, 0);
}

Json postView(const Post& p) {
  return Json{{"uri", p.id},
              {"cid", p.extra.value("cid", "")},
              {"author", {{"did", p.account}}},
              {"record", p.extra.value("record", Json::object())},
              {"indexedAt", isoTime(p.createdAt)},
              {"likeCount", p.metrics.value("likes", 0)},
              {"repostCount", p.metrics.value("reposts", 0)},
              {"replyCount", p.metrics.value("replies", 0)},
              {"quoteCount", p.metrics.value("quotes", 0)},
              {"bookmarkCount", p.metrics.value("bookmarks", 0)}};
}

// Checks the record's embed against the lexicon limits; "" when it is fine.
std::string checkEmbed(State& state, const Json& embed, Json& media) {
  const std::string type = embed.value("$type", "");
  const auto blobOk = [&](const Json& blob, std::int64_t cap, const std::string& mime) {
    const std::string link = blob.value("ref", Json::object()).value("$link", "");
    Media* m = state.mediaItem(kPlatform, link);
    if (m == nullptr) return std::string("blob not found: ") + link;
    if (m->size > cap) return std::string("blob too large");
    if (!mime.empty() && m->contentType != mime) return "blob must be " + mime;
    media.push_back({{"blob", link}, {"mimeType", m->contentType}, {"size", m->size}});
    return std::string();
  };
  if (type == "app.bsky.embed.images") {
    const Json images = embed.value("images", Json::array());
    if (images.empty() || images.size() > 4) return "Record/embed/images must have 1 to 4 items";
    for (const Json& image : images) {
      if (!image.contains("alt")) return "Record/embed/images/alt is required";
      if (auto e = blobOk(image.value("image", Json::object()), 2000000, ""); !e.empty()) return e;
      media.back()["alt"] = image["alt"];
      if (image.contains("aspectRatio")) media.back()["aspectRatio"] = image["aspectRatio"];
    }
    return {};
  }
  if (type == "app.bsky.embed.video") {
    if (auto e = blobOk(embed.value("video", Json::object()), 100000000, "video/mp4"); !e.empty()) {
      return e;
    }
    if (embed.contains("aspectRatio")) media.back()["aspectRatio"] = embed["aspectRatio"];
    media.back()["alt"] = embed.value("alt", "");
    return {};
  }
  return "unsupported embed " + type;
}

Reply createRecord(State& state, Call& call, std::unique_lock<std::mutex>& lock, const Account& a,
                   const Window& w) {
  ++state.counters["bluesky.createRecord"];
  const Json& body = call.json;
  if (!body.is_object() || body.value("repo", "") != a.userId) {
    return error(400, "InvalidRequest", "repo must be the session's DID");
  }
  if (body.value("collection", "") != kCollection) {
    return error(400, "InvalidRequest", "unsupported collection");
  }
  const Json record = body.value("record", Json::object());
  const std::string text = record.value("text", "");
  if (!record.contains("createdAt")) {
    return error(400, "InvalidRequest",
                 "Invalid app.bsky.feed.post record: Record must have the property \"createdAt\"");
  }
  Scenario& s = state.scenario(kPlatform);
  const std::size_t limit = s.maxText > 0 ? static_cast<std::size_t>(s.maxText) : 300;
  if (graphemes(text) > limit || text.size() > 3000) {
    return error(400, "InvalidRequest",
                 "Invalid app.bsky.feed.post record: Record/text must not be longer than " +
                     std::to_string(limit) + " graphemes");
  }
  std::string rkey = body.value("rkey", "");
  if (rkey.empty()) rkey = "3k" + state.nextId(kPlatform);
  const std::string uri = "at://" + a.userId + "/" + kCollection + "/" + rkey;
  if (state.post(kPlatform, uri) != nullptr) {
    return withRate(error(400, "InvalidRequest", "Record already exists at " + uri), w);
  }
  Post p;
  if (record.contains("embed")) {
    if (const std::string e = checkEmbed(state, record["embed"], p.media); !e.empty()) {
      return error(400, "InvalidRequest", "Invalid app.bsky.feed.post record: " + e);
    }
  }
  if (record.contains("reply")) {
    const std::string parent = record["reply"].value("parent", Json::object()).value("uri", "");
    const std::string root = record["reply"].value("root", Json::object()).value("uri", "");
    const std::string parentCid = record["reply"].value("parent", Json::object()).value("cid", "");
    Post* parentPost = state.post(kPlatform, parent);
    if (parentPost == nullptr || state.post(kPlatform, root) == nullptr ||
        parentPost->extra.value("cid", "") != parentCid) {
      return error(400, "InvalidRequest", "reply refs must name existing records (uri and cid)");
    }
    p.replyTo = parent;
    p.root = root;
  }
  p.platform = kPlatform;
  p.id = uri;
  p.account = a.userId;
  p.text = text;
  p.url = "https://bsky.app/profile/" + a.handle + "/post/" + rkey;
  p.createdAt = nowMs();
  p.extra = {{"rkey", rkey}, {"cid", cidOf(uri + text, "bafyrei")}, {"record", record}};
  if (record.contains("facets")) p.extra["facets"] = record["facets"];
  if (record.contains("langs")) p.extra["langs"] = record["langs"];
  state.posts.push_back(p);
  const Json answer = {{"uri", uri},
                       {"cid", p.extra["cid"]},
                       {"commit", {{"cid", cidOf(uri, "bafyreic")}, {"rev", rkey}}},
                       {"validationStatus", "valid"}};
  if (s.hangAfterCreateMs > 0) sleepUnlocked(lock, s.hangAfterCreateMs);
  if (s.failAfterCreate > 0) {
    --s.failAfterCreate;
    return withRate(error(s.failStatus, "InternalServerError", "Internal Server Error"), w);
  }
  return withRate(jsonReply(200, answer), w);
}

Reply uploadBlob(State& state, const Call& call, const Account& a, const Window& w) {
  if (call.body.size() > 52428800) {
    return error(400, "BlobTooLarge",
                 "This file is too large. It is " + std::to_string(call.body.size()) + " bytes");
  }
  Media m;
  m.platform = kPlatform;
  m.id = cidOf(call.body, "bafkrei");
  m.account = a.userId;
  m.contentType = call.header("content-type");
  m.size = static_cast<std::int64_t>(call.body.size());
  state.media[std::string(kPlatform) + ":" + m.id] = m;
  return withRate(jsonReply(200, {{"blob",
                                   {{"$type", "blob"},
                                    {"ref", {{"$link", m.id}}},
                                    {"mimeType", m.contentType},
                                    {"size", m.size}}}}),
                  w);
}

}  // namespace

Reply bluesky(State& state, Call& call) {
  std::unique_lock lock(state.mutex);
  const std::string method = call.path.rfind("/xrpc/", 0) == 0 ? call.path.substr(6) : "";
  if (method == "com.atproto.server.createSession") return createSession(state, call);
  if (method == "com.atproto.server.refreshSession") return refreshSession(state, call);
  const std::string token = call.bearer();
  if (token.empty()) return error(401, "AuthMissing", "Authentication Required");
  const Credential* c = credential(state, kPlatform, token);
  if (c == nullptr || c->kind != "access")
    return error(400, "InvalidToken", "Token could not be verified");
  if (c->revoked) return error(400, "InvalidToken", "Token has been revoked");
  if (c->expiresAt > 0 && c->expiresAt < nowMs())
    return error(400, "ExpiredToken", "Token has expired");
  const Account a = *state.account(kPlatform, c->account);
  const Window w = countRequest(state, kPlatform, a.key);
  if (w.limited) return withRate(error(429, "RateLimitExceeded", "Rate Limit Exceeded"), w);
  if (method == "com.atproto.repo.createRecord") return createRecord(state, call, lock, a, w);
  if (method == "com.atproto.repo.uploadBlob") return uploadBlob(state, call, a, w);
  if (method == "com.atproto.repo.getRecord") {
    const std::string uri = "at://" + call.queryValue("repo") + "/" +
                            call.queryValue("collection") + "/" + call.queryValue("rkey");
    Post* p = state.post(kPlatform, uri);
    if (p == nullptr || p->deleted)
      return withRate(error(400, "RecordNotFound", "Could not locate record: " + uri), w);
    return withRate(
        jsonReply(200, {{"uri", uri}, {"cid", p->extra["cid"]}, {"value", p->extra["record"]}}), w);
  }
  if (method == "app.bsky.feed.getPosts") {
    const auto uris = call.queryValues("uris");
    if (uris.size() > 25)
      return error(400, "InvalidRequest", "uris must not have more than 25 elements");
    ++state.counters["bluesky.getPosts"];
    Json posts = Json::array();
    for (const std::string& uri : uris) {
      Post* p = state.post(kPlatform, uri);
      if (p != nullptr && !p->deleted) posts.push_back(postView(*p));
    }
    return withRate(jsonReply(200, {{"posts", posts}}), w);
  }
  if (method == "com.atproto.identity.resolveHandle") {
    for (const auto& [key, account] : state.accounts) {
      if (account.platform == kPlatform && account.handle == call.queryValue("handle")) {
        return withRate(jsonReply(200, {{"did", account.userId}}), w);
      }
    }
    return withRate(error(400, "InvalidRequest", "Unable to resolve handle"), w);
  }
  return error(501, "MethodNotImplemented", "Method Not Implemented: " + method);
}

}  // namespace fake
