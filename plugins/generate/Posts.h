// Drafts in the posts table (status 'draft'; Migrations.h), which the publish plugin reads, and
// their publication time: posts.scheduled_at, plus a delayed post:publish job per draft through
// the host's queue service when the job names the platform's account.
#pragma once

#include "db/Db.h"
#include "json/Json.h"
#include "platform/Platform.h"

#include <warren/plugin.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace generate {

struct DraftRow {
  std::string id;
  std::string brand;
  common::platform::Platform platform;
  std::optional<std::string> accountId;
  std::string text;
  std::vector<std::string> thread, hashtags, mediaKeys, altTexts;
  std::string language;
  std::optional<std::int64_t> scheduledAtMs;
};

// The row id of a job's draft: the same for every run of the job, so a retried job replaces its
// drafts instead of adding to them ("post-" and 24 hex digits of a SHA-256 of the queue, the job
// id, the job's data, the platform and the variant: BullMQ ids start again from 1 when a queue
// is obliterated, and a new job 1 must not take an old job 1's drafts).
std::string draftId(std::string_view queue, std::string_view jobId, std::string_view data,
                    common::platform::Platform platform, std::size_t variant);

// Inserts the drafts, or replaces those a run of the job stored before while they are still
// drafts (a post the publisher took is left alone).
void storeDrafts(const common::db::Db& db, const warren::Job& job,
                 const std::vector<DraftRow>& rows);

// Adds the delayed post:publish job of a stored draft; returns its job id ("publish-<post id>",
// so a job that runs again finds the one it added).
std::string schedulePublish(const warren::Host& host, const warren::Job& job,
                            const std::string& queue, const std::string& postId, std::int64_t atMs,
                            int attempts);

std::int64_t nowMs();

}  // namespace generate
