#include "store/Accounts.h"

#include "Clock.h"
#include "crypto/Envelope.h"
#include "crypto/Random.h"
#include "job/Failure.h"
#include "store/Rows.h"

#include <algorithm>
#include <cctype>

namespace publish::store {
namespace {

using common::job::Unrecoverable;

constexpr const char* kPlatforms[] = {"mastodon", "bluesky", "x", "linkedin", "threads", "webhook"};
constexpr const char* kSealedColumns[] = {"access_token", "refresh_token", "secret"};

bool validId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-' || c == '.';
  });
}

}  // namespace

bool knownPlatform(const std::string& platform) {
  return std::find(std::begin(kPlatforms), std::end(kPlatforms), platform) != std::end(kPlatforms);
}

const char* platformList() {
  return "mastodon, bluesky, x, linkedin, threads, webhook";
}

bool Account::hasScope(const std::string& scope) const {
  return hasWord(scopes, scope);
}

std::string Account::label() const {
  return platform + " account " + id + " (" + handle + ")";
}

std::string Accounts::seal(const std::string& id, const char* column,
                           const std::string& plain) const {
  if (plain.empty()) return {};
  return common::crypto::seal(keys_.current, plain, "platform_accounts/" + id + "/" + column);
}

std::string Accounts::open(const std::string& id, const char* column, const Json& sealed) const {
  if (!sealed.is_string() || sealed.get<std::string>().empty()) return {};
  try {
    return common::crypto::open(keys_, sealed.get<std::string>(),
                                "platform_accounts/" + id + "/" + column);
  } catch (const common::crypto::DecryptError& e) {
    throw Unrecoverable("account " + id + ": " + column + " cannot be decrypted: " + e.what());
  }
}

Account Accounts::load(const warren::Job* job, const std::string& id) const {
  const Json rows =
      db_.rows(job, "SELECT * FROM platform_accounts WHERE id = $1", Json::array({id}));
  if (rows.empty())
    throw Unrecoverable("no platform account '" + id + "' (see warren accounts list)");
  const Json& row = rows.front();
  Account account;
  account.id = text(row, "id");
  account.platform = text(row, "platform");
  account.handle = text(row, "handle");
  account.baseUrl = text(row, "base_url");
  account.platformUserId = text(row, "platform_user_id");
  account.scopes = text(row, "scopes");
  account.clientId = text(row, "client_id");
  account.status = text(row, "status");
  account.statusReason = text(row, "status_reason");
  account.tokenExpiresAt = integer(row, "token_expires_at");
  account.tokenVersion = integer(row, "token_version");
  account.accessToken = open(id, "access_token", row.value("access_token", Json()));
  account.refreshToken = open(id, "refresh_token", row.value("refresh_token", Json()));
  account.secret = open(id, "secret", row.value("secret", Json()));
  return account;
}

Json Accounts::list(const warren::Job* job) const {
  const Json rows = db_.rows(
      job,
      "SELECT id, platform, handle, base_url, platform_user_id, scopes, status, status_reason, "
      "token_expires_at, token_version, access_token, refresh_token, secret, created_at, "
      "updated_at FROM platform_accounts ORDER BY id");
  Json out = Json::array();
  for (const Json& row : rows) {
    Json item = {{"id", text(row, "id")},
                 {"platform", text(row, "platform")},
                 {"handle", text(row, "handle")},
                 {"baseUrl", text(row, "base_url")},
                 {"platformUserId", nullable(text(row, "platform_user_id"))},
                 {"scopes", text(row, "scopes")},
                 {"status", text(row, "status")},
                 {"statusReason", nullable(text(row, "status_reason"))},
                 {"tokenExpiresAt", row.value("token_expires_at", Json())},
                 {"tokenVersion", integer(row, "token_version")},
                 {"createdAt", integer(row, "created_at")},
                 {"updatedAt", integer(row, "updated_at")}};
    // Which secrets are stored and under which key: never the values.
    Json sealed = Json::object();
    for (const char* column : kSealedColumns) {
      const std::string value = text(row, column);
      if (!value.empty()) sealed[column] = common::crypto::keyIdOf(value);
    }
    item["keyIds"] = sealed;
    out.push_back(item);
  }
  return out;
}

std::string Accounts::add(const warren::Job* job, const NewAccount& in) const {
  if (!knownPlatform(in.platform)) {
    throw Unrecoverable("unknown platform '" + in.platform + "' (expected one of " +
                        platformList() + ")");
  }
  const std::string id = in.id.empty() ? "acc_" + common::crypto::randomHex(8) : in.id;
  if (!validId(id)) {
    throw Unrecoverable("invalid account id '" + id +
                        "': up to 64 letters, digits, '_', '-' or '.'");
  }
  if (in.handle.empty()) throw Unrecoverable("an account needs a handle");
  if (in.baseUrl.rfind("http://", 0) != 0 && in.baseUrl.rfind("https://", 0) != 0) {
    throw Unrecoverable("an account needs its base URL (http:// or https://), got '" + in.baseUrl +
                        "'");
  }
  if (in.accessToken.empty() && in.refreshToken.empty() && in.secret.empty()) {
    throw Unrecoverable("an account needs a token, a refresh token or a secret");
  }
  const std::int64_t now = nowMs();
  std::string baseUrl = in.baseUrl;
  while (!baseUrl.empty() && baseUrl.back() == '/') baseUrl.pop_back();
  const Json params =
      Json::array({id, in.platform, in.handle, baseUrl, nullable(in.platformUserId), in.scopes,
                   nullable(in.clientId), nullable(seal(id, "access_token", in.accessToken)),
                   nullable(seal(id, "refresh_token", in.refreshToken)),
                   nullable(seal(id, "secret", in.secret)),
                   in.tokenExpiresAt > 0 ? Json(in.tokenExpiresAt) : Json(nullptr), now});
  const std::int64_t inserted = db_.execute(
      job,
      "INSERT INTO platform_accounts (id, platform, handle, base_url, platform_user_id, scopes, "
      "client_id, access_token, refresh_token, secret, token_expires_at, status, token_version, "
      "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'active', 0, "
      "$12, $12) ON CONFLICT (id) DO NOTHING",
      params);
  if (inserted == 0) throw Unrecoverable("an account with id '" + id + "' exists already");
  return id;
}

bool Accounts::setStatus(const warren::Job* job, const std::string& id, const std::string& status,
                         const std::string& reason) const {
  return db_.execute(job,
                     "UPDATE platform_accounts SET status = $2, status_reason = $3, updated_at = "
                     "$4 WHERE id = $1",
                     Json::array({id, status, nullable(reason), nowMs()})) > 0;
}

bool Accounts::takeRefreshLease(const warren::Job* job, const std::string& id, std::int64_t version,
                                const std::string& owner, std::int64_t untilMs) const {
  return db_.execute(job,
                     "UPDATE platform_accounts SET refresh_lease_owner = $3, refresh_lease_until = "
                     "$4 WHERE id = $1 AND token_version = $2 AND (refresh_lease_until IS NULL OR "
                     "refresh_lease_until < $5 OR refresh_lease_owner = $3)",
                     Json::array({id, version, owner, untilMs, nowMs()})) > 0;
}

bool Accounts::saveTokens(const warren::Job* job, const Account& before,
                          const Tokens& tokens) const {
  // A refresh answer without a refresh token keeps the stored one: rotating refresh tokens are
  // never lost, and an empty one never overwrites a good one.
  const std::string refresh =
      tokens.refreshToken.empty() ? before.refreshToken : tokens.refreshToken;
  const std::string userId =
      tokens.platformUserId.empty() ? before.platformUserId : tokens.platformUserId;
  return db_.execute(
             job,
             "UPDATE platform_accounts SET access_token = $3, refresh_token = $4, "
             "token_expires_at = $5, platform_user_id = $6, token_version = token_version + 1, "
             "refresh_lease_owner = NULL, refresh_lease_until = NULL, status = 'active', "
             "status_reason = NULL, updated_at = $7 WHERE id = $1 AND token_version = $2",
             Json::array({before.id, before.tokenVersion,
                          nullable(seal(before.id, "access_token", tokens.accessToken)),
                          nullable(seal(before.id, "refresh_token", refresh)),
                          tokens.expiresAt > 0 ? Json(tokens.expiresAt) : Json(nullptr),
                          nullable(userId), nowMs()})) > 0;
}

bool Accounts::replaceCredentials(const warren::Job* job, const Account& account,
                                  const Tokens& tokens) const {
  return db_.execute(
             job,
             "UPDATE platform_accounts SET access_token = $3, refresh_token = $4, secret = $5, "
             "token_expires_at = $6, token_version = token_version + 1, refresh_lease_owner = "
             "NULL, refresh_lease_until = NULL, status = 'active', status_reason = NULL, "
             "updated_at = $7 WHERE id = $1 AND token_version = $2",
             Json::array({account.id, account.tokenVersion,
                          nullable(seal(account.id, "access_token", tokens.accessToken)),
                          nullable(seal(account.id, "refresh_token", tokens.refreshToken)),
                          nullable(seal(account.id, "secret", account.secret)),
                          tokens.expiresAt > 0 ? Json(tokens.expiresAt) : Json(nullptr),
                          nowMs()})) > 0;
}

void Accounts::releaseRefreshLease(const warren::Job* job, const std::string& id,
                                   const std::string& owner) const {
  db_.execute(job,
              "UPDATE platform_accounts SET refresh_lease_owner = NULL, refresh_lease_until = "
              "NULL WHERE id = $1 AND refresh_lease_owner = $2",
              Json::array({id, owner}));
}

std::optional<std::int64_t> Accounts::tokenVersion(const warren::Job* job,
                                                   const std::string& id) const {
  const Json rows =
      db_.query(job, WARREN_DB_WRITE, "SELECT token_version FROM platform_accounts WHERE id = $1",
                Json::array({id}))
          .rows;
  if (rows.empty()) return std::nullopt;
  return integer(rows.front(), "token_version");
}

ReencryptReport Accounts::reencrypt(const warren::Job* job) const {
  ReencryptReport report;
  const Json rows = db_.query(job, WARREN_DB_WRITE,
                              "SELECT id, access_token, refresh_token, secret FROM "
                              "platform_accounts ORDER BY id")
                        .rows;
  for (const Json& row : rows) {
    ++report.accounts;
    const std::string id = text(row, "id");
    bool moved = false;
    try {
      for (const char* column : kSealedColumns) {
        const std::string stored = text(row, column);
        if (stored.empty() || common::crypto::keyIdOf(stored) == keys_.current.id()) continue;
        const std::string plain = open(id, column, Json(stored));
        // Compare-and-set on the old ciphertext: a refresh that wrote meanwhile (already under
        // the current key) wins, and its token_version is left alone.
        const std::string sql = std::string("UPDATE platform_accounts SET ") + column +
                                " = $2 WHERE id = $1 AND " + column + " = $3";
        db_.execute(job, sql, Json::array({id, seal(id, column, plain), stored}));
        moved = true;
      }
    } catch (const Unrecoverable& e) {
      report.failed.push_back(e.what());
      continue;
    }
    if (moved) {
      ++report.rewritten;
    } else {
      ++report.current;
    }
  }
  return report;
}

}  // namespace publish::store
