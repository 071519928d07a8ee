// Fake webhook receiver: keeps every delivery (headers and body), checks its signature when a
// secret is registered for the path, and answers a repeated Webhook-Id with the first answer
// without acting on it again (what the webhook platform's contract asks of receivers).
#include "State.h"

#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

namespace fake {
namespace {

constexpr const char* kPlatform = "webhook";

class Sha256 : public Poco::SHA2Engine {
 public:
  enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
  Sha256() : Poco::SHA2Engine(SHA_256) {}
};

bool signatureValid(const std::string& secret, const Call& call) {
  const std::string timestamp = call.header("webhook-timestamp");
  const std::string signature = call.header("webhook-signature");
  if (secret.empty() || timestamp.empty() || signature.rfind("v1=", 0) != 0) return false;
  Poco::HMACEngine<Sha256> hmac(secret);
  hmac.update(timestamp + "." + call.body);
  return Poco::DigestEngine::digestToHex(hmac.digest()) == signature.substr(3);
}

}  // namespace

Reply webhook(State& state, Call& call) {
  std::unique_lock lock(state.mutex);
  if (call.method != "POST") return jsonReply(405, {{"error", "POST only"}});
  Scenario& s = state.scenario(kPlatform);
  const Window w = countRequest(state, kPlatform, call.path);
  if (w.limited) {
    Reply reply = jsonReply(429, {{"error", "slow down"}});
    reply.header("Retry-After", std::to_string(s.rateLimitResetS));
    return reply;
  }
  Delivery d;
  d.path = call.path;
  d.headers = call.headers;
  d.body = call.body;
  d.at = nowMs();
  const auto secret = state.webhookSecrets.find(call.path);
  d.signatureValid =
      signatureValid(secret != state.webhookSecrets.end() ? secret->second : "", call);
  const std::string id = call.header("webhook-id");
  const auto seen = state.webhookAnswers.find(id);
  d.duplicate = !id.empty() && seen != state.webhookAnswers.end();
  state.deliveries.push_back(d);
  if (secret != state.webhookSecrets.end() && !d.signatureValid) {
    return jsonReply(401, {{"error", "bad signature"}});
  }
  if (d.duplicate) return jsonReply(200, seen->second);
  Json answer = {{"ok", true}};
  if (call.json.is_object() && call.json.value("type", "") == "post") {
    Post p;
    p.platform = kPlatform;
    p.id = "wh-" + state.nextId(kPlatform);
    p.account = call.json.value("account", Json::object()).value("id", "");
    p.text = call.json.value("text", "");
    p.url = "https://hooks.example/posts/" + p.id;
    p.media = call.json.value("media", Json::array());
    p.idempotencyKey = id;
    p.createdAt = nowMs();
    p.extra = {{"thread", call.json.value("thread", Json::array())}, {"path", call.path}};
    state.posts.push_back(p);
    answer = {{"id", p.id}, {"url", p.url}};
  }
  if (!id.empty()) state.webhookAnswers[id] = answer;
  if (s.hangAfterCreateMs > 0) sleepUnlocked(lock, s.hangAfterCreateMs);
  if (s.failAfterCreate > 0) {
    --s.failAfterCreate;
    return jsonReply(s.failStatus, {{"error", "temporarily unavailable"}});
  }
  return jsonReply(200, answer);
}

}  // namespace fake
