// Fake Threads API (external-apis.md §8): containers (TEXT, IMAGE, VIDEO; video containers
// IN_PROGRESS for a while), threads_publish (a container publishes once), the user's threads,
// insights, long-lived token refresh, Graph-style errors (code 190 for tokens, 4 for limits).
// Media URLs are fetched when they are file:// (the tests' local object storage).
#include "State.h"

#include <fstream>
#include <sstream>

namespace fake {
namespace {

constexpr const char* kPlatform = "threads";

Reply graphError(int status, const std::string& message, int code, int subcode = 0,
                 const std::string& type = "OAuthException") {
  Json error = {{"message", message}, {"type", type}, {"code", code}, {"fbtrace_id", "AbCdEfGh"}};
  if (subcode != 0) error["error_subcode"] = subcode;
  return jsonReply(status, {{"error", error}});
}

// The size of what a media URL points at; -1 when it cannot be fetched.
std::int64_t fetchSize(const std::string& url) {
  if (url.rfind("file://", 0) != 0) return url.rfind("http", 0) == 0 ? 0 : -1;
  std::ifstream in(url.substr(7), std::ios::binary | std::ios::ate);
  if (!in) return -1;
  return static_cast<std::int64_t>(in.tellg());
}

Reply refresh(State& state, const Call& call) {
  ++state.counters["threads.refresh"];
  const Credential* c = credential(state, kPlatform, call.queryValue("access_token"));
  if (call.queryValue("grant_type") != "th_refresh_token" || c == nullptr || c->revoked ||
      (c->expiresAt > 0 && c->expiresAt < nowMs())) {
    return graphError(400, "Error validating access token: Session has expired", 190, 463);
  }
  const std::string account = c->account;
  return jsonReply(
      200, {{"access_token", state.issue(kPlatform, "access", account, 60ll * 24 * 3600 * 1000)},
            {"token_type", "bearer"},
            {"expires_in", 5184000}});
}

Reply createContainer(State& state, const Call& call, const Account& a) {
  const std::string type = call.param("media_type");
  const std::string text = call.param("text");
  Scenario& s = state.scenario(kPlatform);
  const std::size_t limit = s.maxText > 0 ? static_cast<std::size_t>(s.maxText) : 500;
  if (countChars(text, 0) > limit) {
    return graphError(
        400, "Param text must be at most " + std::to_string(limit) + " characters long.", 100);
  }
  Media m;
  m.platform = kPlatform;
  m.id = "178" + state.nextId(kPlatform);
  m.account = a.userId;
  m.contentType = type;
  m.extra = {{"text", text}, {"replyTo", call.param("reply_to_id")}, {"state", "FINISHED"}};
  if (type == "IMAGE" || type == "VIDEO") {
    const std::string url = call.param(type == "IMAGE" ? "image_url" : "video_url");
    const std::int64_t size = fetchSize(url);
    if (size < 0)
      return graphError(400, "The media could not be fetched from the URI: " + url, 100, 2207052);
    m.size = size;
    m.extra["url"] = url;
    if (type == "VIDEO") {
      m.pollsLeft = s.mediaPolls + 1;
      m.extra["state"] = "IN_PROGRESS";
    }
  } else if (type != "TEXT") {
    return graphError(400, "Param media_type must be one of {TEXT, IMAGE, VIDEO, CAROUSEL}", 100);
  } else if (text.empty()) {
    return graphError(400, "Param text is required for TEXT posts", 100);
  }
  const std::string reply = call.param("reply_to_id");
  if (!reply.empty() && state.post(kPlatform, reply) == nullptr) {
    return graphError(400, "The reply_to_id does not exist", 100);
  }
  state.media[std::string(kPlatform) + ":" + m.id] = m;
  return jsonReply(200, {{"id", m.id}});
}

Reply publish(State& state, Call& call, std::unique_lock<std::mutex>& lock, const Account& a) {
  ++state.counters["threads.publish"];
  Media* m = state.mediaItem(kPlatform, call.param("creation_id"));
  if (m == nullptr || m->account != a.userId)
    return graphError(400, "Invalid creation_id", 100, 4279009);
  if (m->extra.value("state", "") == "PUBLISHED") {
    return graphError(400, "The media has already been published", 100, 2207043);
  }
  if (m->pollsLeft > 0 || m->extra.value("state", "") != "FINISHED") {
    return graphError(400, "The media is not ready for publishing, please wait for a moment", 9007,
                      2207027);
  }
  Post p;
  p.platform = kPlatform;
  p.id = "179" + state.nextId(kPlatform);
  p.account = a.userId;
  p.text = m->extra.value("text", "");
  p.url = "https://www.threads.net/@" + a.handle + "/post/" + p.id;
  p.replyTo = m->extra.value("replyTo", "");
  p.createdAt = nowMs();
  if (m->contentType != "TEXT") {
    p.media.push_back(
        {{"type", m->contentType}, {"url", m->extra.value("url", "")}, {"size", m->size}});
  }
  p.extra = {{"container", m->id}};
  state.posts.push_back(p);
  m->extra["state"] = "PUBLISHED";
  m->extra["mediaId"] = p.id;
  Scenario& s = state.scenario(kPlatform);
  if (s.hangAfterCreateMs > 0) sleepUnlocked(lock, s.hangAfterCreateMs);
  if (s.failAfterCreate > 0) {
    --s.failAfterCreate;
    return graphError(s.failStatus,
                      "An unexpected error has occurred. Please retry your request later.", 2, 0,
                      "OAuthException");
  }
  return jsonReply(200, {{"id", p.id}});
}

Reply userThreads(State& state, const Call& call, const Account& a) {
  const std::string since = call.queryValue("since");
  const std::int64_t sinceMs = since.empty() ? 0 : std::stoll(since) * 1000;
  Json data = Json::array();
  for (auto it = state.posts.rbegin(); it != state.posts.rend(); ++it) {
    if (it->platform != kPlatform || it->account != a.userId || it->deleted) continue;
    if (it->createdAt < sinceMs) continue;
    data.push_back({{"id", it->id},
                    {"text", it->text},
                    {"timestamp", isoTime(it->createdAt)},
                    {"permalink", it->url}});
  }
  return jsonReply(200, {{"data", data}, {"paging", Json::object()}});
}

Reply insights(State& state, const std::string& id) {
  Post* p = state.post(kPlatform, id);
  if (p == nullptr || p->deleted) {
    return graphError(400, "Unsupported get request. Object with ID '" + id + "' does not exist",
                      100, 33, "GraphMethodException");
  }
  Json data = Json::array();
  for (const char* name : {"views", "likes", "replies", "reposts", "quotes", "shares"}) {
    const std::string key = std::string(name) == "views" ? "impressions" : name;
    data.push_back({{"name", name},
                    {"period", "lifetime"},
                    {"values", {{{"value", p->metrics.value(key, 0)}}}},
                    {"id", id + "/insights/" + name + "/lifetime"}});
  }
  return jsonReply(200, {{"data", data}});
}

}  // namespace

Reply threads(State& state, Call& call) {
  std::unique_lock lock(state.mutex);
  if (call.path == "/refresh_access_token" && call.method == "GET") return refresh(state, call);
  std::string token = call.bearer();
  if (token.empty()) token = call.queryValue("access_token");
  const Credential* c = credential(state, kPlatform, token);
  if (c == nullptr || c->kind != "access" || c->revoked) {
    return graphError(
        400,
        "Error validating access token: The session has been invalidated because the user changed "
        "their password or Facebook has changed the session for security reasons.",
        190, 460);
  }
  if (c->expiresAt > 0 && c->expiresAt < nowMs()) {
    return graphError(400, "Error validating access token: Session has expired", 190, 463);
  }
  const Account a = *state.account(kPlatform, c->account);
  const Window w = countRequest(state, kPlatform, a.key);
  if (w.limited) return graphError(429, "Application request limit reached", 4);
  const auto parts = segments(call.path);  // v1.0 <id> [edge]
  if (parts.size() < 2 || parts[0] != "v1.0")
    return graphError(400, "Unknown path " + call.path, 100);
  if (parts.size() == 3 && parts[2] == "threads" && parts[1] == a.userId) {
    if (call.method == "POST") return createContainer(state, call, a);
    return userThreads(state, call, a);
  }
  if (parts.size() == 3 && parts[2] == "threads_publish" && call.method == "POST") {
    return publish(state, call, lock, a);
  }
  if (parts.size() == 3 && parts[2] == "insights") return insights(state, parts[1]);
  if (parts.size() == 2 && call.method == "GET") {
    Media* m = state.mediaItem(kPlatform, parts[1]);
    if (m == nullptr)
      return graphError(400, "Object " + parts[1] + " does not exist", 100, 33,
                        "GraphMethodException");
    if (m->pollsLeft > 0 && --m->pollsLeft == 0) m->extra["state"] = "FINISHED";
    return jsonReply(200, {{"id", m->id}, {"status", m->extra.value("state", "FINISHED")}});
  }
  return graphError(400, "Unsupported request " + call.method + " " + call.path, 100);
}

}  // namespace fake
