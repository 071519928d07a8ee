#include "store/Ledger.h"

#include "Clock.h"
#include "crypto/Digest.h"
#include "crypto/Random.h"
#include "job/Failure.h"
#include "store/Rows.h"

namespace publish::store {
namespace {

using common::job::Retryable;
using common::job::RetryAt;
using common::job::Unrecoverable;

Publication fromRow(const Json& row) {
  Publication p;
  p.id = text(row, "id");
  p.key = text(row, "idempotency_key");
  p.postId = text(row, "post_id");
  p.accountId = text(row, "account_id");
  p.platform = text(row, "platform");
  p.state = text(row, "state");
  p.contentHash = text(row, "content_hash");
  p.content = jsonColumn(row, "content", Json::object());
  p.progress = jsonColumn(row, "progress", Json::object());
  p.result = jsonColumn(row, "result", Json());
  p.error = text(row, "error");
  p.notified = text(row, "notified");
  p.publishedAt = integer(row, "published_at");
  p.createdAt = integer(row, "created_at");
  return p;
}

}  // namespace

bool Publication::wasNotified(const std::string& event) const {
  return hasWord(notified, event);
}

bool Publication::anythingSent() const {
  const auto check = [](const Json& list) {
    if (!list.is_array()) return false;
    for (const Json& item : list) {
      const std::string step = item.value("state", "");
      if (step == "sending" || step == "posted") return true;
    }
    return false;
  };
  return check(progress.value("parts", Json::array()));
}

std::string jobKeyOf(const std::string& owner) {
  return owner.substr(0, owner.find('#'));
}

Publication Ledger::read(const warren::Job* job, const std::string& key) const {
  const Json rows =
      db_.query(job, WARREN_DB_WRITE, "SELECT * FROM publications WHERE idempotency_key = $1",
                Json::array({key}))
          .rows;
  if (rows.empty()) return {};
  return fromRow(rows.front());
}

Publication Ledger::open(const warren::Job* job, const std::string& key, const std::string& postId,
                         const std::string& accountId, const std::string& platform,
                         const Json& content, const std::string& owner) const {
  const std::string contentText = common::dumpJson(content);
  const std::string hash = common::crypto::sha256Hex(contentText);
  const std::int64_t now = nowMs();
  db_.execute(job,
              "INSERT INTO publications (id, idempotency_key, post_id, account_id, platform, "
              "state, content_hash, content, progress, created_at, updated_at) VALUES ($1, $2, "
              "$3, $4, $5, 'pending', $6, $7, '{}', $8, $8) ON CONFLICT (idempotency_key) DO "
              "NOTHING",
              Json::array({"pub_" + common::crypto::randomHex(10), key, nullable(postId), accountId,
                           platform, hash, contentText, now}));
  Publication p = read(job, key);
  if (p.id.empty()) throw Retryable("publication ledger row for '" + key + "' vanished");
  if (p.accountId != accountId || p.platform != platform) {
    throw Unrecoverable("idempotency key '" + key + "' belongs to publication " + p.id + " (" +
                        p.platform + " account " + p.accountId + "), not to " + platform +
                        " account " + accountId);
  }
  // The lease: ours when free, expired, or held by an earlier run of this same job.
  const std::string jobKey = jobKeyOf(owner);
  const std::int64_t taken = db_.execute(
      job,
      "UPDATE publications SET lease_owner = $2, lease_until = $3, job_id = $4 WHERE id = $1 AND "
      "(lease_owner IS NULL OR lease_until IS NULL OR lease_until < $5 OR lease_owner = $2 OR "
      "substr(lease_owner, 1, length($6)) = $6)",
      Json::array({p.id, owner, now + leaseMs_, jobKey, now, jobKey + "#"}));
  if (taken == 0) {
    const Json rows = db_.query(job, WARREN_DB_WRITE,
                                "SELECT lease_owner, lease_until FROM publications WHERE id = $1",
                                Json::array({p.id}))
                          .rows;
    const std::int64_t until = rows.empty() ? now + 1000 : integer(rows.front(), "lease_until");
    throw RetryAt(until + 50, "publication " + p.id + " (key '" + key +
                                  "') is being published by " +
                                  jobKeyOf(rows.empty() ? "" : text(rows.front(), "lease_owner")) +
                                  "; waiting for it");
  }
  if (p.contentHash != hash && p.state != "published") {
    if (p.anythingSent()) {
      throw Unrecoverable("idempotency key '" + key + "' was used for other content (publication " +
                          p.id + " has parts on the platform already): give a new idempotencyKey");
    }
    p.content = content;
    p.contentHash = hash;
    p.progress = Json::object();
    p.state = "pending";
    p.error.clear();
    db_.execute(job,
                "UPDATE publications SET content = $2, content_hash = $3, progress = '{}', "
                "state = 'pending', error = NULL, updated_at = $4 WHERE id = $1",
                Json::array({p.id, contentText, hash, nowMs()}));
  }
  return p;
}

void Ledger::save(const warren::Job* job, const Publication& p, const std::string& owner) const {
  const std::int64_t now = nowMs();
  const std::int64_t saved = db_.execute(
      job,
      "UPDATE publications SET state = $3, progress = $4, result = $5, error = $6, "
      "platform_post_id = $7, url = $8, published_at = $9, lease_until = $10, updated_at = $11 "
      "WHERE id = $1 AND lease_owner = $2",
      Json::array(
          {p.id, owner, p.state, common::dumpJson(p.progress),
           p.result.is_null() ? Json(nullptr) : Json(common::dumpJson(p.result)), nullable(p.error),
           p.result.is_object() ? Json(p.result.value("platformPostId", "")) : Json(nullptr),
           p.result.is_object() ? Json(p.result.value("url", "")) : Json(nullptr),
           p.publishedAt > 0 ? Json(p.publishedAt) : Json(nullptr), now + leaseMs_, now}));
  if (saved == 0) {
    throw Retryable("publication " + p.id +
                    " was taken over by another run of its job; this run stops here");
  }
}

void Ledger::finish(const warren::Job* job, Publication& p, const std::string& owner,
                    const std::string& state, std::int64_t firstMetrics) const {
  p.state = state;
  save(job, p, owner);
  db_.execute(job,
              "UPDATE publications SET lease_owner = NULL, lease_until = NULL, metrics_next_at = "
              "COALESCE(metrics_next_at, $3) WHERE id = $1 AND lease_owner = $2",
              Json::array({p.id, owner, firstMetrics > 0 ? Json(firstMetrics) : Json(nullptr)}));
}

void Ledger::markNotified(const warren::Job* job, Publication& p, const std::string& event) const {
  if (p.wasNotified(event)) return;
  p.notified = p.notified.empty() ? event : p.notified + " " + event;
  db_.execute(job, "UPDATE publications SET notified = $2 WHERE id = $1",
              Json::array({p.id, p.notified}));
}

Publication Ledger::find(const warren::Job* job, const std::string& idOrPostId) const {
  const Json rows = db_.rows(job,
                             "SELECT * FROM publications WHERE id = $1 OR post_id = $1 ORDER BY "
                             "created_at DESC LIMIT 1",
                             Json::array({idOrPostId}));
  if (rows.empty()) return {};
  return fromRow(rows.front());
}

}  // namespace publish::store
