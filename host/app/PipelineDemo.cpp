// warren demo: the content pipeline on embedded defaults, offline. A brand profile and two
// materials (the second nearly repeating the first) go through content:analyze, then
// content:generate for Mastodon, Bluesky and LinkedIn (the near-duplicate is caught), then
// post:publish to warren-fake-platforms on loopback (signed lifecycle events to its webhook
// sink), then analytics:collect. Prints each post as published with its metrics; exits 0 only
// when every step ended as expected, else 1 naming the step.
#include "app/Commands.h"
#include "app/DemoPlatforms.h"
#include "app/InProcess.h"
#include "app/Node.h"
#include "lifecycle/EmbeddedRedis.h"
#include "log/Log.h"
#include "queue/Producer.h"

#include <nlohmann/json.hpp>

#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

namespace warren::app {

namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

const std::vector<std::string> kPlatforms = {"mastodon", "bluesky", "linkedin"};
const std::vector<std::string> kPlugins = {"analyze", "generate", "publish"};

const Json kBrand = {{"name", "Lyon Bakery"},
                     {"voice", "warm and plain-spoken"},
                     {"language", "en"},
                     {"callToAction", "Come and taste it!"},
                     {"requiredHashtags", {"#LyonBakery"}},
                     {"emojiPolicy", "few"}};

// The second material nearly repeats the first: its drafts are near-duplicates of the first's.
const std::vector<std::pair<std::string, std::string>> kMaterials = {
    {"m-1",
     "Lyon Bakery opens its second shop on Rue Merciere this Saturday. Fresh sourdough comes out "
     "of the oven every morning at seven, and the first hundred visitors get a free croissant."},
    {"m-2",
     "This Saturday Lyon Bakery opens its second shop on Rue Merciere. Fresh sourdough comes out "
     "of the oven every morning at seven, and the first hundred visitors get a free croissant!"},
};

// A step that did not end as expected: the message names it.
class StepFailed : public std::runtime_error {
 public:
  StepFailed(const std::string& step, const std::string& why)
      : std::runtime_error("step " + step + ": " + why) {}
};

// 32 random bytes as hex, from the kernel: the demo's ENCRYPTION_KEY and webhook secret.
std::string randomHex() {
  unsigned char bytes[32];
  std::ifstream in("/dev/urandom", std::ios::binary);
  if (!in.read(reinterpret_cast<char*>(bytes), sizeof bytes)) {
    throw StepFailed("setup", "cannot read /dev/urandom for the demo's ENCRYPTION_KEY");
  }
  std::string hex;
  char digits[3];
  for (const unsigned char b : bytes) {
    std::snprintf(digits, sizeof digits, "%02x", b);
    hex += digits;
  }
  return hex;
}

std::string oneLine(std::string text, std::size_t max = 72) {
  for (char& c : text) {
    if (c == '\n') c = ' ';
  }
  if (text.size() > max) text = text.substr(0, max - 3) + "...";
  return text;
}

class Pipeline {
 public:
  Pipeline(const Options& options, std::filesystem::path run, const DemoPlatforms& fakes)
      : options_(options), run_(std::move(run)), fakes_(fakes) {}

  void start();
  void analyze();
  void generate();
  void publish();
  void collect();
  void report() const;
  void stop();
  const std::string& step() const { return step_; }

 private:
  struct Draft {
    std::string material, platform, postId, text, url, platformPostId, similarTo;
    bool duplicate = false;
    int regenerated = 0;
    Json similarity;
    Json metrics;
  };

  config::Config configure(const std::string& key, const std::string& webhookSecret) const;
  void addAccounts();
  queue::Producer& producer(const std::string& queue);
  Json await(const std::string& step, const std::string& queue, const std::string& id);

  Options options_;
  std::filesystem::path run_;
  const DemoPlatforms& fakes_;
  config::Config config_;
  std::unique_ptr<lifecycle::Signals> signals_;
  std::unique_ptr<Node> node_;
  std::map<std::string, std::unique_ptr<queue::Producer>> producers_;
  std::map<std::string, std::string> accounts_;  // platform -> platform_accounts id
  std::map<std::string, std::string> analyses_;  // material -> content_analyses id
  std::vector<Draft> drafts_;
  std::string step_ = "setup";  // the step running, named when something unexpected fails
};

config::Config Pipeline::configure(const std::string& key, const std::string& webhookSecret) const {
  Options o = options_;
  const auto queue = [&o](const std::string& name, const std::string& plugin) {
    o.sets.push_back("queue." + name + ".plugin=" + plugin);
    o.sets.push_back("queue." + name + ".concurrency=2");
  };
  queue("content-analyze", "analyze");
  queue("content-generate", "generate");
  queue("post-publish", "publish");
  queue("analytics-collect", "publish");
  o.sets.push_back("queue.post-publish.config.webhook_url=" + fakes_.base("webhook") +
                   "/warren-events");
  o.sets.push_back("queue.post-publish.config.webhook_secret=" + webhookSecret);
  // Embedded defaults whatever the environment says: this run's own directory and SQLite file,
  // no AI provider, a key prefix of its own on the Redis (REDIS_URL's, else the embedded one).
  o.sets.push_back("node.data_dir=" + run_.string());
  o.sets.push_back("database.url=sqlite://" + (run_ / "warren.db").string());
  o.sets.push_back("ai.provider=local");
  o.sets.push_back("redis.prefix=warren-demo");
  o.sets.push_back("security.encryption_key=" + key);
  o.concurrency.reset();
  if (!o.logLevel) o.logLevel = "warn";  // the demo talks to people; logs stay quiet
  return loadConfig(o);
}

void Pipeline::start() {
  const std::string key = randomHex();
  const std::string webhookSecret = randomHex();
  log::addSecret(key);
  log::addSecret(webhookSecret);
  config_ = configure(key, webhookSecret);
  setUpLogging(config_);
  std::string missing;
  for (const auto& plugin : kPlugins) {
    if (!std::filesystem::exists(std::filesystem::path(config_.pluginDir) / (plugin + ".so")))
      missing += (missing.empty() ? "" : ", ") + plugin + ".so";
  }
  if (!missing.empty()) {
    throw StepFailed("setup", "the pipeline needs " + missing + " in " + config_.pluginDir +
                                  " (warren demo --basic runs the echo and video demo)");
  }
  fakes_.admin("POST", "/webhook-secret", {{"path", "/warren-events"}, {"secret", webhookSecret}});
  addAccounts();
  signals_ = std::make_unique<lifecycle::Signals>();
  node_ = std::make_unique<Node>(config_);
  std::cout << "host: plugins analyze, generate and publish on queues content-analyze, "
               "content-generate, post-publish, analytics-collect\n"
            << "      "
            << (config_.redisUrl.empty() ? "an embedded Redis" : "the Redis of REDIS_URL")
            << " (prefix warren-demo), SQLite in " << run_.string() << "\n\n";
}

// The accounts the posts go out as: made on the fake platforms, then added with the publish
// plugin's operator job (accounts:add, in this process), their tokens sealed with the key.
void Pipeline::addAccounts() {
  const Json mastodon = fakes_.admin(
      "POST", "/accounts",
      {{"platform", "mastodon"}, {"userId", "u-lyonbakery"}, {"handle", "lyonbakery"}});
  fakes_.admin("POST", "/accounts",
               {{"platform", "bluesky"},
                {"handle", "lyonbakery.test"},
                {"userId", "did:plc:lyonbakery"},
                {"password", "demo-app-password"}});
  const Json linkedin = fakes_.admin("POST", "/accounts",
                                     {{"platform", "linkedin"},
                                      {"userId", "urn:li:person:lyonbakery"},
                                      {"handle", "Lyon Bakery"},
                                      {"scopes", "w_member_social r_member_social"},
                                      {"issueRefresh", true}});
  const std::vector<Json> fields = {{{"platform", "mastodon"},
                                     {"handle", "@lyonbakery@mastodon.demo"},
                                     {"baseUrl", fakes_.base("mastodon")},
                                     {"accessToken", mastodon.value("accessToken", "")}},
                                    {{"platform", "bluesky"},
                                     {"handle", "lyonbakery.test"},
                                     {"baseUrl", fakes_.base("bluesky")},
                                     {"secret", "demo-app-password"}},
                                    {{"platform", "linkedin"},
                                     {"handle", "Lyon Bakery"},
                                     {"baseUrl", fakes_.base("linkedin")},
                                     {"platformUserId", "urn:li:person:lyonbakery"},
                                     {"scopes", "w_member_social r_member_social"},
                                     {"clientId", "demo-client"},
                                     {"secret", "demo-client-secret"},
                                     {"accessToken", linkedin.value("accessToken", "")},
                                     {"refreshToken", linkedin.value("refreshToken", "")}}};
  for (const Json& f : fields) {  // the fakes' tokens stay out of every log line too
    for (const char* k : {"accessToken", "refreshToken", "secret"}) {
      if (!f.value(k, "").empty()) log::addSecret(f.value(k, ""));
    }
  }
  InProcessPlugin publishPlugin(config_, "publish", "post-publish");
  std::cout
      << "accounts (tokens sealed with AES-256-GCM under this run's random ENCRYPTION_KEY):\n";
  for (const Json& f : fields) {
    const std::string platform = f["platform"];
    const plugins::JobOutcome added = publishPlugin.run("accounts:add", f.dump());
    if (added.outcome != WARREN_JOB_COMPLETED) {
      throw StepFailed("accounts:add", platform + ": " + added.error);
    }
    accounts_[platform] = Json::parse(added.result).value("id", "");
    std::cout << "  " << std::left << std::setw(9) << platform << std::right << " "
              << accounts_[platform] << "  " << f.value("handle", "") << "\n";
  }
}

queue::Producer& Pipeline::producer(const std::string& queue) {
  auto& p = producers_[queue];
  if (!p) {
    p = std::make_unique<queue::Producer>(
        node_->redisUrl(),
        node_->redisServers()->optionsFor(queue::Keys(config_.redisPrefix, queue).base(), {}),
        config_.redisPrefix, queue);
  }
  return *p;
}

// Waits for job `id` to end; its return value, or StepFailed with the failed reason.
Json Pipeline::await(const std::string& step, const std::string& queue, const std::string& id) {
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (Clock::now() < deadline) {
    const auto view = producer(queue).getJob(id);
    if (view && view->state == "completed") return Json::parse(view->returnvalue.value_or("null"));
    if (view && view->state == "failed") {
      throw StepFailed(step, "job " + id + " failed: " + view->failedReason.value_or("?"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw StepFailed(step, "job " + id + " on " + queue + " did not finish within 60 s");
}

void Pipeline::analyze() {
  step_ = "content:analyze";
  std::cout << "1. content:analyze: " << kMaterials.size() << " materials of brand lyon-bakery\n";
  std::vector<std::pair<std::string, std::string>> jobs;
  for (const auto& [material, text] : kMaterials) {
    const Json data = {{"kind", "text"},
                       {"text", text},
                       {"language", "en"},
                       {"materialId", material},
                       {"brandProfileId", "lyon-bakery"},
                       {"store", true}};
    jobs.emplace_back(material,
                      producer("content-analyze").add("content:analyze", data.dump(), "{}"));
  }
  for (const auto& [material, id] : jobs) {
    const Json result = await("content:analyze", "content-analyze", id);
    if (!result.contains("id")) throw StepFailed("content:analyze", "no stored analysis id");
    analyses_[material] = result["id"].dump();
    std::string topics;
    for (const auto& t : result.value("topics", Json::array())) {
      topics += (topics.empty() ? "" : ", ") + t.get<std::string>();
    }
    std::cout << "   job " << id << "  " << material << "  analysis " << analyses_[material] << ": "
              << result.value("tone", "?") << ", " << result.value("language", "?") << ", topics "
              << oneLine(topics, 60) << "\n";
  }
}

void Pipeline::generate() {
  step_ = "content:generate";
  std::cout << "\n2. content:generate: mastodon, bluesky, linkedin in the brand's voice, each "
               "draft compared with the brand's recent posts\n";
  Json accounts = Json::object();
  for (const auto& [platform, id] : accounts_) accounts[platform] = id;
  bool caught = false;
  // One material after the other: the second's drafts are compared with the first's.
  for (const auto& [material, text] : kMaterials) {
    const Json data = {{"brandProfileId", "lyon-bakery"},
                       {"brand", kBrand},
                       {"analysisId", analyses_[material]},
                       {"platforms", kPlatforms},
                       {"goal", "bring people to the opening"},
                       {"accounts", accounts},
                       {"store", true}};
    const std::string id = producer("content-generate").add("content:generate", data.dump(), "{}");
    const Json result = await("content:generate", "content-generate", id);
    std::cout << "   job " << id << "  " << material << "  " << result.value("provider", "?") << "/"
              << result.value("model", "?") << ", duplicate check "
              << result.value("embedding", Json::object()).value("model", "?") << " (threshold "
              << result.value("embedding", Json::object()).value("threshold", 0.0) << ")\n";
    for (const Json& post : result.value("posts", Json::array())) {
      Draft d;
      d.material = material;
      d.platform = post.value("platform", "");
      d.postId = post.value("id", "");
      d.text = post.value("text", "");
      d.duplicate = post.value("duplicate", false);
      d.regenerated = post.value("regenerated", 0);
      d.similarity = post.value("similarity", Json());
      std::ostringstream line;
      line << "     " << std::left << std::setw(9) << d.platform << std::right << " " << d.postId;
      if (d.similarity.is_number()) {
        line << "  similarity " << std::fixed << std::setprecision(3) << d.similarity.get<double>();
        if (post.contains("similarTo") && post["similarTo"].contains("sourceId")) {
          d.similarTo = post["similarTo"].value("sourceId", "");
          line << " to " << d.similarTo;
        }
      }
      if (d.regenerated > 0) line << "  regenerated " << d.regenerated << "x";
      if (d.duplicate) line << "  FLAGGED near-duplicate: held back, not published";
      std::cout << line.str() << "\n       \"" << oneLine(d.text) << "\"\n";
      if (material != kMaterials.front().first && (d.duplicate || d.regenerated > 0)) caught = true;
      drafts_.push_back(std::move(d));
    }
  }
  if (drafts_.size() != kPlatforms.size() * kMaterials.size()) {
    throw StepFailed("content:generate", "expected " +
                                             std::to_string(kPlatforms.size() * kMaterials.size()) +
                                             " drafts, got " + std::to_string(drafts_.size()));
  }
  if (!caught) {
    throw StepFailed("content:generate",
                     "the second material nearly repeats the first, but none of its drafts was "
                     "regenerated or flagged as a near-duplicate");
  }
}

void Pipeline::publish() {
  step_ = "post:publish";
  std::cout << "\n3. post:publish: every draft not flagged, to the fake platforms\n";
  std::vector<std::pair<Draft*, std::string>> jobs;
  for (Draft& d : drafts_) {
    if (d.duplicate) continue;
    const Json data = {{"postId", d.postId}};
    jobs.emplace_back(&d, producer("post-publish").add("post:publish", data.dump(), "{}"));
  }
  for (auto& [d, id] : jobs) {
    const Json result = await("post:publish", "post-publish", id);
    d->url = result.value("url", "");
    d->platformPostId = result.value("platformPostId", "");
    if (d->url.empty()) throw StepFailed("post:publish", "job " + id + " returned no url");
    std::cout << "   job " << std::setw(2) << id << "  " << std::left << std::setw(9) << d->platform
              << std::right << " " << d->postId << " -> " << d->url << "\n";
  }
  // The lifecycle events reached the web app's (here: the fake's) webhook, signed.
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  std::size_t valid = 0;
  while (true) {
    valid = 0;
    for (const Json& delivery : fakes_.admin("GET", "/deliveries").value("deliveries", Json())) {
      const std::string body = delivery.value("body", "");
      if (delivery.value("signatureValid", false) &&
          body.find("\"publication.published\"") != std::string::npos)
        ++valid;
    }
    if (valid >= jobs.size() || Clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::cout << "   lifecycle webhook: " << valid << " signed publication.published events\n";
  if (valid != jobs.size()) {
    throw StepFailed("post:publish", "expected " + std::to_string(jobs.size()) +
                                         " signed publication.published events, got " +
                                         std::to_string(valid));
  }
}

void Pipeline::collect() {
  step_ = "analytics:collect";
  std::cout << "\n4. analytics:collect: the published posts' metrics\n";
  // The fake platforms' audience reacts: each post gets its own counts, read back below.
  std::map<std::string, Json> given;  // platform post id -> metrics set on the fake
  int n = 0;
  for (const Draft& d : drafts_) {
    if (d.duplicate) continue;
    ++n;
    const Json metrics = {{"likes", 10 * n + 2}, {"reposts", n + 1}, {"replies", n}};
    fakes_.admin("POST", "/posts",
                 {{"platform", d.platform}, {"id", d.platformPostId}, {"metrics", metrics}});
    given[d.platformPostId] = metrics;
  }
  Json postIds = Json::array();
  for (const Draft& d : drafts_) {
    if (!d.duplicate) postIds.push_back(d.postId);
  }
  const std::string id = producer("analytics-collect")
                             .add("analytics:collect", Json{{"postIds", postIds}}.dump(), "{}");
  const Json result = await("analytics:collect", "analytics-collect", id);
  if (!result.value("failed", Json::array()).empty()) {
    throw StepFailed("analytics:collect", "failed: " + result["failed"].dump());
  }
  std::size_t matched = 0;
  for (const Json& s : result.value("snapshots", Json::array())) {
    for (Draft& d : drafts_) {
      if (d.postId != s.value("postId", "")) continue;
      d.metrics = s.value("metrics", Json::object());
      const Json& want = given[d.platformPostId];
      if (d.metrics.value("likes", -1) == want.value("likes", -2)) ++matched;
    }
  }
  std::cout << "   job " << id << "  " << result.value("collected", 0) << " snapshots stored in "
            << "post_metrics\n";
  if (matched != given.size()) {
    throw StepFailed("analytics:collect", "expected the metrics of " +
                                              std::to_string(given.size()) + " posts, matched " +
                                              std::to_string(matched) + ": " + result.dump());
  }
}

void Pipeline::report() const {
  std::cout << "\npublished:\n";
  for (const Draft& d : drafts_) {
    if (d.duplicate) continue;
    std::string counts;
    for (const char* k : {"likes", "reposts", "replies", "quotes", "impressions"}) {
      if (d.metrics.contains(k) && !d.metrics[k].is_null())
        counts += std::string(counts.empty() ? "" : ", ") + k + " " + d.metrics[k].dump();
    }
    std::cout << "  " << std::left << std::setw(9) << d.platform << std::right << " " << d.url
              << "  (" << d.material << ")\n    " << counts << "\n    | ";
    for (const char c : d.text)
      std::cout << (c == '\n' ? std::string("\n    | ") : std::string(1, c));
    std::cout << "\n";
  }
  for (const Draft& d : drafts_) {
    if (d.duplicate) {
      std::cout << "  held back: " << d.platform << " " << d.postId << " of " << d.material
                << " (a near-duplicate of " << d.similarTo << " after " << d.regenerated
                << " regenerations)\n";
    }
  }
}

void Pipeline::stop() {
  producers_.clear();
  if (node_) node_->stop(*signals_);
  node_.reset();
}

}  // namespace

int pipelineDemo(const Options& options) {
  const auto started = Clock::now();
  std::cout << "warren demo: the content pipeline offline: content:analyze -> content:generate "
               "-> post:publish -> analytics:collect\n";
  // This run's own directory (SQLite, object storage, the embedded Redis), removed at the end.
  std::filesystem::path run;
  {
    Options probe = options;
    if (!probe.logLevel) probe.logLevel = "warn";
    const auto base = lifecycle::dataDirectory(loadConfig(probe).dataDir);
    std::filesystem::create_directories(base);
    std::string pattern = (base / "demo-run-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      std::cerr << "warren demo: step setup: cannot create a run directory in " << base << "\n";
      return kExitFailed;
    }
    run = pattern;
  }
  bool ok = false;
  try {
    const auto executable = DemoPlatforms::find();
    if (executable.empty()) {
      throw StepFailed("setup",
                       "warren-fake-platforms is neither next to the warren executable nor in "
                       "../lib/warren (warren demo --basic runs without it)");
    }
    DemoPlatforms fakes(executable, run);
    std::cout << "fake platforms: warren-fake-platforms on " << fakes.base("") << " (mastodon, "
              << "bluesky, linkedin, and a webhook sink for the lifecycle events)\n";
    Pipeline pipeline(options, run, fakes);
    try {
      pipeline.start();
      pipeline.analyze();
      pipeline.generate();
      pipeline.publish();
      pipeline.collect();
      pipeline.report();
      ok = true;
    } catch (const StepFailed&) {
      pipeline.stop();
      throw;
    } catch (const std::exception& e) {
      pipeline.stop();
      throw StepFailed(pipeline.step(), e.what());
    }
    pipeline.stop();
  } catch (const StepFailed& e) {
    std::cout << "\ndemo FAILED: " << e.what() << "\n";
  } catch (const std::exception& e) {
    std::cout << "\ndemo FAILED: step setup: " << e.what() << "\n";
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (ok) {
    std::error_code error;
    std::filesystem::remove_all(run, error);
    std::cout << "\ndemo finished: every step ended as expected (" << std::fixed
              << std::setprecision(1) << seconds << " s)\n";
    return kExitOk;
  }
  std::cout << "(the run's files are kept in " << run.string() << ")\n";
  return kExitFailed;
}

}  // namespace warren::app
