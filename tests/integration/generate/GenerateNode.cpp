#include "GenerateNode.h"

#include "json/Schema.h"
#include "queue/Producer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace warren::test {

Json GeneratedJob::result() const {
  const auto found = hash.find("returnvalue");
  if (found == hash.end() || found->second.empty()) return nullptr;
  return Json::parse(found->second);
}

std::string GeneratedJob::failedReason() const {
  const auto found = hash.find("failedReason");
  return found == hash.end() ? "" : found->second;
}

int GeneratedJob::attemptsMade() const {
  for (const char* field : {"attemptsMade", "atm"}) {
    const auto found = hash.find(field);
    if (found != hash.end() && !found->second.empty()) return std::stoi(found->second);
  }
  return 0;
}

bool GeneratedJob::logged(const std::string& text) const {
  return std::any_of(logs.begin(), logs.end(),
                     [&](const std::string& line) { return line.find(text) != std::string::npos; });
}

std::string GeneratedJob::describe() const {
  std::string text = "state=" + state;
  for (const auto& [field, value] : hash) {
    if (field == "data" || field == "returnvalue" || field == "failedReason") {
      text += "\n  " + field + "=" + value.substr(0, 2000);
    }
  }
  for (const std::string& line : logs) text += "\n  log: " + line;
  return text;
}

GenerateNode::GenerateNode(GenerateNodeOptions options)
    : url_(redis_.url()), dir_("generate-node") {
  NodeOptions node(kGenerateQueue, url_);
  node.withPlugin("generate").slots(2);
  if (options.analyze) {
    const auto config = dir_ / "warren.ini";
    std::ofstream(config) << "[queue." << kAnalyzeQueue << "]\nplugin = analyze\n";
    node.env("WARREN_CONFIG=" + config.string());
  }
  std::string databaseUrl;
  for (auto& e : options.env) {
    if (e.rfind("DATABASE_URL=", 0) == 0) databaseUrl = e.substr(13);
    node.env(std::move(e));
  }
  for (auto& s : options.sets) node.set(std::move(s));
  node_ = std::make_unique<NodeProcess>(std::move(node));
  redis::ConnectionOptions connection;
  connection.connectTimeout = std::chrono::seconds(5);
  connection.commandTimeout = std::chrono::seconds(5);
  connection_ = std::make_unique<redis::Connection>(redis::Url::parse(url_), connection);
  db::Options db;
  db.dataDir = node_->dataDir().string();
  db.url = databaseUrl;
  database_ = std::make_unique<db::Database>(db);
}

GenerateNode::~GenerateNode() = default;

QueueState& GenerateNode::queue(const std::string& name) {
  auto& state = queues_[name];
  if (!state) state = std::make_unique<QueueState>(url_, name);
  return *state;
}

std::string GenerateNode::add(const Json& data, const Json& opts) {
  queue::Producer producer(*connection_, "bull", kGenerateQueue);
  return producer.add("content:generate", data.dump(), opts.dump());
}

GeneratedJob GenerateNode::wait(const std::string& name, const std::string& id,
                                std::chrono::seconds timeout) {
  GeneratedJob job;
  eventually(
      [&] {
        job = GeneratedJob{};
        const JobStates states = queue(name).read();
        for (const auto& [state, ids] : states.ids) {
          if (std::find(ids.begin(), ids.end(), id) != ids.end()) job.state = state;
        }
        job.hash = queue(name).jobHash(id);
        return job.state == "completed" || job.state == "failed";
      },
      timeout, std::chrono::milliseconds(50));
  const redis::Reply lines =
      connection_->command({"LRANGE", "bull:" + name + ":" + id + ":logs", "0", "-1"});
  for (const auto& line : lines.asArray()) job.logs.push_back(line.str());
  return job;
}

GeneratedJob GenerateNode::run(const Json& data, const Json& opts) {
  return wait(kGenerateQueue, add(data, opts));
}

GeneratedJob GenerateNode::runAnalyze(const Json& data) {
  queue::Producer producer(*connection_, "bull", kAnalyzeQueue);
  return wait(kAnalyzeQueue, producer.add("content:analyze", data.dump(), "{}"));
}

Json GenerateNode::sql(const std::string& statement, const Json& params) {
  const db::DbResult result =
      database_->query(db::Intent::write, statement, params.empty() ? "" : params.dump());
  if (!result.ok) throw std::runtime_error(statement + ": " + result.error);
  return Json::parse(result.rowsJson);
}

std::optional<std::string> resultSchemaFailure(const Json& result) {
  static const json::Schema schema = [] {
    std::ifstream in(std::filesystem::path(WARREN_TEST_SOURCE_DIR) /
                     "plugins/generate/schemas/content-generate.result.json");
    std::ostringstream text;
    text << in.rdbuf();
    return json::Schema::compile(text.str());
  }();
  return schema.validate(result.dump());
}

Json bakeryBrand() {
  return {{"name", "Lyon Bakery"},
          {"voice", "warm and plain"},
          {"language", "en"},
          {"callToAction", "Come and taste it!"},
          {"requiredHashtags", {"#LyonBakery"}},
          {"bannedWords", {"cheap", "guaranteed"}},
          {"bannedHashtags", {"#Sale"}}};
}

Json bakeryAnalysis() {
  return {{"summary", "Our bakery opens a second shop in Lyon this spring."},
          {"keyPoints",
           {"Our bakery opens a second shop in Lyon this spring.",
            "Fresh sourdough comes out of the oven every morning at seven.",
            "On Sundays we bake croissants for the whole neighbourhood.",
            "The new shop has a small terrace facing the river."}},
          {"topics", {"second shop", "sourdough"}},
          {"keywords", {"bakery", "shop", "Lyon", "sourdough"}},
          {"hashtags", {"#SecondShop", "#Bakery"}},
          {"language", "en"},
          {"source", {{"kind", "url"}, {"url", "https://example.com/blog/lyon-shop"}}}};
}

}  // namespace warren::test
