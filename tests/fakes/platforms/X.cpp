// Fake X API v2 (external-apis.md §6): OAuth 2 refresh with rotating refresh tokens, POST
// /2/tweets (duplicate text refused with 403), simple and chunked media upload (initialize /
// append / finalize / STATUS), the user's recent posts, batch metrics with per-id errors,
// problem-details errors and x-rate-limit-* headers. Links in stored text become t.co links,
// as X shows them.
#include "State.h"

namespace fake {
namespace {

constexpr const char* kPlatform = "x";

Reply problem(int status, const std::string& title, const std::string& detail,
              const std::string& type = "about:blank") {
  return jsonReply(status,
                   {{"title", title}, {"detail", detail}, {"type", type}, {"status", status}});
}

Reply withRate(Reply reply, const Window& w) {
  reply.header("x-rate-limit-limit", std::to_string(w.limit));
  reply.header("x-rate-limit-remaining", std::to_string(w.remaining));
  reply.header("x-rate-limit-reset", std::to_string((w.resetMs + 999) / 1000));
  return reply;
}

// X shows every link as a t.co link of 23 characters.
std::string shortened(const std::string& text, State& state) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const bool start = i == 0 || text[i - 1] == ' ' || text[i - 1] == '\n';
    if (start && (text.compare(i, 8, "https://") == 0 || text.compare(i, 7, "http://") == 0)) {
      while (i < text.size() && text[i] != ' ' && text[i] != '\n') ++i;
      std::string code = state.nextId(kPlatform);
      while (code.size() < 10) code = "0" + code;
      out += "https://t.co/" + code;
      continue;
    }
    out += text[i++];
  }
  return out;
}

Json tweetJson(const Post& p, bool metrics) {
  Json t = {{"id", p.id},
            {"text", p.text},
            {"edit_history_tweet_ids", {p.id}},
            {"created_at", isoTime(p.createdAt)}};
  if (metrics) {
    t["public_metrics"] = {{"retweet_count", p.metrics.value("reposts", 0)},
                           {"reply_count", p.metrics.value("replies", 0)},
                           {"like_count", p.metrics.value("likes", 0)},
                           {"quote_count", p.metrics.value("quotes", 0)},
                           {"bookmark_count", p.metrics.value("bookmarks", 0)},
                           {"impression_count", p.metrics.value("impressions", 0)}};
  }
  return t;
}

Reply token(State& state, const Call& call) {
  ++state.counters["x.refresh"];
  if (call.param("grant_type") != "refresh_token") {
    return jsonReply(400, {{"error", "invalid_request"},
                           {"error_description", "grant_type must be refresh_token"}});
  }
  const auto it = state.credentials.find(call.param("refresh_token"));
  if (it == state.credentials.end() || it->second.platform != kPlatform ||
      it->second.kind != "refresh" || it->second.used || it->second.revoked) {
    return jsonReply(400, {{"error", "invalid_request"},
                           {"error_description", "Value passed for the token was invalid."}});
  }
  it->second.used = true;  // X rotates refresh tokens: this one is spent
  const std::string account = it->second.account;
  const Account* a = state.account(kPlatform, account);
  const std::int64_t lifetime =
      a != nullptr && a->accessLifetimeMs > 0 ? a->accessLifetimeMs : 7200000;
  return jsonReply(200, {{"token_type", "bearer"},
                         {"expires_in", lifetime / 1000},
                         {"access_token", state.issue(kPlatform, "access", account, lifetime)},
                         {"scope", "tweet.read tweet.write users.read offline.access media.write"},
                         {"refresh_token", state.issue(kPlatform, "refresh", account, 0)}});
}

Json mediaData(const Media& m, bool withProcessing) {
  Json d = {{"id", m.id},
            {"media_key", (m.contentType.rfind("video/", 0) == 0 ? "7_" : "3_") + m.id},
            {"size", m.size},
            {"expires_after_secs", 86400}};
  if (withProcessing && m.contentType.rfind("video/", 0) == 0) {
    d["processing_info"] =
        m.pollsLeft > 0
            ? Json{{"state", "in_progress"}, {"check_after_secs", 1}, {"progress_percent", 50}}
            : Json{{"state", "succeeded"}, {"progress_percent", 100}};
  }
  return d;
}

Reply createTweet(State& state, Call& call, std::unique_lock<std::mutex>& lock,
                  const std::string& account, const Window& w) {
  ++state.counters["x.createTweet"];
  if (!call.json.is_object())
    return problem(400, "Invalid Request", "The request body must be JSON.");
  const std::string text = call.json.value("text", "");
  const Json media = call.json.value("media", Json::object()).value("media_ids", Json::array());
  if (text.empty() && media.empty())
    return problem(400, "Invalid Request", "text or media is required");
  Scenario& s = state.scenario(kPlatform);
  const std::size_t limit = s.maxText > 0 ? static_cast<std::size_t>(s.maxText) : 280;
  if (countChars(text, 23) > limit) {
    return problem(400, "Invalid Request", "Your Tweet text is too long.",
                   "https://api.twitter.com/2/problems/invalid-request");
  }
  Post p;
  for (const Json& id : media) {
    Media* m = state.mediaItem(kPlatform, id.get<std::string>());
    if (m == nullptr || !m->finalized || m->pollsLeft > 0 || m->account != account) {
      return problem(400, "Invalid Request", "Your media IDs are invalid.",
                     "https://api.twitter.com/2/problems/invalid-request");
    }
    p.media.push_back({{"id", m->id}, {"contentType", m->contentType}, {"size", m->size}});
  }
  const std::string shown = shortened(text, state);
  if (s.duplicateCheck && !text.empty()) {
    for (const Post& other : state.posts) {
      if (other.platform == kPlatform && other.account == account && !other.deleted &&
          other.extra.value("original", "") == text) {
        return withRate(problem(403, "Forbidden",
                                "You are not allowed to create a Tweet with duplicate content."),
                        w);
      }
    }
  }
  const std::string reply =
      call.json.value("reply", Json::object()).value("in_reply_to_tweet_id", "");
  if (!reply.empty() && state.post(kPlatform, reply) == nullptr) {
    return problem(400, "Invalid Request", "The tweet you are replying to does not exist.");
  }
  p.platform = kPlatform;
  p.id = "18" + state.nextId(kPlatform) + "000000000000";
  p.account = account;
  p.text = shown;
  p.replyTo = reply;
  p.createdAt = nowMs();
  p.extra = {{"original", text}};
  const Account* a = state.account(kPlatform, account);
  p.url = "https://x.com/" + (a != nullptr ? a->handle : account) + "/status/" + p.id;
  state.posts.push_back(p);
  const Json body = {
      {"data", {{"id", p.id}, {"text", p.text}, {"edit_history_tweet_ids", {p.id}}}}};
  if (s.hangAfterCreateMs > 0) sleepUnlocked(lock, s.hangAfterCreateMs);
  if (s.failAfterCreate > 0) {
    --s.failAfterCreate;
    return withRate(problem(s.failStatus, "Service Unavailable", "Service Unavailable"), w);
  }
  return withRate(jsonReply(201, body), w);
}

Reply mediaCall(State& state, Call& call, const std::string& account, const Window& w) {
  const auto parts = segments(call.path);  // 2 media upload [id] [verb]
  if (call.method == "GET" && parts.size() == 3) {
    if (call.queryValue("command") != "STATUS")
      return problem(400, "Invalid Request", "command must be STATUS");
    Media* m = state.mediaItem(kPlatform, call.queryValue("media_id"));
    if (m == nullptr || m->account != account)
      return problem(404, "Not Found Error", "media not found");
    const Json data = mediaData(*m, true);
    if (m->pollsLeft > 0) --m->pollsLeft;
    return withRate(jsonReply(200, {{"data", data}}), w);
  }
  if (call.method != "POST") return problem(405, "Method Not Allowed", call.method);
  if (parts.size() == 3) {  // simple upload (images)
    const auto file = std::find_if(call.files.begin(), call.files.end(),
                                   [](const FilePart& f) { return f.name == "media"; });
    if (file == call.files.end()) return problem(400, "Invalid Request", "media is required");
    Media m;
    m.platform = kPlatform;
    m.id = "19" + state.nextId(kPlatform) + "00000000000";
    m.account = account;
    m.contentType = file->contentType;
    m.size = static_cast<std::int64_t>(file->bytes.size());
    if (m.size > 5 * 1000 * 1000)
      return problem(400, "Invalid Request", "File size exceeds 5242880 bytes.");
    state.media[std::string(kPlatform) + ":" + m.id] = m;
    return withRate(jsonReply(200, {{"data", mediaData(m, false)}}), w);
  }
  if (parts.size() == 4 && parts[3] == "initialize") {
    Media m;
    m.platform = kPlatform;
    m.id = "19" + state.nextId(kPlatform) + "00000000000";
    m.account = account;
    m.contentType = call.json.value("media_type", "");
    m.expectedSize = call.json.value("total_bytes", std::int64_t{0});
    m.finalized = false;
    m.extra = {{"category", call.json.value("media_category", "")}, {"segments", Json::array()}};
    state.media[std::string(kPlatform) + ":" + m.id] = m;
    return withRate(
        jsonReply(
            200,
            {{"data", {{"id", m.id}, {"media_key", "7_" + m.id}, {"expires_after_secs", 86400}}}}),
        w);
  }
  if (parts.size() != 5) return problem(404, "Not Found Error", call.path);
  Media* m = state.mediaItem(kPlatform, parts[3]);
  if (m == nullptr || m->account != account)
    return problem(404, "Not Found Error", "media not found");
  if (parts[4] == "append") {
    const auto file = std::find_if(call.files.begin(), call.files.end(),
                                   [](const FilePart& f) { return f.name == "media"; });
    const std::string index = call.form.count("segment_index") ? call.form["segment_index"] : "";
    if (file == call.files.end() || index.empty()) {
      return problem(400, "Invalid Request", "media and segment_index are required");
    }
    if (file->bytes.size() > 8 * 1024 * 1024)
      return problem(400, "Invalid Request", "segment over 8 MB");
    const int segment = std::stoi(index);
    if (segment != static_cast<int>(m->extra["segments"].size())) {
      // A repeat of the last segment (a retried append) replaces it.
      if (segment + 1 == static_cast<int>(m->extra["segments"].size())) {
        m->bytes.resize(m->bytes.size() - m->extra["segments"].back().get<std::size_t>());
        m->extra["segments"].erase(m->extra["segments"].size() - 1);
      } else {
        return problem(400, "Invalid Request", "segment_index out of order");
      }
    }
    m->bytes += file->bytes;
    m->extra["segments"].push_back(file->bytes.size());
    return withRate(emptyReply(204), w);
  }
  if (parts[4] == "finalize") {
    if (static_cast<std::int64_t>(m->bytes.size()) != m->expectedSize) {
      return problem(400, "Invalid Request",
                     "File size mismatch: got " + std::to_string(m->bytes.size()) + " of " +
                         std::to_string(m->expectedSize) + " bytes");
    }
    m->finalized = true;
    m->size = static_cast<std::int64_t>(m->bytes.size());
    m->bytes.clear();
    if (m->contentType.rfind("video/", 0) == 0)
      m->pollsLeft = state.scenario(kPlatform).mediaPolls + 1;
    return withRate(jsonReply(200, {{"data", mediaData(*m, true)}}), w);
  }
  return problem(404, "Not Found Error", call.path);
}

Reply userTweets(State& state, const Call& call, const std::string& user, const Window& w) {
  const std::int64_t since = parseIsoTime(call.queryValue("start_time"));
  Json data = Json::array();
  for (auto it = state.posts.rbegin(); it != state.posts.rend(); ++it) {
    if (it->platform != kPlatform || it->account != user || it->deleted) continue;
    if (since > 0 && it->createdAt < since) continue;
    data.push_back(tweetJson(*it, false));
    if (data.size() >= 100) break;
  }
  Json body = {{"meta", {{"result_count", data.size()}}}};
  if (!data.empty()) body["data"] = data;
  return withRate(jsonReply(200, body), w);
}

Reply lookup(State& state, const Call& call, const Window& w) {
  std::string ids = call.queryValue("ids");
  Json data = Json::array();
  Json errors = Json::array();
  std::size_t start = 0;
  int count = 0;
  while (start <= ids.size()) {
    const std::size_t comma = ids.find(',', start);
    const std::string id =
        ids.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!id.empty()) {
      ++count;
      Post* p = state.post(kPlatform, id);
      if (p != nullptr && !p->deleted) {
        data.push_back(tweetJson(*p, true));
      } else {
        errors.push_back({{"value", id},
                          {"detail", "Could not find tweet with ids: [" + id + "]."},
                          {"title", "Not Found Error"},
                          {"resource_type", "tweet"},
                          {"parameter", "ids"},
                          {"resource_id", id},
                          {"type", "https://api.twitter.com/2/problems/resource-not-found"}});
      }
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (count > 100) return problem(400, "Invalid Request", "ids: at most 100");
  ++state.counters["x.lookup"];
  Json body = Json::object();
  if (!data.empty()) body["data"] = data;
  if (!errors.empty()) body["errors"] = errors;
  return withRate(jsonReply(200, body), w);
}

}  // namespace

Reply x(State& state, Call& call) {
  std::unique_lock lock(state.mutex);
  if (call.path == "/2/oauth2/token" && call.method == "POST") return token(state, call);
  const Credential* c = credential(state, kPlatform, call.bearer());
  if (c == nullptr || c->kind != "access" || c->revoked ||
      (c->expiresAt > 0 && c->expiresAt < nowMs())) {
    return problem(401, "Unauthorized", "Unauthorized");
  }
  const std::string account = c->account;
  const Window w = countRequest(state, kPlatform, account);
  if (w.limited) {
    if (w.whole) {
      return problem(429, "UsageCapExceeded", "Usage cap exceeded: Monthly product cap",
                     "https://api.twitter.com/2/problems/usage-capped");
    }
    return withRate(problem(429, "Too Many Requests", "Too Many Requests"), w);
  }
  const auto parts = segments(call.path);
  if (call.method == "POST" && call.path == "/2/tweets")
    return createTweet(state, call, lock, account, w);
  if (parts.size() >= 3 && parts[0] == "2" && parts[1] == "media" && parts[2] == "upload") {
    return mediaCall(state, call, account, w);
  }
  if (call.method == "GET" && parts.size() == 4 && parts[1] == "users" && parts[3] == "tweets") {
    if (parts[2] != account) return problem(403, "Forbidden", "not your timeline");
    return userTweets(state, call, account, w);
  }
  if (call.method == "GET" && call.path == "/2/tweets") return lookup(state, call, w);
  if (call.method == "GET" && call.path == "/2/users/me") {
    const Account* a = state.account(kPlatform, account);
    return withRate(
        jsonReply(200,
                  {{"data", {{"id", account}, {"username", a != nullptr ? a->handle : account}}}}),
        w);
  }
  return problem(404, "Not Found Error", call.method + " " + call.path);
}

}  // namespace fake
