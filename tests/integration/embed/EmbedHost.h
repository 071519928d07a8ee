// The embed plugin loaded in-process by the host's own loader, with the host's database
// service on SQLite (a file in a temp dir) or PostgreSQL (a URL), and the plugin's descriptor
// migrations applied first, as `warren run` does.
#pragma once

#include "TempDir.h"

#include "db/Database.h"
#include "plugins/Instance.h"
#include "plugins/JobContext.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace warren::test {

using Json = nlohmann::json;

struct EmbedJob {
  plugins::JobOutcome outcome;
  Json result() const;           // the completed job's return value (throws otherwise)
  std::string describe() const;  // outcome, error and result, for assertion messages
  bool completed() const { return outcome.outcome == WARREN_JOB_COMPLETED; }
  bool failedForGood() const { return outcome.outcome == WARREN_JOB_FAILED_UNRECOVERABLE; }
};

class EmbedHost {
 public:
  // `databaseUrl` empty: SQLite in a temp dir. `config` overrides the plugin's defaults.
  explicit EmbedHost(const std::string& databaseUrl = {}, const plugins::ConfigValues& config = {});
  ~EmbedHost();

  // A new plugin instance on the same database (its init runs again), with `config`.
  void restart(const plugins::ConfigValues& config);

  EmbedJob run(const std::string& name, const Json& data, const std::string& id = "job-1");
  // Runs SQL through the host's database (test setup and checks); throws on failure.
  Json sql(const std::string& statement, const Json& params = Json::array());
  db::Database& database() { return *database_; }

  // Applies the embed plugin's descriptor migrations to `database` (scope plugin:embed), as the
  // host does before init; throws with the database's error.
  static void applyPluginMigrations(db::Database& database);

 private:
  TempDir dir_{"warren-embed"};
  std::unique_ptr<db::Database> database_;
  std::shared_ptr<plugins::Library> library_;
  std::unique_ptr<plugins::Instance> instance_;
};

// Runs tests/integration/embed/install-pgvector.sh; returns "" when pgvector is installed, or
// why it cannot be (the tarball, pg_config or root is missing).
std::string ensurePgvector();

}  // namespace warren::test
