#include "EmbedHost.h"

#include "Command.h"
#include "Paths.h"

#include "json/Schema.h"
#include "log/Log.h"
#include "plugins/HostApi.h"
#include "plugins/Library.h"
#include "services/DbService.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace warren::test {
namespace {

json::Schema resultSchema(const std::string& name) {
  std::ifstream in(std::filesystem::path(WARREN_TEST_SOURCE_DIR) / "plugins/embed/schemas" /
                   (name + ".json"));
  std::ostringstream text;
  text << in.rdbuf();
  return json::Schema::compile(text.str());
}

}  // namespace

Json EmbedJob::result() const {
  if (outcome.outcome != WARREN_JOB_COMPLETED)
    throw std::runtime_error("job failed: " + describe());
  return Json::parse(outcome.result);
}

std::string EmbedJob::describe() const {
  std::ostringstream out;
  out << "outcome " << outcome.outcome << ", error '" << outcome.error << "', result "
      << outcome.result;
  return out.str();
}

EmbedHost::EmbedHost(const std::string& databaseUrl, const plugins::ConfigValues& config) {
  db::Options options;
  options.url = databaseUrl;
  options.dataDir = dir_.path().string();
  options.poolSize = 4;
  database_ = std::make_unique<db::Database>(options);
  plugins::installServices(
      plugins::OptionalServices{nullptr, services::dbApi(*database_), nullptr});
  library_ = plugins::Library::load(builtPlugin("embed"));
  applyPluginMigrations(*database_);
  restart(config);
}

void EmbedHost::applyPluginMigrations(db::Database& database) {
  const std::shared_ptr<plugins::Library> library = plugins::Library::load(builtPlugin("embed"));
  const warren_plugin_descriptor& descriptor = library->descriptor();
  std::vector<db::Migration> migrations;
  const bool postgres = database.backend() == db::Backend::postgresql;
  for (std::uint32_t i = 0; i < descriptor.migration_count; ++i) {
    const warren_migration& step = descriptor.migrations[i];
    db::Migration migration;
    migration.version = step.version;
    migration.name = step.name;
    migration.file = std::string("plugin embed migration ") + step.name;
    migration.sql = postgres ? step.postgresql : step.sqlite;
    migrations.push_back(std::move(migration));
  }
  const db::MigrationReport report = database.applyMigrations("plugin:embed", migrations);
  if (!report.ok) throw std::runtime_error("embed migrations failed: " + report.error);
}

EmbedHost::~EmbedHost() {
  instance_.reset();
  plugins::installServices(plugins::OptionalServices{});
}

void EmbedHost::restart(const plugins::ConfigValues& config) {
  instance_.reset();
  instance_ = std::make_unique<plugins::Instance>(library_, config, "content-embed");
}

EmbedJob EmbedHost::run(const std::string& name, const Json& data, const std::string& id) {
  plugins::JobInput input;
  input.id = id;
  input.name = name;
  input.queue = "content-embed";
  input.data = data.dump();
  plugins::JobContext context(input, plugins::JobSinks{});
  EmbedJob job;
  job.outcome = instance_->handle(context);
  // Every return value must satisfy the job type's result schema.
  static const json::Schema generated = resultSchema("generate.result");
  static const json::Schema similar = resultSchema("similarity.result");
  if (job.completed()) {
    const json::Schema* schema = name == "embedding:generate"     ? &generated
                                 : name == "embedding:similarity" ? &similar
                                                                  : nullptr;
    if (schema != nullptr) {
      const auto failure = schema->validate(job.outcome.result);
      if (failure)
        ADD_FAILURE() << name << " result does not match its schema: " << *failure << "\n"
                      << job.outcome.result;
    }
  }
  return job;
}

Json EmbedHost::sql(const std::string& statement, const Json& params) {
  const db::DbResult result = database_->query(db::Intent::write, statement, params.dump());
  if (!result.ok) throw std::runtime_error("SQL failed: " + result.error + " in " + statement);
  return Json::parse(result.rowsJson);
}

std::string ensurePgvector() {
  const std::filesystem::path script =
      std::filesystem::path(WARREN_TEST_SOURCE_DIR) / "tests/integration/embed/install-pgvector.sh";
  const CommandResult result =
      run({"bash", script.string()}, cleanEnvironment(), std::chrono::minutes(3));
  if (result.exitCode == 0) return {};
  std::string why = result.err.empty() ? result.out : result.err;
  while (!why.empty() && why.back() == '\n') why.pop_back();
  return why.empty() ? "install-pgvector.sh exited with " + std::to_string(result.exitCode) : why;
}

}  // namespace warren::test
