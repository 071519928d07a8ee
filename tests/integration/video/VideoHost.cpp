#include "VideoHost.h"

#include "Paths.h"

#include "plugins/HostApi.h"
#include "plugins/Library.h"
#include "storage/StorageService.h"

#include <Poco/JSON/Parser.h>

#include <sstream>
#include <stdexcept>

namespace warren::test {

Poco::JSON::Object::Ptr VideoJob::result() const {
  if (outcome.outcome != WARREN_JOB_COMPLETED)
    throw std::runtime_error("job failed: " + describe());
  Poco::JSON::Parser parser;
  return parser.parse(outcome.result).extract<Poco::JSON::Object::Ptr>();
}

std::string VideoJob::describe() const {
  std::ostringstream out;
  out << "outcome " << outcome.outcome << ", error '" << outcome.error << "', result "
      << outcome.result;
  return out.str();
}

VideoHost::VideoHost(const plugins::ConfigValues& config)
    : storeRoot_(dir_ / "store"), workDir_(dir_ / "work") {
  std::filesystem::create_directories(workDir_);
  store_ = std::make_unique<storage::LocalStore>(storeRoot_);
  plugins::installServices(
      plugins::OptionalServices{nullptr, nullptr, storage::storageApi(*store_)});
  plugins::ConfigValues values = {
      {"allow_file_urls", "true"}, {"threads", "2"}, {"temp_dir", workDir_.string()}};
  for (const auto& [key, value] : config) values[key] = value;
  instance_ = std::make_unique<plugins::Instance>(plugins::Library::load(builtPlugin("video")),
                                                  values, "video-process");
}

void VideoHost::put(const std::filesystem::path& file, const std::string& key) {
  store_->putFile(key, file, "video/mp4");
}

std::vector<std::string> VideoHost::keys() {
  return store_->list("");
}

std::vector<std::filesystem::path> VideoHost::workLeftovers() const {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(workDir_))
    out.push_back(entry.path());
  return out;
}

plugins::JobInput videoInput(const std::string& name, const std::string& data,
                             const std::string& id) {
  plugins::JobInput input;
  input.id = id;
  input.name = name;
  input.queue = "video-process";
  input.data = data;
  return input;
}

plugins::JobSinks recordingSinks(VideoJob& record, std::mutex& mutex) {
  plugins::JobSinks sinks;
  sinks.progress = [&record, &mutex](const std::string& json) {
    std::lock_guard lock(mutex);
    record.progress.push_back(json);
    return true;
  };
  sinks.log = [&record, &mutex](const std::string& line) {
    std::lock_guard lock(mutex);
    record.logs.push_back(line);
    return true;
  };
  return sinks;
}

VideoJob VideoHost::run(const std::string& name, const std::string& data, const std::string& id) {
  VideoJob record;
  std::mutex mutex;
  plugins::JobContext context(videoInput(name, data, id), recordingSinks(record, mutex));
  record.outcome = instance_->handle(context);
  return record;
}

plugins::JobOutcome VideoHost::run(plugins::JobContext& context) {
  return instance_->handle(context);
}

std::string fileUrl(const std::filesystem::path& path) {
  return "file://" + std::filesystem::absolute(path).string();
}

}  // namespace warren::test
