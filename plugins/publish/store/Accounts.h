// platform_accounts: the accounts the plugin posts as, their tokens sealed with AES-256-GCM
// under ENCRYPTION_KEY. Each ciphertext is bound to its account id and column, so a value
// copied to another account or column does not decrypt.
#pragma once

#include "crypto/Key.h"
#include "db/Db.h"
#include "json/Json.h"

#include <warren/plugin.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace publish::store {

using common::Json;

// The platforms an account may be on.
bool knownPlatform(const std::string& platform);
const char* platformList();  // "mastodon, bluesky, x, linkedin, threads, webhook"

struct Account {
  std::string id;
  std::string platform;
  std::string handle;
  std::string baseUrl;         // instance (Mastodon), PDS (Bluesky), API base or webhook URL
  std::string platformUserId;  // Bluesky DID, X user id, LinkedIn author URN, Threads user id
  std::string scopes;          // space-separated, as granted
  std::string clientId;        // OAuth client id for refreshes (X, LinkedIn)
  std::string status;          // active | needs_reauth | disabled
  std::string statusReason;
  std::int64_t tokenExpiresAt = 0;  // Unix ms; 0: unknown or never
  std::int64_t tokenVersion = 0;
  // Decrypted secrets; never logged, never in an error or a result.
  std::string accessToken;
  std::string refreshToken;
  std::string secret;  // Bluesky app password, OAuth client secret, or a webhook signing key

  bool hasScope(const std::string& scope) const;
  // "mastodon account acc_1 (@alice@example.social)": how messages name it.
  std::string label() const;
};

// What an operator gives to add an account (warren accounts add).
struct NewAccount {
  std::string id;  // empty: acc_<random>
  std::string platform;
  std::string handle;
  std::string baseUrl;
  std::string platformUserId;
  std::string scopes;
  std::string clientId;
  std::string accessToken;
  std::string refreshToken;
  std::string secret;
  std::int64_t tokenExpiresAt = 0;
};

// New tokens after a refresh. An empty refreshToken keeps the stored one.
struct Tokens {
  std::string accessToken;
  std::string refreshToken;
  std::int64_t expiresAt = 0;
  std::string platformUserId;  // set when the refresh tells it (Bluesky's DID)
};

struct ReencryptReport {
  std::int64_t accounts = 0;        // rows read
  std::int64_t rewritten = 0;       // rows with a value moved to the current key
  std::int64_t current = 0;         // rows already all under the current key
  std::vector<std::string> failed;  // "acc_x: reason" for rows that could not be decrypted
};

class Accounts {
 public:
  Accounts(const common::db::Db& db, const common::crypto::Keyring& keys) : db_(db), keys_(keys) {}

  // The account with its tokens decrypted. Throws job::Unrecoverable when there is no such
  // account or a value does not decrypt (the message names the account and the column).
  Account load(const warren::Job* job, const std::string& id) const;
  // Every account, without tokens (for listings): id, platform, handle, base_url, status...
  Json list(const warren::Job* job) const;
  // Adds an account; returns its id. Throws job::Unrecoverable for bad input or a taken id.
  std::string add(const warren::Job* job, const NewAccount& account) const;
  // Sets the status (and the reason shown to operators); false when there is no such account.
  bool setStatus(const warren::Job* job, const std::string& id, const std::string& status,
                 const std::string& reason) const;

  // Token refresh, safe across workers. takeRefreshLease: true when this caller may refresh now
  // (nobody else holds an unexpired lease and the row is still at `version`).
  bool takeRefreshLease(const warren::Job* job, const std::string& id, std::int64_t version,
                        const std::string& owner, std::int64_t untilMs) const;
  // Saves refreshed tokens if the row is still at `before.tokenVersion` (compare-and-set),
  // bumping the version and releasing the lease. False when another worker saved first.
  bool saveTokens(const warren::Job* job, const Account& before, const Tokens& tokens) const;
  // An operator's new credentials (warren accounts reauth): access and refresh tokens as given
  // (empty: none), `account.secret` as the secret; the account becomes active. Compare-and-set
  // on the version, like saveTokens.
  bool replaceCredentials(const warren::Job* job, const Account& account,
                          const Tokens& tokens) const;
  // Gives up a lease without saving (a refresh that failed).
  void releaseRefreshLease(const warren::Job* job, const std::string& id,
                           const std::string& owner) const;
  // The stored token version (and status) without decrypting anything.
  std::optional<std::int64_t> tokenVersion(const warren::Job* job, const std::string& id) const;

  // Rewrites every value not under the current key (ENCRYPTION_KEY_PREVIOUS's) under it.
  ReencryptReport reencrypt(const warren::Job* job) const;

 private:
  std::string seal(const std::string& id, const char* column, const std::string& plain) const;
  std::string open(const std::string& id, const char* column, const Json& sealed) const;

  const common::db::Db& db_;
  const common::crypto::Keyring& keys_;
};

}  // namespace publish::store
