// Fake LinkedIn Posts API (external-apis.md §7): LinkedIn-Version and Restli headers required,
// OAuth 2 refresh (the refresh token is kept), images and videos through initializeUpload and
// PUTs to upload URLs, POST /rest/posts answering 201 with x-restli-id, little-text commentary
// cut at the first unescaped reserved character (as LinkedIn does), reading posts only with
// r_member_social, socialMetadata metrics, 429 without any rate-limit header.
#include "State.h"

namespace fake {
namespace {

constexpr const char* kPlatform = "linkedin";
constexpr std::int64_t kPartBytes = 4 * 1024 * 1024;

Reply error(int status, const std::string& message, const std::string& code = "") {
  Json body = {{"status", status},
               {"serviceErrorCode", status == 401 ? 65601 : status},
               {"message", message}};
  if (!code.empty()) body["code"] = code;
  return jsonReply(status, body);
}

// What LinkedIn shows of a little-text commentary: escapes undone, and the text cut at the
// first reserved character left unescaped.
std::string rendered(const std::string& commentary, bool& cut) {
  static const std::string reserved = "|{}@[]()<>#*_~";
  std::string out;
  cut = false;
  for (std::size_t i = 0; i < commentary.size(); ++i) {
    const char c = commentary[i];
    if (c == '\\' && i + 1 < commentary.size()) {
      out += commentary[++i];
      continue;
    }
    if (reserved.find(c) != std::string::npos) {
      // Hashtags (#word at a word start) are the one reserved form kept as written.
      const bool hashtag = c == '#' && (i == 0 || commentary[i - 1] == ' ') &&
                           i + 1 < commentary.size() &&
                           std::isalnum(static_cast<unsigned char>(commentary[i + 1]));
      if (!hashtag) {
        cut = true;
        break;
      }
    }
    out += c;
  }
  return out;
}

std::string hostOf(const Call& call) {
  return "http://" + call.header("host") + "/linkedin";
}

Reply token(State& state, const Call& call) {
  ++state.counters["linkedin.refresh"];
  const auto it = state.credentials.find(call.param("refresh_token"));
  if (call.param("grant_type") != "refresh_token" || it == state.credentials.end() ||
      it->second.platform != kPlatform || it->second.kind != "refresh" || it->second.revoked ||
      call.param("client_id").empty() || call.param("client_secret").empty()) {
    return jsonReply(
        400,
        {{"error", "invalid_request"},
         {"error_description",
          "The provided authorization grant or refresh token is invalid, expired or revoked"}});
  }
  const std::string account = it->second.account;
  return jsonReply(
      200, {{"access_token", state.issue(kPlatform, "access", account, 60ll * 24 * 3600 * 1000)},
            {"expires_in", 5184000},
            {"refresh_token", call.param("refresh_token")},
            {"refresh_token_expires_in", 31536000}});
}

Reply initializeUpload(State& state, const Call& call, const Account& a, bool video) {
  const Json request = call.json.value("initializeUploadRequest", Json::object());
  if (request.value("owner", "") != a.userId) {
    return error(400, "INVALID_CONTENT_OWNERSHIP: owner must be the member",
                 "INVALID_CONTENT_OWNERSHIP");
  }
  Media m;
  m.platform = kPlatform;
  m.id = (video ? "D4E" : "C4D") + state.nextId(kPlatform);
  m.account = a.userId;
  m.finalized = !video;
  m.extra = {{"uploaded", false}};
  const std::string urn = std::string(video ? "urn:li:video:" : "urn:li:image:") + m.id;
  Json value;
  if (video) {
    m.contentType = "video/mp4";
    m.expectedSize = request.value("fileSizeBytes", std::int64_t{0});
    Json instructions = Json::array();
    int part = 0;
    for (std::int64_t first = 0; first < m.expectedSize; first += kPartBytes, ++part) {
      const std::int64_t last = std::min(first + kPartBytes, m.expectedSize) - 1;
      instructions.push_back(
          {{"uploadUrl", hostOf(call) + "/dms-uploads/" + m.id + "/" + std::to_string(part)},
           {"firstByte", first},
           {"lastByte", last}});
    }
    m.extra["parts"] = instructions.size();
    value = {{"video", urn},
             {"uploadInstructions", instructions},
             {"uploadToken", ""},
             {"uploadUrlsExpireAt", nowMs() + 3600000}};
  } else {
    m.contentType = "image/*";
    value = {{"image", urn},
             {"uploadUrl", hostOf(call) + "/dms-uploads/" + m.id},
             {"uploadUrlExpiresAt", nowMs() + 3600000}};
  }
  state.media[std::string(kPlatform) + ":" + m.id] = m;
  return jsonReply(200, {{"value", value}});
}

Reply upload(State& state, const Call& call) {
  const auto parts = segments(call.path);  // dms-uploads <id> [part]
  Media* m = state.mediaItem(kPlatform, parts.size() > 1 ? parts[1] : "");
  if (m == nullptr) return error(404, "upload URL not found");
  if (call.bearer().empty()) return error(401, "Empty oauth2_access_token");
  m->bytes += call.body;
  m->size = static_cast<std::int64_t>(m->bytes.size());
  if (parts.size() == 2) {
    m->extra["uploaded"] = true;
    m->bytes.clear();
    return emptyReply(201);
  }
  Reply reply = emptyReply(200);
  reply.header("ETag", "etag-" + m->id + "-" + parts[2]);
  return reply;
}

Reply finalizeVideo(State& state, const Call& call) {
  const Json request = call.json.value("finalizeUploadRequest", Json::object());
  const std::string urn = request.value("video", "");
  Media* m = state.mediaItem(kPlatform, urn.substr(urn.rfind(':') + 1));
  if (m == nullptr) return error(404, "video not found");
  if (request.value("uploadedPartIds", Json::array()).size() !=
          m->extra.value("parts", std::size_t{0}) ||
      m->size != m->expectedSize) {
    return error(400, "uploaded parts do not match the upload instructions");
  }
  m->finalized = true;
  m->extra["uploaded"] = true;
  m->bytes.clear();
  m->pollsLeft = state.scenario(kPlatform).mediaPolls + 1;
  return emptyReply(200);
}

Reply videoStatus(State& state, const std::string& urn) {
  Media* m = state.mediaItem(kPlatform, urn.substr(urn.rfind(':') + 1));
  if (m == nullptr) return error(404, "Not Found");
  const bool ready = m->finalized && m->pollsLeft <= 0;
  if (m->pollsLeft > 0) --m->pollsLeft;
  return jsonReply(200, {{"id", urn}, {"status", ready ? "AVAILABLE" : "PROCESSING"}});
}

Reply createPost(State& state, Call& call, std::unique_lock<std::mutex>& lock, const Account& a) {
  ++state.counters["linkedin.createPost"];
  std::string missing;
  for (const char* field :
       {"author", "commentary", "visibility", "distribution", "lifecycleState"}) {
    if (!call.json.is_object() || !call.json.contains(field)) {
      missing += std::string(missing.empty() ? "" : "\n") + "ERROR :: /" + field +
                 " :: field is required but not found and has no default value";
    }
  }
  if (!missing.empty()) return error(422, missing);
  if (call.json.value("author", "") != a.userId)
    return error(403, "Not enough permissions to post as this author", "ACCESS_DENIED");
  const std::string commentary = call.json.value("commentary", "");
  Scenario& s = state.scenario(kPlatform);
  const std::size_t limit = s.maxText > 0 ? static_cast<std::size_t>(s.maxText) : 3000;
  if (countChars(commentary, 0) > limit)
    return error(422, "commentary is longer than " + std::to_string(limit) + " characters");
  Post p;
  const Json content = call.json.value("content", Json::object());
  Json media = Json::array();
  if (content.contains("media")) media.push_back(content["media"]);
  if (content.contains("multiImage")) {
    media = content["multiImage"].value("images", Json::array());
    if (media.size() < 2 || media.size() > 20) return error(422, "multiImage takes 2 to 20 images");
  }
  for (const Json& item : media) {
    const std::string urn = item.value("id", "");
    Media* m = state.mediaItem(kPlatform, urn.substr(urn.rfind(':') + 1));
    if (m == nullptr || !m->extra.value("uploaded", false) || m->pollsLeft > 0) {
      return error(400, "media " + urn + " is not uploaded or not AVAILABLE");
    }
    p.media.push_back({{"id", urn}, {"altText", item.value("altText", "")}, {"size", m->size}});
  }
  bool cut = false;
  const std::string shown = rendered(commentary, cut);
  if (s.duplicateCheck) {
    for (const Post& other : state.posts) {
      if (other.platform == kPlatform && other.account == a.userId && !other.deleted &&
          other.extra.value("commentary", "") == commentary) {
        return error(422, "Content is a duplicate of " + other.id, "DUPLICATE_POST");
      }
    }
  }
  p.platform = kPlatform;
  p.id = "urn:li:share:7" + state.nextId(kPlatform);
  p.account = a.userId;
  p.text = shown;
  p.url = "https://www.linkedin.com/feed/update/" + p.id + "/";
  p.createdAt = nowMs();
  p.extra = {{"commentary", commentary},
             {"cut", cut},
             {"visibility", call.json.value("visibility", "")},
             {"linkedinVersion", call.header("linkedin-version")}};
  state.posts.push_back(p);
  if (s.hangAfterCreateMs > 0) sleepUnlocked(lock, s.hangAfterCreateMs);
  if (s.failAfterCreate > 0) {
    --s.failAfterCreate;
    return error(s.failStatus, "Internal Server Error");
  }
  Reply reply = emptyReply(201);
  reply.header("x-restli-id", p.id);
  return reply;
}

Reply findPosts(State& state, const Call& call, const Account& a) {
  if (a.scopes.find("r_member_social") == std::string::npos) {
    return error(403, "Not enough permissions to access: partnerApiPostsExternal.FINDER-author",
                 "ACCESS_DENIED");
  }
  if (call.queryValue("author") != a.userId) return error(403, "not your posts", "ACCESS_DENIED");
  Json elements = Json::array();
  for (auto it = state.posts.rbegin(); it != state.posts.rend(); ++it) {
    if (it->platform != kPlatform || it->account != a.userId || it->deleted) continue;
    elements.push_back({{"id", it->id},
                        {"author", it->account},
                        {"commentary", it->extra.value("commentary", "")},
                        {"createdAt", it->createdAt},
                        {"lifecycleState", "PUBLISHED"}});
  }
  return jsonReply(
      200, {{"elements", elements}, {"paging", {{"start", 0}, {"count", elements.size()}}}});
}

Reply socialMetadata(State& state, const std::string& urn) {
  Post* p = state.post(kPlatform, urn);
  if (p == nullptr || p->deleted) return error(404, "Not Found");
  return jsonReply(
      200, {{"entity", urn},
            {"reactionSummaries",
             {{"LIKE", {{"reactionType", "LIKE"}, {"count", p->metrics.value("likes", 0)}}},
              {"PRAISE", {{"reactionType", "PRAISE"}, {"count", p->metrics.value("praise", 0)}}}}},
            {"commentSummary",
             {{"count", p->metrics.value("replies", 0)},
              {"topLevelCount", p->metrics.value("replies", 0)}}},
            {"commentsState", "OPEN"}});
}

}  // namespace

Reply linkedin(State& state, Call& call) {
  std::unique_lock lock(state.mutex);
  if (call.path == "/oauth/v2/accessToken" && call.method == "POST") return token(state, call);
  if (call.path.rfind("/dms-uploads/", 0) == 0 && call.method == "PUT") return upload(state, call);
  const std::string bearer = call.bearer();
  if (bearer.empty()) return error(401, "Empty oauth2_access_token");
  const Credential* c = credential(state, kPlatform, bearer);
  if (c == nullptr || c->kind != "access" || c->revoked) {
    return error(401, "The token used in the request has been revoked by the user",
                 "REVOKED_ACCESS_TOKEN");
  }
  if (c->expiresAt > 0 && c->expiresAt < nowMs()) {
    return error(401, "The token used in the request has expired", "EXPIRED_ACCESS_TOKEN");
  }
  if (call.header("linkedin-version").size() != 6) {
    return error(426,
                 "A version must be present. Please specify a version by adding the "
                 "LinkedIn-Version header.",
                 "VERSION_MISSING");
  }
  if (call.header("x-restli-protocol-version") != "2.0.0") {
    return error(400, "X-Restli-Protocol-Version 2.0.0 is required");
  }
  const Account a = *state.account(kPlatform, c->account);
  const Window w = countRequest(state, kPlatform, a.key);
  if (w.limited) {
    return error(
        429,
        "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.");
  }
  const std::string action = call.queryValue("action");
  if (call.method == "POST" && call.path == "/rest/images" && action == "initializeUpload") {
    return initializeUpload(state, call, a, false);
  }
  if (call.method == "POST" && call.path == "/rest/videos" && action == "initializeUpload") {
    return initializeUpload(state, call, a, true);
  }
  if (call.method == "POST" && call.path == "/rest/videos" && action == "finalizeUpload") {
    return finalizeVideo(state, call);
  }
  if (call.method == "GET" && call.path.rfind("/rest/videos/", 0) == 0) {
    return videoStatus(state, urlDecode(call.path.substr(13)));
  }
  if (call.method == "POST" && call.path == "/rest/posts") return createPost(state, call, lock, a);
  if (call.method == "GET" && call.path == "/rest/posts" && call.queryValue("q") == "author") {
    return findPosts(state, call, a);
  }
  if (call.method == "GET" && call.path.rfind("/rest/socialMetadata/", 0) == 0) {
    return socialMetadata(state, urlDecode(call.path.substr(21)));
  }
  return error(404, "Not Found: " + call.method + " " + call.path);
}

}  // namespace fake
