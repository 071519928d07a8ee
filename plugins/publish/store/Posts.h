// The posts table (drafts from the generate plugin) as the publisher reads and updates it.
#pragma once

#include "db/Db.h"
#include "json/Json.h"

#include <warren/plugin.hpp>

#include <string>

namespace publish::store {

using common::Json;

class Posts {
 public:
  explicit Posts(const common::db::Db& db) : db_(db) {}

  // The post as post:publish data's `post` object: {platform, accountId?, text, thread[],
  // mediaKeys[], altTexts[], language?}. Throws job::Unrecoverable when there is no such post.
  Json load(const warren::Job* job, const std::string& id) const;
  // Sets status 'publishing', 'published' (with the platform id, URL and time), 'failed' or
  // 'unconfirmed' (with the reason).
  void markPublishing(const warren::Job* job, const std::string& id) const;
  void markPublished(const warren::Job* job, const std::string& id, const Json& result,
                     std::int64_t publishedAt) const;
  void markFailed(const warren::Job* job, const std::string& id, const std::string& status,
                  const std::string& reason) const;

 private:
  const common::db::Db& db_;
};

}  // namespace publish::store
