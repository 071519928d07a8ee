#include "State.h"

#include <chrono>
#include <random>
#include <thread>

namespace fake {

void Scenario::merge(const Json& c) {
  rateLimitNext = c.value("rateLimitNext", rateLimitNext);
  rateLimitResetS = c.value("rateLimitResetS", rateLimitResetS);
  rateLimitWhole = c.value("rateLimitWhole", rateLimitWhole);
  failAfterCreate = c.value("failAfterCreate", failAfterCreate);
  failStatus = c.value("failStatus", failStatus);
  hangAfterCreateMs = c.value("hangAfterCreateMs", hangAfterCreateMs);
  mediaPolls = c.value("mediaPolls", mediaPolls);
  duplicateCheck = c.value("duplicateCheck", duplicateCheck);
  maxText = c.value("maxText", maxText);
}

Json Scenario::toJson() const {
  return Json{{"rateLimitNext", rateLimitNext},
              {"rateLimitResetS", rateLimitResetS},
              {"rateLimitWhole", rateLimitWhole},
              {"failAfterCreate", failAfterCreate},
              {"failStatus", failStatus},
              {"hangAfterCreateMs", hangAfterCreateMs},
              {"mediaPolls", mediaPolls},
              {"duplicateCheck", duplicateCheck},
              {"maxText", maxText}};
}

Json Post::toJson() const {
  return Json{{"platform", platform},
              {"id", id},
              {"account", account},
              {"text", text},
              {"url", url},
              {"media", media},
              {"replyTo", replyTo},
              {"root", root},
              {"idempotencyKey", idempotencyKey},
              {"createdAt", isoTime(createdAt)},
              {"deleted", deleted},
              {"metrics", metrics},
              {"extra", extra}};
}

std::string State::issue(const std::string& platform, const std::string& kind,
                         const std::string& account, std::int64_t lifetimeMs) {
  static std::mt19937_64 random(std::random_device{}());
  static const char digits[] = "0123456789abcdef";
  std::string token = platform + "-" + kind + "-";
  for (int i = 0; i < 24; ++i) token += digits[random() % 16];
  Credential c;
  c.platform = platform;
  c.kind = kind;
  c.account = account;
  c.expiresAt = lifetimeMs != 0 ? nowMs() + lifetimeMs : 0;
  credentials[token] = c;
  return token;
}

std::string State::nextId(const std::string&) {
  return std::to_string(++sequence);
}

void State::reset() {
  scenarios.clear();
  credentials.clear();
  accounts.clear();
  posts.clear();
  media.clear();
  idempotency.clear();
  deliveries.clear();
  webhookSecrets.clear();
  webhookAnswers.clear();
  counters.clear();
  windowStart.clear();
  windowUsed.clear();
}

Account* State::account(const std::string& platform, const std::string& key) {
  const auto it = accounts.find(platform + ":" + key);
  return it == accounts.end() ? nullptr : &it->second;
}

Post* State::post(const std::string& platform, const std::string& id) {
  for (Post& p : posts) {
    if (p.platform == platform && p.id == id) return &p;
  }
  return nullptr;
}

Media* State::mediaItem(const std::string& platform, const std::string& id) {
  const auto it = media.find(platform + ":" + id);
  return it == media.end() ? nullptr : &it->second;
}

Window countRequest(State& state, const std::string& platform, const std::string& account) {
  constexpr std::int64_t kWindowMs = 5 * 60 * 1000;
  Window w;
  const std::string key = platform + ":" + account;
  const std::int64_t now = nowMs();
  std::int64_t& start = state.windowStart[key];
  std::int64_t& used = state.windowUsed[key];
  if (start == 0 || now - start >= kWindowMs) {
    start = now;
    used = 0;
  }
  Scenario& s = state.scenario(platform);
  if (s.rateLimitNext > 0) {
    --s.rateLimitNext;
    w.limited = true;
    w.whole = s.rateLimitWhole;
    w.remaining = 0;
    w.resetMs = now + s.rateLimitResetS * 1000;
    return w;
  }
  ++used;
  w.remaining = std::max<std::int64_t>(w.limit - used, 0);
  w.resetMs = start + kWindowMs;
  return w;
}

const Credential* credential(State& state, const std::string& platform, const std::string& token) {
  const auto it = state.credentials.find(token);
  if (it == state.credentials.end() || it->second.platform != platform) return nullptr;
  return &it->second;
}

std::size_t countChars(const std::string& text, std::size_t urlWeight) {
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const bool atWordStart = i == 0 || text[i - 1] == ' ' || text[i - 1] == '\n';
    if (urlWeight > 0 && atWordStart &&
        (text.compare(i, 8, "https://") == 0 || text.compare(i, 7, "http://") == 0)) {
      while (i < text.size() && text[i] != ' ' && text[i] != '\n') ++i;
      count += urlWeight;
      continue;
    }
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++count;
    ++i;
  }
  return count;
}

void sleepUnlocked(std::unique_lock<std::mutex>& lock, int ms) {
  lock.unlock();
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  lock.lock();
}

}  // namespace fake
