// Whole `warren run` nodes with queue.iso.isolation = process on the misbehave fixture and a
// healthy echo queue beside it, jobs added as a BullMQ producer adds them and read back from the
// job hashes as BullMQ reads them: each crash fails only its job with a classified
// failedReason while the healthy queue's jobs complete and the node serves on; a job past its
// timeout frees its slot; a poison pill is counted across node restarts; a reload moves new
// jobs to the new generation's executors; the services answer alike in and out of process. In
// process, garbage on stdout and a lingering fork leave the node serving and stopping cleanly.
#include "Crashes.h"
#include "NodeProcess.h"
#include "Paths.h"
#include "RedisServer.h"
#include "TempDir.h"
#include "TestServer.h"
#include "queue/Producer.h"
#include "redis/Connection.h"

#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>

namespace warren::test {
namespace {

using namespace std::chrono_literals;

// A queue as a BullMQ producer and reader see it.
class Queue {
 public:
  Queue(const std::string& url, std::string name)
      : name_(std::move(name)),
        connection_(redis::Url::parse(url), {}),
        producer_(connection_, "bull", name_) {}

  std::string add(const std::string& job, const std::string& data = "{}",
                  const std::string& opts = "{}") {
    return producer_.add(job, data, opts);
  }
  std::map<std::string, std::string> hash(const std::string& id) {
    std::map<std::string, std::string> out;
    const auto list = connection_.command({"HGETALL", "bull:" + name_ + ":" + id}).asArray();
    for (std::size_t i = 0; i + 1 < list.size(); i += 2) out[list[i].str()] = list[i + 1].str();
    return out;
  }
  bool in(const std::string& set, const std::string& id) {
    return !connection_.command({"ZSCORE", "bull:" + name_ + ":" + set, id}).isNil();
  }
  // Waits until the job is completed or failed; returns which ("" after the limit).
  std::string finished(const std::string& id, std::chrono::milliseconds limit = 30s) {
    std::string state;
    eventually(
        [&] {
          state = in("completed", id) ? "completed" : in("failed", id) ? "failed" : "";
          return !state.empty();
        },
        limit, 20ms);
    return state;
  }
  redis::Connection& connection() { return connection_; }

 private:
  std::string name_;
  redis::Connection connection_;
  queue::Producer producer_;
};

// The node's config beside its --plugin queue: a healthy echo queue (and whatever else).
std::string configFile(const TempDir& dir, const std::string& extra = "") {
  const auto path = dir / "warren.ini";
  writeFile(path, "[queue.healthy]\nplugin = echo\nconcurrency = 2\n" + extra);
  return path.string();
}

NodeOptions isolated(const std::string& url, const std::string& config) {
  return NodeOptions("iso", url)
      .withPlugin(fixture("misbehave").string())
      .slots(2)
      .set("queue.isolation=process")
      .env("WARREN_CONFIG=" + config)
      .withoutHttp();
}

// The executor processes of a node (its children started as `warren __executor`).
std::size_t executorsOf(pid_t node) {
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto close = text.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(text.substr(close + 2));
    std::string state;
    long parent = 0;
    rest >> state >> parent;
    if (parent != node || state == "Z") continue;
    std::ifstream cmdline(entry.path() / "cmdline");
    std::string args((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
    if (args.find("__executor") != std::string::npos) ++count;
  }
  return count;
}

TEST(NodeIsolation, EveryCrashFailsOnlyItsJobWhileTheNodeServesOn) {
  RedisServer redis;
  TempDir dir("warren-iso");
  NodeProcess node(isolated(redis.url(), configFile(dir)).set("queue.memory_limit_mb=64"));
  Queue iso(redis.url(), "iso");
  Queue healthy(redis.url(), "healthy");
  for (const auto& crash : kMisbehaveCrashes) {
    SCOPED_TRACE(crash.job);
    const std::string beside =
        healthy.add("echo", R"({"sleep_ms":300,"value":")" + crash.job + "\"}");
    const std::string id = iso.add(crash.job);
    ASSERT_EQ(iso.finished(id), "failed") << node.log();
    const auto job = iso.hash(id);
    EXPECT_EQ(job.at("failedReason"), crash.reason);
    EXPECT_EQ(job.at("atm"), "1");
    EXPECT_NE(job.at("stacktrace").find("Error: " + crash.reason), std::string::npos)
        << job.at("stacktrace");
    ASSERT_EQ(healthy.finished(beside), "completed") << node.log();
    EXPECT_EQ(healthy.hash(beside).at("returnvalue"), "\"" + crash.job + "\"");
  }
  const std::string after = iso.add("pid");
  EXPECT_EQ(iso.finished(after), "completed") << node.log();
  EXPECT_NE(node.log().find("\"msg\":\"executor process died in a job\""), std::string::npos);
  EXPECT_EQ(node.stop(SIGTERM), 0) << node.log();
}

TEST(NodeIsolation, AJobPastItsTimeoutHasItsExecutorKilledAndItsSlotBack) {
  RedisServer redis;
  TempDir dir("warren-iso");
  NodeProcess node(isolated(redis.url(), configFile(dir)).slots(1).set("queue.timeout=500"));
  Queue iso(redis.url(), "iso");
  const std::string spin = iso.add("spin");
  const std::string next = iso.add("pid");
  ASSERT_EQ(iso.finished(spin), "failed") << node.log();
  EXPECT_EQ(iso.hash(spin).at("failedReason"), "timed out after 500 ms");
  ASSERT_EQ(iso.finished(next, 10s), "completed") << "the one slot was freed\n" << node.log();
  EXPECT_EQ(executorsOf(node.pid()), 1u) << "the spinning executor is gone";
  EXPECT_EQ(node.stop(SIGTERM), 0) << node.log();
}

TEST(NodeIsolation, APoisonPillIsCountedAcrossNodeRestarts) {
  RedisServer redis;
  TempDir dir("warren-iso");
  const std::string config = configFile(dir);
  Queue iso(redis.url(), "iso");
  const std::string id =
      iso.add("segfault", "{}", R"({"attempts":5,"backoff":{"type":"fixed","delay":2000}})");
  {
    NodeProcess first(isolated(redis.url(), config).set("queue.max_crashes=2").worker("first"));
    ASSERT_TRUE(eventually([&] { return iso.in("delayed", id); }, 20s)) << first.log();
    EXPECT_EQ(first.stop(SIGTERM), 0) << first.log();
  }
  NodeProcess second(isolated(redis.url(), config).set("queue.max_crashes=2").worker("second"));
  ASSERT_EQ(iso.finished(id), "failed") << second.log();
  const auto job = iso.hash(id);
  EXPECT_EQ(job.at("failedReason"), "poison pill: killed 2 executors (SIGSEGV)");
  EXPECT_EQ(job.at("atm"), "2") << "failed for good with attempts left";
  EXPECT_EQ(second.stop(SIGTERM), 0) << second.log();
}

TEST(NodeIsolation, AReloadSendsNewJobsToTheNewGenerationsExecutors) {
  RedisServer redis;
  TempDir dir("warren-iso");
  TempDir plugins("warren-iso-plugins");
  std::filesystem::copy_file(fixture("swap_v1"), plugins / "swap.so");
  NodeProcess node(NodeOptions("swap", redis.url())
                       .withPlugin("swap")
                       .slots(2)
                       .set("queue.isolation=process")
                       .env("WARREN_PLUGIN_DIR=" + plugins.path().string())
                       .set("plugins.watch=false")
                       .withoutHttp());
  Queue swap(redis.url(), "swap");
  const std::string before = swap.add("any");
  ASSERT_EQ(swap.finished(before), "completed") << node.log();
  EXPECT_NE(swap.hash(before).at("returnvalue").find("\"version\":\"1.0.0\""), std::string::npos);
  std::filesystem::copy_file(fixture("swap_v2"), plugins / "swap.so.new");
  std::filesystem::rename(plugins / "swap.so.new", plugins / "swap.so");
  node.signal(SIGHUP);
  ASSERT_TRUE(node.waitForLog("\"msg\":\"reload done\"", 30s)) << node.log();
  const std::string after = swap.add("any");
  ASSERT_EQ(swap.finished(after), "completed") << node.log();
  EXPECT_NE(swap.hash(after).at("returnvalue").find("\"version\":\"2.0.0\""), std::string::npos)
      << swap.hash(after).at("returnvalue");
  EXPECT_TRUE(eventually([&] { return executorsOf(node.pid()) == 1; }, 10s))
      << executorsOf(node.pid()) << " executors: the old generation's were not retired";
  EXPECT_EQ(node.stop(SIGTERM), 0) << node.log();
}

TEST(NodeIsolation, EveryServiceAnswersAlikeInAndOutOfProcess) {
  RedisServer redis;
  TempDir dir("warren-iso");
  TestServer web([](const Arrival& arrival, std::size_t) {
    Reply reply;
    reply.headers = {{"Content-Type", "text/plain"}};
    reply.body = "probe header " + (arrival.headers.count("x-probe") ? arrival.headers.at("x-probe")
                                                                     : std::string("missing"));
    return reply;
  });
  const std::string probe = fixture("services_probe").string();
  const std::string config =
      configFile(dir, "[queue.probe-in]\nplugin = " + probe + "\nconcurrency = 1\n");
  NodeProcess node(NodeOptions("probe-out", redis.url())
                       .withPlugin(probe)
                       .slots(1)
                       .set("queue.isolation=process")
                       .env("WARREN_CONFIG=" + config));
  Queue in(redis.url(), "probe-in");
  Queue out(redis.url(), "probe-out");
  const std::vector<std::pair<std::string, std::string>> jobs = {
      {"http", R"({"url":")" + web.url("/hello") + "\"}"},
      {"db", "{}"},
      {"storage", R"({"dir":")" + dir.path().string() + "\"}"},
      {"ai", "{}"},
      {"queue", R"({"queue":"probe-next"})"},
      {"metrics", "{}"},
      {"job", "{}"},
  };
  for (const auto& [name, data] : jobs) {
    SCOPED_TRACE(name);
    const std::string a = in.add(name, data);
    ASSERT_EQ(in.finished(a), "completed") << node.log();
    const std::string b = out.add(name, data);
    ASSERT_EQ(out.finished(b), "completed") << node.log();
    const std::string inProcess = in.hash(a).at("returnvalue");
    EXPECT_EQ(out.hash(b).at("returnvalue"), inProcess);
    EXPECT_EQ(out.hash(b).count("progress"), in.hash(a).count("progress"));
  }
  // What the answers were (the same on both sides, as checked above).
  const auto answer = [&](const std::string& name) {
    const std::string id = out.add(name, name == "http" ? jobs[0].second : "{}");
    out.finished(id);
    return out.hash(id).at("returnvalue");
  };
  EXPECT_NE(answer("http").find("\"body\":\"probe header yes\""), std::string::npos);
  const std::string ai = answer("ai");
  // The node has an AI service with no provider: the request is refused by its checks first.
  EXPECT_NE(ai.find("\"message\":\"messages: required\""), std::string::npos) << ai;
  EXPECT_NE(answer("job").find("\"once_after\":0"), std::string::npos);
  // Log lines carry the plugin and the queue; metrics land in the node's registry.
  EXPECT_NE(node.log().find("\"msg\":\"probe says hello\",\"plugin\":\"services_probe\","
                            "\"plugin_version\":\"1.0.0\",\"queue\":\"probe-out\""),
            std::string::npos)
      << node.log();
  const HttpReply metrics = node.get("/metrics");
  EXPECT_EQ(metricValue(metrics.body, "probe_level{probe=\"yes\"}"), 7.5);
  EXPECT_EQ(metricValue(metrics.body, "warren_executor_processes{queue=\"probe-out\"}"), 1.0);
  EXPECT_EQ(node.stop(SIGTERM), 0) << node.log();
}

TEST(NodeInProcess, GarbageOnStdoutAndALingeringForkLeaveTheNodeServing) {
  RedisServer redis;
  TempDir dir("warren-iso");
  NodeProcess node(NodeOptions("iso", redis.url())
                       .withPlugin(fixture("misbehave").string())
                       .slots(2)
                       .env("WARREN_CONFIG=" + configFile(dir))
                       .withoutHttp());
  Queue iso(redis.url(), "iso");
  Queue healthy(redis.url(), "healthy");
  const std::string garbage = iso.add("stdout");
  const std::string forked = iso.add("fork", R"({"linger_s":5})");
  ASSERT_EQ(iso.finished(garbage), "completed") << node.log();
  EXPECT_EQ(iso.hash(garbage).at("returnvalue"), R"({"wrote":1048576})");
  ASSERT_EQ(iso.finished(forked), "completed") << node.log();
  for (int i = 0; i < 3; ++i) {
    const std::string a = iso.add("pid");
    const std::string b = healthy.add("echo", R"({"value":1})");
    EXPECT_EQ(iso.finished(a), "completed") << node.log();
    EXPECT_EQ(healthy.finished(b), "completed") << node.log();
  }
  EXPECT_EQ(node.stop(SIGTERM, 20s), 0) << node.log();
}

}  // namespace
}  // namespace warren::test
