// The generate plugin's tables, applied by the host from the descriptor (scope plugin:generate):
//   1 brand_profiles      the brands' profiles (ours; the web app writes the rows)
//   2 posts               the drafts; the publish plugin reads and updates them. Both plugins
//                         take it from common/db/PostsTable.h (CREATE TABLE IF NOT EXISTS), so
//                         either plugin may create it first
//   3 content_embeddings  the stored vectors (common/vector/Schema.h, as the embed plugin's)
// Times are Unix milliseconds; lists are JSON arrays in text columns. docs/jobs.md documents
// the columns.
#pragma once

#include <warren/plugin.hpp>

namespace generate {

extern const warren_migration kMigrations[3];

}  // namespace generate
