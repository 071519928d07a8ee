// The publication ledger (table publications): one row per post going to one account, keyed by
// its idempotency key, moving pending -> publishing -> published | failed | unconfirmed. Every
// step's progress is saved before and after the platform call it stands for, so that a job run
// again after a crash, a stall or a timeout resumes where the last run stopped.
//
// A row is worked on by one run at a time: a lease (owner, until) taken when the run opens the
// row, renewed by each save. A run of the same BullMQ job (same queue and id: a retry, or the
// job taken again after its worker died) takes the lease over at once; a run of another job
// with the same key waits for it to expire.
#pragma once

#include "db/Db.h"
#include "json/Json.h"

#include <warren/plugin.hpp>

#include <cstdint>
#include <string>

namespace publish::store {

using common::Json;

struct Publication {
  std::string id;
  std::string key;
  std::string postId;
  std::string accountId;
  std::string platform;
  std::string state;  // pending | publishing | published | failed | unconfirmed
  std::string contentHash;
  Json content = Json::object();   // the post as published (normalised job data)
  Json progress = Json::object();  // {"media":[...], "parts":[...]}
  Json result;                     // the job's return value, once published
  std::string error;               // why it failed or is unconfirmed
  std::string notified;            // lifecycle events sent, space-separated
  std::int64_t publishedAt = 0;
  std::int64_t createdAt = 0;

  bool wasNotified(const std::string& event) const;
  // True when some part may be on the platform (posted, or sent with no answer yet).
  bool anythingSent() const;
};

class Ledger {
 public:
  Ledger(const common::db::Db& db, std::int64_t leaseMs) : db_(db), leaseMs_(leaseMs) {}

  // Finds or creates the row for `key` and takes its lease for `owner` ("<job key>#<run>").
  // - content that differs from a row's content: a row where nothing was sent yet starts over
  //   with the new content; otherwise job::Unrecoverable (the key names another post);
  // - a lease held by another job: job::RetryAt its expiry.
  Publication open(const warren::Job* job, const std::string& key, const std::string& postId,
                   const std::string& accountId, const std::string& platform, const Json& content,
                   const std::string& owner) const;

  // Saves state, progress, result and error, renewing the lease. Throws job::Retryable when the
  // lease was taken over (another run now owns the row: this one must stop).
  void save(const warren::Job* job, const Publication& publication, const std::string& owner) const;
  // Saves a final state and gives the lease up; `metricsNextAt` (Unix ms, 0: none) is when
  // analytics first collects a published post's metrics.
  void finish(const warren::Job* job, Publication& publication, const std::string& owner,
              const std::string& state, std::int64_t metricsNextAt = 0) const;
  // Records that the lifecycle `event` was sent.
  void markNotified(const warren::Job* job, Publication& publication,
                    const std::string& event) const;

  // The row of a publication id or of a post id (its newest publication); empty id when none.
  Publication find(const warren::Job* job, const std::string& idOrPostId) const;

 private:
  Publication read(const warren::Job* job, const std::string& key) const;
  const common::db::Db& db_;
  std::int64_t leaseMs_;
};

// The job part of a lease owner: "<queue>/<job id>" ("call/<id>" for in-process calls).
std::string jobKeyOf(const std::string& owner);

}  // namespace publish::store
