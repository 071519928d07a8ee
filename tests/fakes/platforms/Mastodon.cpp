// Fake Mastodon (external-apis.md §4): statuses with Idempotency-Key, v2 media with
// asynchronous processing (202, then 206 until ready), status metrics, X-RateLimit-* headers
// with ISO 8601 resets on every answer, the error entity {"error": "..."}.
#include "State.h"

namespace fake {
namespace {

constexpr const char* kPlatform = "mastodon";
constexpr std::size_t kMaxChars = 500;

Reply error(int status, const std::string& message) {
  return jsonReply(status, {{"error", message}});
}

Reply withRate(Reply reply, const Window& w) {
  reply.header("X-RateLimit-Limit", std::to_string(w.limit));
  reply.header("X-RateLimit-Remaining", std::to_string(w.remaining));
  std::string reset = isoTime(w.resetMs);
  reset.insert(reset.size() - 1, "000");  // microseconds, as Mastodon writes them
  reply.header("X-RateLimit-Reset", reset);
  return reply;
}

Json statusJson(const Post& p) {
  Json media = Json::array();
  for (const Json& m : p.media) media.push_back(m);
  return Json{{"id", p.id},
              {"created_at", isoTime(p.createdAt)},
              {"url", p.url},
              {"uri", p.url},
              {"content", "<p>" + p.text + "</p>"},
              {"visibility", p.extra.value("visibility", "public")},
              {"language", p.extra.value("language", Json())},
              {"in_reply_to_id", p.replyTo.empty() ? Json() : Json(p.replyTo)},
              {"media_attachments", media},
              {"replies_count", p.metrics.value("replies", 0)},
              {"reblogs_count", p.metrics.value("reposts", 0)},
              {"favourites_count", p.metrics.value("likes", 0)},
              {"quotes_count", p.metrics.value("quotes", 0)}};
}

Json mediaJson(const Media& m, bool ready) {
  const std::string type = m.contentType.rfind("video/", 0) == 0 ? "video" : "image";
  return Json{{"id", m.id},
              {"type", type},
              {"url", ready ? Json("https://files.example/" + m.id) : Json()},
              {"preview_url", "https://files.example/" + m.id + "/small"},
              {"description", m.description.empty() ? Json() : Json(m.description)}};
}

std::vector<std::string> mediaIds(const Call& call) {
  std::vector<std::string> ids;
  if (call.json.is_object() && call.json.contains("media_ids")) {
    for (const Json& id : call.json["media_ids"])
      ids.push_back(id.is_string() ? id.get<std::string>() : id.dump());
  }
  for (const auto& [name, value] : call.form) {
    if (name.rfind("media_ids", 0) == 0) ids.push_back(value);
  }
  return ids;
}

Reply createStatus(State& state, Call& call, std::unique_lock<std::mutex>& lock,
                   const std::string& account, const Window& w) {
  const std::string key = call.header("idempotency-key");
  const std::string ledgerKey = std::string(kPlatform) + ":" + account + ":" + key;
  if (!key.empty()) {
    if (const auto it = state.idempotency.find(ledgerKey); it != state.idempotency.end()) {
      ++state.counters["mastodon.idempotentReplays"];
      return withRate(jsonReply(200, statusJson(*state.post(kPlatform, it->second))), w);
    }
  }
  const std::string text = call.param("status");
  const std::vector<std::string> ids = mediaIds(call);
  if (text.empty() && ids.empty()) return error(422, "Validation failed: Text can't be blank");
  Scenario& s = state.scenario(kPlatform);
  const std::size_t limit = s.maxText > 0 ? static_cast<std::size_t>(s.maxText) : kMaxChars;
  if (countChars(text, 23) > limit) {
    return error(
        422, "Validation failed: Text character limit of " + std::to_string(limit) + " exceeded");
  }
  if (ids.size() > 4) return error(422, "Validation failed: Try attaching no more than 4 files");
  Post p;
  for (const std::string& id : ids) {
    Media* m = state.mediaItem(kPlatform, id);
    if (m == nullptr || m->account != account)
      return error(422, "Validation failed: media not found");
    if (m->pollsLeft > 0) {
      return error(422,
                   "Cannot attach files that have not finished processing. Try again in a moment!");
    }
    p.media.push_back(mediaJson(*m, true));
  }
  const std::string reply = call.param("in_reply_to_id");
  if (!reply.empty() && state.post(kPlatform, reply) == nullptr) {
    return error(404, "Record not found");
  }
  p.platform = kPlatform;
  p.id = state.nextId(kPlatform);
  p.account = account;
  p.text = text;
  p.url = "https://mastodon.example/@" + state.account(kPlatform, account)->handle + "/" + p.id;
  p.replyTo = reply;
  p.idempotencyKey = key;
  p.createdAt = nowMs();
  p.extra["visibility"] = call.param("visibility").empty() ? "public" : call.param("visibility");
  if (!call.param("language").empty()) p.extra["language"] = call.param("language");
  state.posts.push_back(p);
  if (!key.empty()) state.idempotency[ledgerKey] = p.id;
  const Json body = statusJson(p);
  if (s.hangAfterCreateMs > 0) sleepUnlocked(lock, s.hangAfterCreateMs);
  if (s.failAfterCreate > 0) {
    --s.failAfterCreate;
    return withRate(error(s.failStatus, "Service Unavailable"), w);
  }
  return withRate(jsonReply(200, body), w);
}

Reply uploadMedia(State& state, Call& call, const std::string& account, const Window& w) {
  const auto file = std::find_if(call.files.begin(), call.files.end(),
                                 [](const FilePart& f) { return f.name == "file"; });
  if (file == call.files.end()) return error(422, "Validation failed: File can't be blank");
  const std::string& type = file->contentType;
  if (type.rfind("image/", 0) != 0 && type.rfind("video/", 0) != 0) {
    return error(422, "Validation failed: File content type is invalid");
  }
  Media m;
  m.platform = kPlatform;
  m.id = state.nextId(kPlatform);
  m.account = account;
  m.contentType = type;
  m.size = static_cast<std::int64_t>(file->bytes.size());
  m.description = call.param("description");
  const bool video = type.rfind("video/", 0) == 0;
  m.pollsLeft = state.scenario(kPlatform).mediaPolls + (video ? 1 : 0);
  state.media[std::string(kPlatform) + ":" + m.id] = m;
  const bool processing = m.pollsLeft > 0;
  return withRate(jsonReply(processing ? 202 : 200, mediaJson(m, !processing)), w);
}

}  // namespace

Reply mastodon(State& state, Call& call) {
  std::unique_lock lock(state.mutex);
  const Credential* c = credential(state, kPlatform, call.bearer());
  const auto parts = segments(call.path);
  const bool publicRead = call.method == "GET" && parts.size() == 4 && parts[2] == "statuses";
  if ((c == nullptr || c->revoked || (c->expiresAt > 0 && c->expiresAt < nowMs())) && !publicRead) {
    return error(401, "The access token is invalid");
  }
  const std::string account = c != nullptr ? c->account : "";
  const Window w = countRequest(state, kPlatform, account);
  if (w.limited) return withRate(error(429, "Too many requests"), w);
  ++state.counters["mastodon.requests"];
  if (call.method == "POST" && call.path == "/api/v1/statuses") {
    ++state.counters["mastodon.createStatus"];
    return createStatus(state, call, lock, account, w);
  }
  if (call.method == "POST" && call.path == "/api/v2/media")
    return uploadMedia(state, call, account, w);
  if (call.method == "GET" && parts.size() == 4 && parts[2] == "media") {
    Media* m = state.mediaItem(kPlatform, parts[3]);
    if (m == nullptr || m->account != account) return error(404, "Record not found");
    if (m->pollsLeft > 0) {
      --m->pollsLeft;
      return withRate(jsonReply(206, mediaJson(*m, false)), w);
    }
    return withRate(jsonReply(200, mediaJson(*m, true)), w);
  }
  if (publicRead) {
    Post* p = state.post(kPlatform, parts[3]);
    if (p == nullptr || p->deleted) return error(404, "Record not found");
    return withRate(jsonReply(200, statusJson(*p)), w);
  }
  return error(404, "Not found: " + call.method + " " + call.path);
}

}  // namespace fake
