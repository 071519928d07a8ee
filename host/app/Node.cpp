#include "app/Node.h"

#include "app/Commands.h"
#include "app/PluginMigrations.h"

#include "app/Slots.h"
#include "executor/ProcessExecutor.h"
#include "executor/Supervisor.h"
#include "http/Health.h"
#include "log/Log.h"
#include "metrics/ProcessMetrics.h"
#include "metrics/Registry.h"
#include "plugins/HostApi.h"
#include "queue/OnceLedger.h"
#include "queue/Preflight.h"
#include "redis/Connection.h"
#include "sizing/Profiles.h"

#include <unistd.h>
#include <csignal>
#include <future>
#include <numeric>
#include <set>
#include <sstream>

namespace warren::app {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::int64_t kTwoWeeksOfMinutes = 14 * 24 * 60;

queue::WorkerOptions workerOptions(const config::Config& config, const config::QueueConfig& q,
                                   std::uint32_t concurrency) {
  queue::WorkerOptions o;
  o.prefix = config.redisPrefix;
  o.queue = q.name;
  o.name = config.workerId;
  o.concurrency = concurrency;
  o.lockDurationMs = q.lockDurationMs;
  o.lockRenewTimeMs = q.lockRenewTimeMs;
  o.stalledIntervalMs = q.stalledIntervalMs;
  o.maxStalledCount = q.maxStalledCount;
  o.maxStartedAttempts = q.maxStartedAttempts;
  o.drainDelayS = q.drainDelayS;
  o.limiterMax = q.limiterMax;
  o.limiterDurationMs = q.limiterDurationMs;
  o.timeoutMs = q.timeoutMs;
  o.removeOnComplete = q.removeOnComplete;
  o.removeOnFail = q.removeOnFail;
  o.metricsPoints = q.maxMetricsPoints;
  o.deadLetterQueue = q.deadLetter;
  if (o.metricsPoints < 0) {
    // BullMQ metrics: on in the staging and production profiles, two weeks of minutes as
    // BullMQ's MetricsTime.TWO_WEEKS; off otherwise.
    const bool on = config.profileSet && sizing::profileDefaults(config.profile).metrics;
    o.metricsPoints = on ? kTwoWeeksOfMinutes : 0;
  }
  return o;
}

void countReload(const char* result) {
  metrics::registry().counterAdd(metrics::names::pluginReloads, {{"result", result}}, 1);
}

// The memory an executor process may add: queue.NAME.memory_limit_mb, else four times the
// plugin's declared memory per job, at least 256 MiB.
std::uint64_t memoryLimitBytes(const config::IsolationConfig& isolation,
                               const plugins::PluginInfo& info) {
  constexpr std::uint64_t kMiB = 1024 * 1024;
  if (isolation.memoryLimitMb > 0) return isolation.memoryLimitMb * kMiB;
  const std::uint64_t derived = (4 * info.memoryPerJobBytes + kMiB - 1) / kMiB * kMiB;
  return std::max<std::uint64_t>(derived, 256 * kMiB);
}

// How the queue's plugin runs, as GenerationSpec::executorKey: a change makes a new generation.
std::string executorKey(const config::IsolationConfig& isolation) {
  if (!isolation.process) return "";
  return "process memory_limit_mb=" + std::to_string(isolation.memoryLimitMb) +
         " max_jobs_per_executor=" + std::to_string(isolation.maxJobsPerExecutor) +
         " max_executor_rss_mb=" + std::to_string(isolation.maxExecutorRssMb) +
         " executor_idle_ms=" + std::to_string(isolation.executorIdleMs) +
         " max_crashes=" + std::to_string(isolation.maxCrashes);
}

}  // namespace

std::string_view drainStateName(DrainState state) {
  switch (state) {
    case DrainState::serving:
      return "serving";
    case DrainState::draining:
      return "draining";
    case DrainState::drained:
      return "drained";
  }
  return "serving";
}

Node::Node(const config::Config& config, ConfigSource source)
    : config_(config), source_(std::move(source)) {
  if (config_.redisUrl.empty()) {
    embedded_ =
        std::make_unique<lifecycle::EmbeddedRedis>(lifecycle::dataDirectory(config_.dataDir));
    config_.redisUrl = embedded_->url();
  }
  servers_ = app::redisServers(config_);
  url_ = servers_->url();
  checkRedisFor(config_.queues);
  copiesDir_ = lifecycle::dataDirectory(config_.dataDir) / "plugins";
  // Plugins' Redis services (the once ledger, queue access) reach the master through the
  // topology; on a Cluster a command for another slot follows its MOVED reply.
  pluginRedis_ = std::make_shared<queue::RedisPool>(
      url_, servers_->optionsFor(config_.redisPrefix + ":", redisOptions(config_)));
  ledger_ = std::make_shared<queue::RedisOnceLedger>(pluginRedis_, config_.redisPrefix);
  queueService_ = std::make_unique<queue::QueueService>(
      pluginRedis_, config_.redisPrefix, servers_->mode() == redis::Topology::Mode::cluster);
  crashes_ = std::make_shared<executor::RedisCrashLedger>(pluginRedis_, config_.redisPrefix);
  plugins::installQueueService(queueService_->table());
  std::uint32_t slots = 0;
  for (const auto& q : config_.queues) slots += q.concurrency > 0 ? q.concurrency : 5;
  services_ = openServices(config_, static_cast<std::uint32_t>(config_.queues.size()), slots);
  // Every plugin is loaded and initialised before any worker starts: a refusal stops start-up.
  std::vector<std::pair<config::QueueConfig, plugins::Generation>> loaded;
  std::vector<QueuePlugin> sizing;
  for (const auto& q : config_.queues) {
    loaded.emplace_back(q, plugins::loadGeneration(prepare(q, config_.pluginDir, config_)));
  }
  for (const auto& [q, generation] : loaded) sizing.push_back({&q, &generation.executor->info()});
  const auto planned = planSlots(config_, sizing);
  {
    std::lock_guard lock(mutex_);
    for (auto& [q, generation] : loaded) {
      queues_[q.name] = startQueue(q, std::move(generation), planned.at(q.name));
    }
  }
  startCancelListener();
  std::lock_guard lock(mutex_);
  startWatching();
}

Node::~Node() {
  watch_.reset();
  cancels_.reset();
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stopWake_.notify_all();
  for (auto& retirement : retirements_) retirement.thread.join();
  queues_.clear();
}

// The Redis checks before queues are served: hash tags on a Cluster, then the preflight on the
// server of each queue (a Cluster's queues may live on different masters; one is enough
// elsewhere).
void Node::checkRedisFor(const std::vector<config::QueueConfig>& queues) const {
  const bool cluster = servers_->mode() == redis::Topology::Mode::cluster;
  std::set<int> routes;
  std::vector<std::string> probes;
  for (const auto& q : queues) {
    try {
      const queue::Keys keys(config_.redisPrefix, q.name);
      if (cluster) queue::requireHashTag(keys);
      if (cluster && !q.deadLetter.empty())
        queue::requireDeadLetterSlot(keys, queue::Keys(config_.redisPrefix, q.deadLetter));
      if (routes.insert(servers_->routeOf(keys.base())).second) probes.push_back(keys.base());
    } catch (const std::invalid_argument& e) {
      throw config::ConfigError(e.what());
    }
  }
  if (probes.empty()) probes.push_back(config_.redisPrefix + ":");
  std::set<std::string> checked;
  for (const auto& key : probes) {
    redis::Connection probe(url_, servers_->optionsFor(key, redisOptions(config_)));
    if (checked.insert(probe.server().endpoint()).second) queue::preflight(probe);
  }
}

// What to load for a queue; runs the queue's migration directory first (once per node set),
// and the plugin's own migrations once its descriptor is read (before its init). `from` is the
// config whose security.* values the plugin may inherit.
plugins::GenerationSpec Node::prepare(const config::QueueConfig& q, const std::string& pluginDir,
                                      const config::Config& from) const {
  plugins::GenerationSpec spec;
  spec.plugin = q.plugin;
  spec.pluginDir = pluginDir;
  spec.pinnedSha256 = q.sha256;
  spec.config = q.pluginConfig;
  spec.inherited = pluginSecrets(from);
  spec.scope = q.name;
  spec.copiesDir = copiesDir_;
  spec.executorKey = executorKey(q.isolation);
  if (q.isolation.process) {
    const config::IsolationConfig isolation = q.isolation;
    const auto crashes = crashes_;
    spec.makeExecutor = [isolation, crashes](std::shared_ptr<plugins::Library> library,
                                             const plugins::ConfigValues& config,
                                             const std::string& scope) {
      executor::ProcessOptions options;
      options.memoryLimitBytes = memoryLimitBytes(isolation, library->info());
      options.maxJobs = isolation.maxJobsPerExecutor;
      options.maxResidentBytes = isolation.maxExecutorRssMb << 20;
      options.idleTimeout = std::chrono::milliseconds(isolation.executorIdleMs);
      options.maxCrashes = isolation.maxCrashes;
      options.crashes = crashes;
      return executor::ProcessExecutor::create(std::move(library), config, scope,
                                               std::move(options));
    };
  }
  if (services_.database) {
    db::Database* database = services_.database.get();
    spec.beforeInit = [database](const plugins::Library& library) {
      migratePlugin(*database, library);
    };
  }
  if (!q.migrations.empty()) {
    const db::MigrationReport report =
        services_.database->runMigrations("plugin:" + q.plugin, q.migrations);
    if (!report.ok) {
      throw plugins::PluginError("migrations of queue '" + q.name + "' failed: " + report.error);
    }
  }
  return spec;
}

Node::Served Node::startQueue(const config::QueueConfig& q, plugins::Generation generation,
                              std::uint32_t slots) {
  Served served;
  served.config = q;
  generation.number = ++generations_;
  const auto& info = generation.executor->info();
  const queue::Keys keys(config_.redisPrefix, q.name);
  queue::WorkerOptions options = workerOptions(config_, q, slots);
  options.ledger = ledger_;
  served.worker = std::make_shared<queue::Worker>(
      std::move(options), url_, servers_->optionsFor(keys.base(), redisOptions(config_)),
      generation.executor);
  // The check may outlive the worker (a queue removed by a reload): it holds a weak reference.
  std::weak_ptr<queue::Worker> weak = served.worker;
  served.check = std::make_shared<http::ConsumptionCheck>(
      q.name,
      [weak] {
        const auto worker = weak.lock();
        http::ConsumptionSample gone;
        gone.fetching = false;
        if (!worker) return gone;
        const auto status = worker->status();
        return http::sampleOf(status, worker->concurrency(), status.fetching);
      },
      http::limitsOf(served.worker->options()));
  served.worker->start();
  if (draining_) served.worker->stopFetching();
  log::info("plugin generation serving", {{"queue", q.name},
                                          {"plugin", info.name},
                                          {"version", info.version},
                                          {"generation", generation.number},
                                          {"sha256", generation.sha256}});
  metrics::setPluginInfo(metrics::registry(), info.name, info.version, generation.number);
  served.generation = std::move(generation);
  return served;
}

// ---- reload ------------------------------------------------------------------------------------

ReloadOutcome Node::reload() {
  config::Config next = config_;
  if (source_) {
    try {
      next = source_();
    } catch (const std::exception& e) {
      ReloadOutcome refused;
      refused.error = std::string("config: ") + e.what();
      countReload("refused");
      log::error("reload refused; the serving generations stay", {{"error", refused.error}});
      std::lock_guard lock(mutex_);
      lastReloadError_ = refused.error;
      return refused;
    }
  }
  return reload(next);
}

// A queue's part of a reload: its new config, and a new generation when the plugin changed.
struct Node::Plan {
  config::QueueConfig config;
  std::optional<plugins::Generation> generation;
  bool added = false;
};

ReloadOutcome Node::reload(const config::Config& next) {
  std::lock_guard serial(reloadMutex_);
  std::map<std::string, plugins::Generation> serving;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return {false, "the node is stopping", {}};
    for (const auto& [name, served] : queues_) serving[name] = served.generation;
  }
  std::vector<Plan> plans;
  std::vector<std::string> removed;
  try {
    // Phase 1: every new generation is loaded and initialised; nothing switches yet.
    const std::string pluginDir = next.pluginDir.empty() ? config_.pluginDir : next.pluginDir;
    std::vector<config::QueueConfig> added;
    for (const auto& q : next.queues)
      if (serving.count(q.name) == 0) added.push_back(q);
    if (!added.empty()) checkRedisFor(added);
    for (const auto& q : next.queues) {
      Plan plan{q, std::nullopt, serving.count(q.name) == 0};
      const plugins::GenerationSpec spec = prepare(q, pluginDir, next);
      if (plan.added || !plugins::sameAs(spec, serving.at(q.name))) {
        plan.generation = plugins::loadGeneration(spec);
      }
      plans.push_back(std::move(plan));
    }
    for (const auto& [name, generation] : serving) {
      const bool kept = std::any_of(next.queues.begin(), next.queues.end(),
                                    [&](const config::QueueConfig& q) { return q.name == name; });
      if (!kept) removed.push_back(name);
    }
  } catch (const std::exception& e) {
    ReloadOutcome refused;
    refused.error = e.what();
    countReload("refused");
    log::error("reload refused; the serving generations stay", {{"error", refused.error}});
    std::lock_guard lock(mutex_);
    lastReloadError_ = refused.error;
    return refused;
  }
  ReloadOutcome outcome = apply(next, plans, removed);
  if (cancels_) cancels_->listen(servedQueues());
  if (reloadListener_) reloadListener_();
  return outcome;
}

void Node::onReload(std::function<void()> listener) {
  std::lock_guard serial(reloadMutex_);
  reloadListener_ = std::move(listener);
}

// Phase 2 of a reload: switch to the new generations, start and stop queues.
ReloadOutcome Node::apply(const config::Config& next, std::vector<Plan>& plans,
                          const std::vector<std::string>& removed) {
  std::lock_guard lock(mutex_);
  std::vector<QueuePlugin> sizing;
  for (const auto& plan : plans) {
    const plugins::Generation& generation =
        plan.generation ? *plan.generation : queues_.at(plan.config.name).generation;
    sizing.push_back({&plan.config, &generation.executor->info()});
  }
  config::Config sized = config_;
  sized.concurrency = next.concurrency;
  sized.tier = next.tier;
  sized.tierSet = next.tierSet;
  sized.profile = next.profile;
  sized.profileSet = next.profileSet;
  const auto planned = planSlots(sized, sizing);
  config_.reloadDrainTimeoutMs = next.reloadDrainTimeoutMs;
  config_.concurrency = next.concurrency;
  config_.queues = next.queues;
  for (auto& plan : plans) {
    if (plan.added) {
      queues_[plan.config.name] =
          startQueue(plan.config, std::move(*plan.generation), planned.at(plan.config.name));
      continue;
    }
    Served& served = queues_.at(plan.config.name);
    served.config = plan.config;
    if (plan.generation) {
      auto old = served.generation.executor;
      plan.generation->number = ++generations_;
      served.worker->setExecutor(plan.generation->executor);
      served.generation = std::move(*plan.generation);
      const auto& info = served.generation.executor->info();
      log::info("plugin generation serving", {{"queue", plan.config.name},
                                              {"plugin", info.name},
                                              {"version", info.version},
                                              {"generation", served.generation.number},
                                              {"sha256", served.generation.sha256}});
      metrics::setPluginInfo(metrics::registry(), info.name, info.version,
                             served.generation.number);
      retireGeneration(served.worker, std::move(old));
    }
    served.worker->setConcurrency(planned.at(plan.config.name));
  }
  for (const auto& name : removed) {
    log::info("queue removed from the node: draining", {{"queue", name}});
    retireQueue(queues_.at(name).worker);
    queues_.erase(name);
  }
  lastReloadError_.clear();
  countReload("ok");
  log::info("reload done", {{"queues", static_cast<std::int64_t>(queues_.size())}});
  return {true, {}, summaryLocked()};
}

// The old generation finishes its jobs until the drain deadline; the rest go back to wait and
// the new generation takes them. Its library stays mapped (see plugins::Library::pinForever).
void Node::retireGeneration(std::shared_ptr<queue::Worker> worker,
                            std::shared_ptr<plugins::Executor> old) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(config_.reloadDrainTimeoutMs);
  startRetirement([this, worker, old, deadline] {
    {
      std::unique_lock lock(mutex_);
      while (!stopping_ && worker->runningIn(old) > 0 && Clock::now() < deadline) {
        stopWake_.wait_for(lock, std::chrono::milliseconds(20));
      }
    }
    const std::size_t givenBack = worker->requeueRunningIn(old);
    const std::string queue = worker->options().queue;
    if (givenBack > 0) {
      log::warn("old plugin generation's jobs went back to wait at the drain deadline",
                {{"queue", queue}, {"jobs", static_cast<std::int64_t>(givenBack)}});
    } else {
      log::info("old plugin generation drained", {{"queue", queue}});
    }
  });
}

// Runs `work` on its own thread; threads of earlier retirements that ended are joined here, so
// many reloads do not pile up finished threads (requires mutex_).
void Node::startRetirement(std::function<void()> work) {
  for (auto it = retirements_.begin(); it != retirements_.end();) {
    if (!it->done->load()) {
      ++it;
      continue;
    }
    it->thread.join();
    it = retirements_.erase(it);
  }
  auto done = std::make_shared<std::atomic<bool>>(false);
  std::thread thread([work = std::move(work), done] {
    work();
    done->store(true);
  });
  retirements_.push_back({std::move(thread), std::move(done)});
}

void Node::retireQueue(std::shared_ptr<queue::Worker> worker) {
  const auto timeout = std::chrono::milliseconds(config_.reloadDrainTimeoutMs);
  startRetirement([worker, timeout] {
    const std::size_t givenBack = worker->close(timeout, "queue removed by a reload");
    log::info("queue stopped", {{"queue", worker->options().queue},
                                {"given_back", static_cast<std::int64_t>(givenBack)}});
  });
}

std::string Node::summaryLocked() const {
  std::string out = "{";
  for (const auto& [name, served] : queues_) {
    if (out.size() > 1) out += ',';
    const auto& info = served.generation.executor->info();
    out += log::jsonString(name) + ":{\"plugin\":" + log::jsonString(info.name) +
           ",\"version\":" + log::jsonString(info.version) +
           ",\"generation\":" + std::to_string(served.generation.number) +
           ",\"concurrency\":" + std::to_string(served.worker->concurrency()) + "}";
  }
  return out + "}";
}

std::string Node::lastReloadError() const {
  std::lock_guard lock(mutex_);
  return lastReloadError_;
}

void Node::startWatching() {
  if (!config_.pluginWatch) return;
  std::error_code error;
  if (!std::filesystem::is_directory(config_.pluginDir, error)) return;
  try {
    watch_ = std::make_unique<lifecycle::DirectoryWatch>(
        config_.pluginDir, std::chrono::milliseconds(config_.reloadDebounceMs),
        [this](const std::string& name) {
          log::info("plugin directory changed: reloading", {{"file", name}});
          reload();
        });
  } catch (const std::exception& e) {
    log::warn("plugin directory not watched", {{"error", e.what()}});
  }
}

// ---- cancel requests --------------------------------------------------------------------------

// One subscription for the node: a request for a job of a queue served here goes to its worker.
void Node::startCancelListener() {
  const std::string anyKey = config_.redisPrefix + ":";
  cancels_ = std::make_unique<queue::CancelListener>(
      url_, servers_->optionsFor(anyKey, redisOptions(config_)), config_.redisPrefix,
      [this](const std::string& queue, const std::string& id, const std::string& reason) {
        std::shared_ptr<queue::Worker> worker;
        {
          std::lock_guard lock(mutex_);
          const auto served = queues_.find(queue);
          if (served != queues_.end()) worker = served->second.worker;
        }
        if (worker) worker->cancel(id, reason);
      });
  cancels_->listen(servedQueues());
}

std::vector<std::string> Node::servedQueues() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> names;
  for (const auto& [name, served] : queues_) names.push_back(name);
  return names;
}

std::optional<config::QueueConfig> Node::queueConfig(const std::string& queue) const {
  std::lock_guard lock(mutex_);
  const auto served = queues_.find(queue);
  if (served == queues_.end()) return std::nullopt;
  return served->second.config;
}

// ---- drain, watchdog
// -----------------------------------------------------------------------------

void Node::drain() {
  std::lock_guard lock(mutex_);
  if (!draining_) log::info("draining: no new jobs are taken");
  draining_ = true;
  for (auto& [name, served] : queues_) served.worker->stopFetching();
}

void Node::resume() {
  std::lock_guard lock(mutex_);
  if (draining_) log::info("resumed: taking jobs again");
  draining_ = false;
  for (auto& [name, served] : queues_) served.worker->resumeFetching();
}

std::size_t Node::activeJobs() const {
  std::size_t active = 0;
  for (const auto& worker : workers()) active += worker->activeJobs();
  return active;
}

DrainState Node::drainState() const {
  {
    std::lock_guard lock(mutex_);
    if (!draining_) return DrainState::serving;
  }
  return activeJobs() == 0 ? DrainState::drained : DrainState::draining;
}

std::vector<std::shared_ptr<queue::Worker>> Node::workers() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<queue::Worker>> out;
  for (const auto& [name, served] : queues_) out.push_back(served.worker);
  return out;
}

std::vector<std::shared_ptr<http::ConsumptionCheck>> Node::consumptionChecks() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<http::ConsumptionCheck>> out;
  for (const auto& [name, served] : queues_) out.push_back(served.check);
  return out;
}

// A worker whose check has failed for a whole extra fetch period is alive but not consuming
// (typically blocked on a socket to a Redis that failed over): its connections are rebuilt.
void Node::watchdog() {
  std::vector<std::pair<std::shared_ptr<queue::Worker>, std::shared_ptr<http::ConsumptionCheck>>>
      watched;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    for (const auto& [name, served] : queues_) watched.emplace_back(served.worker, served.check);
  }
  for (auto& [worker, check] : watched) {
    const auto grace = std::chrono::milliseconds(check->limits().fetchAllowanceMs());
    if (!check->unhealthyFor(grace)) continue;
    log::warn("watchdog: worker stopped consuming; rebuilding its connections",
              {{"queue", worker->options().queue}, {"error", check->evaluate().error}});
    metrics::registry().counterAdd(metrics::names::watchdogRebuilds,
                                   {{"queue", worker->options().queue}}, 1);
    worker->rebuildConnections();
    check->reset();
  }
}

// ---- stop
// ----------------------------------------------------------------------------------------

void Node::stop(lifecycle::Signals& signals) {
  watch_.reset();  // before the lock: the watcher's thread may be in reload(), which takes it
  std::lock_guard serial(reloadMutex_);
  // Under the lock: an admin reload on an HTTP thread reads cancels_ (found by TSan).
  cancels_.reset();
  log::info("warren stopping", {{"timeout_ms", config_.shutdownTimeoutMs}});
  const auto all = workers();
  for (auto& worker : all) worker->stopFetching();
  auto done = std::async(std::launch::async, [this, all] {
    const auto deadline = Clock::now() + std::chrono::milliseconds(config_.shutdownTimeoutMs);
    std::size_t givenBack = 0;
    for (auto& worker : all) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      givenBack += worker->close(std::max(left, std::chrono::milliseconds(0)));
    }
    return givenBack;
  });
  while (done.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
    const int signal = signals.wait(std::chrono::milliseconds(100));
    if (signal == SIGTERM || signal == SIGINT) {
      log::warn("second signal: exiting now; running jobs are left to the stalled checker");
      ::_exit(1);
    }
  }
  const std::size_t givenBack = done.get();
  if (givenBack > 0) {
    log::warn("jobs still running at the shutdown deadline were given back to wait",
              {{"jobs", static_cast<std::int64_t>(givenBack)}});
  }
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stopWake_.notify_all();
  for (auto& retirement : retirements_) retirement.thread.join();
  retirements_.clear();
  {
    std::lock_guard lock(mutex_);
    queues_.clear();
  }
  // Executor processes retired with their queues get a moment for the plugins' shutdown.
  executor::awaitRetired(std::chrono::seconds(3));
  if (embedded_) embedded_->stop();
  log::info("warren stopped");
}

}  // namespace warren::app
