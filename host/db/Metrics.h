// Metric families of the database layer, beyond the pool gauges named in metrics/ProcessMetrics.h
// (warren_db_pool_connections{pool,state}, warren_db_pool_max_connections{pool},
// warren_db_pool_wait_timeouts_total{pool}), which the pools feed too.
#pragma once

namespace warren::db::names {
inline constexpr const char* replicaUp = "warren_db_replica_up";  // gauge, 1 or 0
inline constexpr const char* replicaFallbackReads =
    "warren_db_replica_fallback_reads_total";                      // counter
inline constexpr const char* retries = "warren_db_retries_total";  // counter {pool}
}  // namespace warren::db::names
