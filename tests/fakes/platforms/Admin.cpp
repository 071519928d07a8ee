// The tests' side of the fakes (/_admin/...): accounts and tokens, scenarios, what was posted,
// webhook deliveries, counters.
#include "State.h"

namespace fake {
namespace {

Json postsOf(const State& state, const std::string& platform) {
  Json out = Json::array();
  for (const Post& p : state.posts) {
    if (platform.empty() || p.platform == platform) out.push_back(p.toJson());
  }
  return out;
}

Reply addAccount(State& state, const Call& call) {
  const Json& b = call.json;
  Account a;
  a.platform = b.value("platform", "");
  a.handle = b.value("handle", "");
  a.userId = b.value("userId", "");
  a.key = b.value("key", a.platform == "bluesky" ? a.handle : a.userId);
  a.scopes = b.value("scopes", "");
  a.password = b.value("password", "");
  a.accessLifetimeMs = b.value("accessLifetimeS", std::int64_t{0}) * 1000;
  if (a.platform.empty() || a.key.empty()) {
    return jsonReply(400, {{"error", "platform and handle/userId are required"}});
  }
  state.accounts[a.platform + ":" + a.key] = a;
  Json out = {{"key", a.key}};
  const std::int64_t expiresIn = b.value("accessExpiresInS", std::int64_t{0}) * 1000;
  if (b.value("issueAccess", a.platform != "bluesky")) {
    const std::string token = b.value("accessToken", "");
    if (!token.empty()) {
      Credential c{a.platform, "access", a.key, expiresIn != 0 ? nowMs() + expiresIn : 0,
                   false,      false};
      state.credentials[token] = c;
      out["accessToken"] = token;
    } else {
      out["accessToken"] = state.issue(a.platform, "access", a.key, expiresIn);
    }
  }
  if (b.value("issueRefresh", false)) {
    out["refreshToken"] = state.issue(a.platform, "refresh", a.key, 0);
  }
  return jsonReply(200, out);
}

// {"platform", "action": "expire"|"revoke", "kind": "access"|"refresh"|"all"}
Reply changeTokens(State& state, const Call& call) {
  const std::string platform = call.json.value("platform", "");
  const std::string action = call.json.value("action", "");
  const std::string kind = call.json.value("kind", "access");
  int changed = 0;
  for (auto& [token, c] : state.credentials) {
    if (c.platform != platform || (kind != "all" && c.kind != kind)) continue;
    if (action == "expire") c.expiresAt = nowMs() - 1000;
    if (action == "revoke") c.revoked = true;
    ++changed;
  }
  return jsonReply(200, {{"changed", changed}});
}

Reply setPost(State& state, const Call& call) {
  Post* p = state.post(call.json.value("platform", ""), call.json.value("id", ""));
  if (p == nullptr) return jsonReply(404, {{"error", "no such post"}});
  if (call.json.contains("metrics")) p->metrics = call.json["metrics"];
  if (call.json.value("deleted", false)) p->deleted = true;
  return jsonReply(200, p->toJson());
}

}  // namespace

Reply admin(State& state, Call& call) {
  std::lock_guard lock(state.mutex);
  const std::string& path = call.path;
  if (path == "/health") return jsonReply(200, {{"ok", true}});
  if (path == "/reset" && call.method == "POST") {
    state.reset();
    return jsonReply(200, {{"ok", true}});
  }
  if (path == "/accounts" && call.method == "POST") return addAccount(state, call);
  if (path == "/tokens" && call.method == "POST") return changeTokens(state, call);
  if (path == "/scenario" && call.method == "POST") {
    Scenario& s = state.scenario(call.json.value("platform", ""));
    s.merge(call.json);
    return jsonReply(200, s.toJson());
  }
  if (path == "/posts" && call.method == "GET") {
    return jsonReply(200, {{"posts", postsOf(state, call.queryValue("platform"))}});
  }
  if (path == "/posts" && call.method == "POST") return setPost(state, call);
  if (path == "/media" && call.method == "GET") {
    Json out = Json::array();
    for (const auto& [key, m] : state.media) {
      if (!call.queryValue("platform").empty() && m.platform != call.queryValue("platform"))
        continue;
      out.push_back({{"platform", m.platform},
                     {"id", m.id},
                     {"contentType", m.contentType},
                     {"size", m.size},
                     {"description", m.description},
                     {"extra", m.extra}});
    }
    return jsonReply(200, {{"media", out}});
  }
  if (path == "/deliveries" && call.method == "GET") {
    Json out = Json::array();
    for (const Delivery& d : state.deliveries) {
      out.push_back({{"path", d.path},
                     {"headers", d.headers},
                     {"body", d.body},
                     {"signatureValid", d.signatureValid},
                     {"duplicate", d.duplicate},
                     {"at", isoTime(d.at)}});
    }
    return jsonReply(200, {{"deliveries", out}});
  }
  if (path == "/webhook-secret" && call.method == "POST") {
    state.webhookSecrets[call.json.value("path", "/")] = call.json.value("secret", "");
    return jsonReply(200, {{"ok", true}});
  }
  if (path == "/counters" && call.method == "GET") return jsonReply(200, state.counters);
  return jsonReply(404, {{"error", "unknown admin call " + call.method + " " + path}});
}

}  // namespace fake
