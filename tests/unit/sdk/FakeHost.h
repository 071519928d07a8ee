// A host service table made of plain functions over in-memory state, so the C++ wrapper can be
// tested without any host code: what the wrapper asks of the host is recorded here.
#pragma once

#include <warren/plugin.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace warren::test {

struct FakeJob {
  std::string data = "{}";
  std::string id = "job-1";
  std::string name = "test";
  std::string queue = "q";
  std::uint32_t attempt = 1;
  std::int64_t deadlineMs = 0;
  bool cancelled = false;
  bool refuseSinks = false;  // progress and log return WARREN_ERR_UNAVAILABLE
  std::vector<std::uint32_t> waits;
  std::vector<std::string> progress;
  std::vector<std::string> logs;
  std::optional<std::string> result;
  std::optional<std::string> error;
  // ABI 1.2
  std::optional<std::int64_t> retryAt;
  std::string cancelReason;
  std::map<std::string, std::string> ledger;  // the once() records, by key
  std::vector<std::uint32_t> ledgerTtls;
  warren_status ledgerStatus = WARREN_OK;  // anything else: the ledger refuses every call
};

struct FakeHostState {
  std::vector<std::pair<std::string, std::string>> config;  // key, value
  std::vector<std::pair<warren_log_level, std::string>> logLines;
  std::vector<std::string> metrics;  // "kind name{k=v,...} value"
  warren_status metricStatus = WARREN_OK;
  std::vector<std::string> queueCalls;  // "add q name data opts", "upsert q id repeat template"
};

}  // namespace warren::test

// The opaque ABI handles, as this fake host defines them.
struct warren_job {
  warren::test::FakeJob* fake;
};
struct warren_host {
  warren::test::FakeHostState* fake;
};

namespace warren::test {

// A complete table (struct_size = sizeof) with http, db, storage, ai and queue NULL.
warren_host_api fakeHostApi();
// A queue table that records its calls in the host's queueCalls; add answers "id-<n>".
const warren_queue_api* fakeQueueApi();

// The text set_result treats as invalid JSON (the fake does not parse JSON).
inline constexpr const char* kInvalidJson = "{not json";

}  // namespace warren::test
