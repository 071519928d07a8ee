#include "Posts.h"

#include "job/Failure.h"
#include "vector/Store.h"

#include <algorithm>
#include <chrono>

namespace generate {

using common::Json;

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string draftId(std::string_view queue, std::string_view jobId, std::string_view data,
                    common::platform::Platform platform, std::size_t variant) {
  std::string key(queue);
  key += '\x1f';
  key += jobId;
  key += '\x1f';
  key += common::vector::Store::textHash(data);
  key += '\x1f';
  key += common::platform::platformName(platform);
  key += '\x1f';
  key += std::to_string(variant);
  return "post-" + common::vector::Store::textHash(key).substr(0, 24);
}

void storeDrafts(const common::db::Db& db, const warren::Job& job,
                 const std::vector<DraftRow>& rows) {
  const std::int64_t now = nowMs();
  for (const DraftRow& row : rows) {
    const Json params = {row.id,
                         row.brand,
                         std::string(common::platform::platformName(row.platform)),
                         row.accountId ? Json(*row.accountId) : Json(nullptr),
                         row.text,
                         common::dumpJson(row.thread),
                         common::dumpJson(row.hashtags),
                         common::dumpJson(row.mediaKeys),
                         common::dumpJson(row.altTexts),
                         row.language.empty() ? Json(nullptr) : Json(row.language),
                         row.scheduledAtMs ? Json(*row.scheduledAtMs) : Json(nullptr),
                         now};
    db.execute(&job,
               "INSERT INTO posts (id, brand_profile_id, platform, account_id, text, thread, "
               "hashtags, media_keys, alt_texts, language, status, scheduled_at, created_at, "
               "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'draft', $11, $12, "
               "$12) ON CONFLICT (id) DO UPDATE SET brand_profile_id = excluded.brand_profile_id, "
               "platform = excluded.platform, account_id = excluded.account_id, text = "
               "excluded.text, thread = excluded.thread, hashtags = excluded.hashtags, media_keys "
               "= excluded.media_keys, alt_texts = excluded.alt_texts, language = "
               "excluded.language, scheduled_at = excluded.scheduled_at, updated_at = "
               "excluded.updated_at WHERE posts.status = 'draft'",
               params);
  }
}

std::string schedulePublish(const warren::Host& host, const warren::Job& job,
                            const std::string& queue, const std::string& postId, std::int64_t atMs,
                            int attempts) {
  const warren_queue_api& queues = host.queues();
  const std::string jobId = "publish-" + postId;
  const std::string data = common::dumpJson(Json{{"postId", postId}});
  const std::string opts =
      common::dumpJson(Json{{"jobId", jobId},
                            {"delay", std::max<std::int64_t>(0, atMs - nowMs())},
                            {"attempts", attempts},
                            {"backoff", {{"type", "exponential"}, {"delay", 30000}}}});
  warren_buffer id{};
  warren_buffer error{};
  const warren_status status = queues.add(host.raw(), job.raw(), queue.c_str(), "post:publish",
                                          data.c_str(), opts.c_str(), &id, &error);
  std::string added = host.take(id);
  const std::string message = host.take(error);
  if (status == WARREN_OK) return added.empty() ? jobId : added;
  const std::string why = "cannot add the post:publish job of " + postId + " to '" + queue +
                          "': " + (message.empty() ? "status " + std::to_string(status) : message);
  if (status == WARREN_ERR_INVALID) throw common::job::Unrecoverable(why);
  throw common::job::Retryable(why);
}

}  // namespace generate
