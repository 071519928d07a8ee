// Everything the fake platforms remember, behind one lock: accounts and their credentials,
// what was posted (so tests can assert "exactly once"), uploaded media, webhook deliveries,
// counters, and the scenario controls each platform obeys.
#pragma once

#include "Http.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace fake {

// Behaviour a test asks of one platform (POST /_admin/scenario).
struct Scenario {
  int rateLimitNext = 0;        // the next N requests answer 429
  int rateLimitResetS = 2;      // ...with the reset this far ahead
  bool rateLimitWhole = false;  // X: an app-wide limit (usage-capped) instead of the user's
  int failAfterCreate = 0;      // the next N creates are done, then answered 5xx
  int failStatus = 503;
  int hangAfterCreateMs = 0;   // creates are done, then the answer waits this long
  int mediaPolls = 0;          // media need this many status checks before they are ready
  bool duplicateCheck = true;  // X and LinkedIn refuse a text they have already
  int maxText = 0;             // override of the platform's text limit (0: the platform's)

  void merge(const Json& controls);
  Json toJson() const;
};

struct Credential {
  std::string platform;
  std::string kind;            // access | refresh | password
  std::string account;         // the account's key (handle or user id)
  std::int64_t expiresAt = 0;  // Unix ms; 0: never
  bool revoked = false;
  bool used = false;  // a rotating refresh token already spent
};

struct Account {
  std::string platform;
  std::string key;  // handle (Bluesky identifier) or user id
  std::string handle;
  std::string userId;  // DID, X user id, LinkedIn URN, Threads user id
  std::string scopes;
  std::string password;               // Bluesky app password
  std::int64_t accessLifetimeMs = 0;  // tokens issued by refresh last this long (0: 2 h)
};

struct Post {
  std::string platform;
  std::string id;
  std::string account;
  std::string text;
  std::string url;
  Json media = Json::array();
  std::string replyTo;
  std::string root;
  std::string idempotencyKey;
  std::int64_t createdAt = 0;
  bool deleted = false;
  Json metrics = Json::object();
  Json extra = Json::object();  // the platform's own fields (facets, rkey, cid...)

  Json toJson() const;
};

struct Media {
  std::string platform;
  std::string id;
  std::string account;
  std::string contentType;
  std::int64_t size = 0;
  std::int64_t expectedSize = 0;  // chunked uploads
  std::string bytes;              // kept for chunked uploads until finalised
  int pollsLeft = 0;
  bool finalized = true;
  std::string description;
  Json extra = Json::object();
};

struct Delivery {
  std::string path;
  std::map<std::string, std::string> headers;
  std::string body;
  bool signatureValid = false;
  bool duplicate = false;
  std::int64_t at = 0;
};

class State {
 public:
  std::mutex mutex;

  Scenario& scenario(const std::string& platform) { return scenarios[platform]; }
  // A new token for `account`; `lifetimeMs` 0: never expires.
  std::string issue(const std::string& platform, const std::string& kind,
                    const std::string& account, std::int64_t lifetimeMs);
  std::string nextId(const std::string& platform);
  void reset();

  std::map<std::string, Scenario> scenarios;
  std::map<std::string, Credential> credentials;  // token → credential
  std::map<std::string, Account> accounts;        // platform + ":" + key → account
  std::vector<Post> posts;
  std::map<std::string, Media> media;              // platform + ":" + id
  std::map<std::string, std::string> idempotency;  // platform:account:key → post id
  std::vector<Delivery> deliveries;
  std::map<std::string, std::string> webhookSecrets;  // path → secret
  std::map<std::string, Json> webhookAnswers;         // Webhook-Id → the first answer
  std::map<std::string, std::int64_t> counters;       // "x.refresh", "bluesky.createSession"...
  std::map<std::string, std::int64_t> windowStart;    // rate-limit windows per platform:account
  std::map<std::string, std::int64_t> windowUsed;
  std::uint64_t sequence = 1000;

  Account* account(const std::string& platform, const std::string& key);
  Post* post(const std::string& platform, const std::string& id);
  Media* mediaItem(const std::string& platform, const std::string& id);
};

// What a platform module does with a call. Each returns a reply; nothing throws.
Reply mastodon(State& state, Call& call);
Reply bluesky(State& state, Call& call);
Reply x(State& state, Call& call);
Reply linkedin(State& state, Call& call);
Reply threads(State& state, Call& call);
Reply webhook(State& state, Call& call);
Reply admin(State& state, Call& call);

// Shared by the platform modules (callers hold state.mutex).
// 429 when the scenario says so; else counts the request against a 300-per-window budget.
// Returns the rate-limit fields for headers: {limit, remaining, resetMs}.
struct Window {
  std::int64_t limit = 300;
  std::int64_t remaining = 300;
  std::int64_t resetMs = 0;
  bool limited = false;
  bool whole = false;
};
Window countRequest(State& state, const std::string& platform, const std::string& account);
// Validity of a bearer token: nullptr when unknown; `expired`/`revoked` tell why it is refused.
const Credential* credential(State& state, const std::string& platform, const std::string& token);
// Code points of UTF-8 text, with every http(s) URL counting `urlWeight` (0: as written).
std::size_t countChars(const std::string& text, std::size_t urlWeight);
// Sleeps `ms` without the lock (callers pass the lock they hold).
void sleepUnlocked(std::unique_lock<std::mutex>& lock, int ms);

}  // namespace fake
