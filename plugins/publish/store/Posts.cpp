#include "store/Posts.h"

#include "Clock.h"
#include "job/Failure.h"
#include "store/Rows.h"

namespace publish::store {

Json Posts::load(const warren::Job* job, const std::string& id) const {
  const Json rows =
      db_.query(job, WARREN_DB_WRITE, "SELECT * FROM posts WHERE id = $1", Json::array({id})).rows;
  if (rows.empty()) throw common::job::Unrecoverable("no post '" + id + "' in the posts table");
  const Json& row = rows.front();
  Json post = {{"platform", text(row, "platform")},
               {"text", text(row, "text")},
               {"thread", jsonColumn(row, "thread", Json::array())},
               {"mediaKeys", jsonColumn(row, "media_keys", Json::array())},
               {"altTexts", jsonColumn(row, "alt_texts", Json::array())}};
  if (const std::string account = text(row, "account_id"); !account.empty()) {
    post["accountId"] = account;
  }
  if (const std::string language = text(row, "language"); !language.empty()) {
    post["language"] = language;
  }
  return post;
}

void Posts::markPublishing(const warren::Job* job, const std::string& id) const {
  db_.execute(job,
              "UPDATE posts SET status = 'publishing', updated_at = $2 WHERE id = $1 AND status "
              "<> 'published'",
              Json::array({id, nowMs()}));
}

void Posts::markPublished(const warren::Job* job, const std::string& id, const Json& result,
                          std::int64_t publishedAt) const {
  db_.execute(job,
              "UPDATE posts SET status = 'published', published_at = $2, platform_post_id = $3, "
              "url = $4, error = NULL, updated_at = $5 WHERE id = $1",
              Json::array({id, publishedAt, result.value("platformPostId", ""),
                           result.value("url", ""), nowMs()}));
}

void Posts::markFailed(const warren::Job* job, const std::string& id, const std::string& status,
                       const std::string& reason) const {
  db_.execute(job,
              "UPDATE posts SET status = $2, error = $3, updated_at = $4 WHERE id = $1 AND status "
              "<> 'published'",
              Json::array({id, status, reason, nowMs()}));
}

}  // namespace publish::store
