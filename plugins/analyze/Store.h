// Stored analyses: the content_analyses table the plugin's migrations create (README.md,
// "Stored analyses"), one row per job (queue and job id), written again when BullMQ runs the
// job again, so a retried or stalled job never stores twice.
#pragma once

#include "Request.h"

#include "db/Db.h"
#include "json/Json.h"

#include <warren/plugin.hpp>

#include <cstdint>

namespace analyze {

extern const warren_migration kMigrations[1];

// Writes `analysis` (the job's result without its id) for `job`; returns the row's id.
std::int64_t storeAnalysis(const common::db::Db& db, const warren::Job& job, const Request& request,
                           const common::Json& analysis);

}  // namespace analyze
