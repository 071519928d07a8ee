#include "PublishHost.h"

#include "Command.h"
#include "Paths.h"

#include "app/PluginMigrations.h"
#include "outbound/HttpService.h"
#include "plugins/HostApi.h"
#include "plugins/Library.h"
#include "services/DbService.h"
#include "storage/StorageService.h"

#include <sstream>
#include <stdexcept>
#include <thread>

namespace warren::test {

Json JobRun::result() const {
  if (!completed()) throw std::runtime_error("job did not complete: " + describe());
  return Json::parse(outcome.result);
}

std::string JobRun::describe() const {
  std::ostringstream out;
  out << "outcome " << outcome.outcome << ", error '" << outcome.error << "', result "
      << outcome.result;
  return out.str();
}

PublishHost::PublishHost(const plugins::ConfigValues& config, const std::string& databaseUrl) {
  db::Options options;
  options.url = databaseUrl;
  options.dataDir = dir_.path().string();
  options.poolSize = 8;
  database_ = std::make_unique<db::Database>(options);
  const db::MigrationReport report = database_->runHostMigrations();
  if (!report.ok) throw std::runtime_error("host migrations: " + report.error);
  store_ = std::make_unique<storage::LocalStore>(dir_ / "objects");
  http_ = std::make_unique<outbound::HttpClient>();
  plugins::installServices(plugins::OptionalServices{
      outbound::httpApi(*http_), services::dbApi(*database_), storage::storageApi(*store_)});
  auto library = plugins::Library::load(builtPlugin("publish"));
  app::migratePlugin(*database_, *library);
  instance_ =
      std::make_unique<plugins::Instance>(std::move(library), configWith(config), "post-publish");
}

PublishHost::~PublishHost() {
  instance_.reset();
  plugins::installServices(plugins::OptionalServices{});
}

plugins::ConfigValues PublishHost::configWith(const plugins::ConfigValues& config) const {
  plugins::ConfigValues values = {{"security.encryption_key", kKey},
                                  {"temp_dir", (dir_ / "tmp").string()},
                                  {"media_poll_ms", "50"}};
  std::filesystem::create_directories(dir_ / "tmp");
  for (const auto& [key, value] : config) values[key] = value;
  return values;
}

std::unique_ptr<plugins::Instance> PublishHost::newInstance(const plugins::ConfigValues& config) {
  return std::make_unique<plugins::Instance>(plugins::Library::load(builtPlugin("publish")),
                                             configWith(config), "post-publish");
}

plugins::JobInput jobInput(const std::string& name, const Json& data, const std::string& id,
                           const std::string& queue, std::uint32_t attempt) {
  plugins::JobInput input;
  input.id = id;
  input.name = name;
  input.queue = queue;
  input.data = data.dump();
  input.attempt = attempt;
  return input;
}

plugins::JobSinks recordingSinks(JobRun& record, std::mutex& mutex) {
  plugins::JobSinks sinks;
  sinks.progress = [](const std::string&) { return true; };
  sinks.log = [&record, &mutex](const std::string& line) {
    std::lock_guard lock(mutex);
    record.logs.push_back(line);
    return true;
  };
  return sinks;
}

JobRun PublishHost::run(const std::string& name, const Json& data, const std::string& id,
                        const std::string& queue, std::uint32_t attempt) {
  JobRun record;
  std::mutex mutex;
  plugins::JobContext context(jobInput(name, data, id, queue, attempt),
                              recordingSinks(record, mutex));
  record.outcome = instance_->handle(context);
  return record;
}

JobRun runOn(plugins::Instance& instance, const std::string& name, const Json& data,
             const std::string& id, const std::string& queue) {
  JobRun record;
  std::mutex mutex;
  plugins::JobContext context(jobInput(name, data, id, queue), recordingSinks(record, mutex));
  record.outcome = instance.handle(context);
  return record;
}

JobRun PublishHost::runStopped(const std::string& name, const Json& data, const std::string& id,
                               std::chrono::milliseconds after, const std::string& queue) {
  JobRun record;
  std::mutex mutex;
  plugins::JobContext context(jobInput(name, data, id, queue), recordingSinks(record, mutex));
  std::thread canceller([&] {
    std::this_thread::sleep_for(after);
    context.cancel("shutdown");
  });
  record.outcome = instance_->handle(context);
  canceller.join();
  return record;
}

std::string PublishHost::addAccount(const Json& fields) {
  const JobRun added =
      run("accounts:add", fields, "add-" + fields.value("handle", std::string("x")), "");
  return added.result()["id"];
}

void PublishHost::putMedia(const std::filesystem::path& file, const std::string& key,
                           const std::string& type) {
  store_->putFile(key, file, type);
}

Json PublishHost::sql(const std::string& statement, const Json& params) {
  const db::DbResult result = database_->query(db::Intent::write, statement, params.dump());
  if (!result.ok) throw std::runtime_error("sql: " + result.error);
  return Json::parse(result.rowsJson);
}

std::filesystem::path makeImage(const std::filesystem::path& dir, const std::string& name,
                                int width, int height) {
  const auto path = dir / name;
  const auto result =
      run({"ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
           "color=c=orange:s=" + std::to_string(width) + "x" + std::to_string(height), "-frames:v",
           "1", path.string()});
  if (result.exitCode != 0) throw std::runtime_error("ffmpeg: " + result.err);
  return path;
}

std::filesystem::path makeVideo(const std::filesystem::path& dir, const std::string& name,
                                double seconds, int width, int height) {
  const auto path = dir / name;
  const auto result =
      run({"ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
           "testsrc=size=" + std::to_string(width) + "x" + std::to_string(height) + ":rate=25",
           "-t", std::to_string(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt",
           "yuv420p", path.string()});
  if (result.exitCode != 0) throw std::runtime_error("ffmpeg: " + result.err);
  return path;
}

}  // namespace warren::test
