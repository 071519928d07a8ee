#include "AnalyzeNode.h"

#include "json/Schema.h"
#include "queue/Producer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

namespace warren::test {

Json FinishedJob::result() const {
  const auto found = hash.find("returnvalue");
  if (found == hash.end() || found->second.empty()) return nullptr;
  return Json::parse(found->second);
}

std::string FinishedJob::failedReason() const {
  const auto found = hash.find("failedReason");
  return found == hash.end() ? "" : found->second;
}

// As BullMQ reads it: the legacy field, else atm.
int FinishedJob::attemptsMade() const {
  for (const char* field : {"attemptsMade", "atm"}) {
    const auto found = hash.find(field);
    if (found != hash.end() && !found->second.empty()) return std::stoi(found->second);
  }
  return 0;
}

std::string FinishedJob::describe() const {
  std::string text = "state=" + state;
  for (const auto& [field, value] : hash) {
    if (field == "data" || field == "returnvalue" || field == "failedReason" ||
        field == "stacktrace") {
      text += "\n  " + field + "=" + value.substr(0, 300);
    }
  }
  return text;
}

AnalyzeNode::AnalyzeNode(std::vector<std::string> env, std::vector<std::string> sets)
    : url_(redis_.url()) {
  NodeOptions options(kQueue, url_);
  options.withPlugin("analyze").slots(2);
  for (auto& e : env) options.env(std::move(e));
  for (auto& s : sets) options.set(std::move(s));
  node_ = std::make_unique<NodeProcess>(std::move(options));
  state_ = std::make_unique<QueueState>(url_, kQueue);
  redis::ConnectionOptions connection;
  connection.connectTimeout = std::chrono::seconds(5);
  connection.commandTimeout = std::chrono::seconds(5);
  connection_ = std::make_unique<redis::Connection>(redis::Url::parse(url_), connection);
  producer_ = std::make_unique<queue::Producer>(*connection_, "bull", kQueue);
}

AnalyzeNode::~AnalyzeNode() = default;

void AnalyzeNode::put(const std::string& key, const std::filesystem::path& file) {
  const auto target = node_->dataDir() / "objects" / key;
  std::filesystem::create_directories(target.parent_path());
  std::filesystem::copy_file(file, target, std::filesystem::copy_options::overwrite_existing);
}

void AnalyzeNode::putText(const std::string& key, const std::string& text) {
  const auto target = node_->dataDir() / "objects" / key;
  std::filesystem::create_directories(target.parent_path());
  std::ofstream(target, std::ios::binary) << text;
}

std::string AnalyzeNode::add(const Json& data, const Json& opts) {
  return producer_->add("content:analyze", data.dump(), opts.dump());
}

FinishedJob AnalyzeNode::read(const std::string& id) {
  FinishedJob job;
  const JobStates states = state_->read();
  for (const auto& [state, ids] : states.ids) {
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) job.state = state;
  }
  job.hash = state_->jobHash(id);
  return job;
}

FinishedJob AnalyzeNode::waitFor(const std::string& id, const std::string& state,
                                 std::chrono::seconds timeout) {
  FinishedJob job;
  eventually(
      [&] {
        job = read(id);
        return job.state == state;
      },
      timeout, std::chrono::milliseconds(50));
  return job;
}

FinishedJob AnalyzeNode::wait(const std::string& id, std::chrono::seconds timeout) {
  FinishedJob job;
  eventually(
      [&] {
        job = read(id);
        return job.state == "completed" || job.state == "failed";
      },
      timeout, std::chrono::milliseconds(50));
  return job;
}

FinishedJob AnalyzeNode::run(const Json& data, const Json& opts) {
  return wait(add(data, opts));
}

std::optional<std::string> resultSchemaFailure(const Json& result) {
  static const json::Schema schema = [] {
    std::ifstream in(std::filesystem::path(WARREN_TEST_SOURCE_DIR) /
                     "plugins/analyze/schemas/content-analyze.result.json");
    std::ostringstream text;
    text << in.rdbuf();
    return json::Schema::compile(text.str());
  }();
  return schema.validate(result.dump());
}

}  // namespace warren::test
