// `warren enqueue` and `warren status`, run as the built binary against a private redis-server.
// The --wait tests play the worker's part by writing what a worker writes (events, sets, fields).
#include "Command.h"
#include "Support.h"
#include "queue/Producer.h"

#include <iterator>
#include <sstream>

namespace warren::queue::testing {
namespace {

using warren::test::BackgroundProcess;
using warren::test::CommandResult;

const std::string kWarren = WARREN_TEST_BIN_DIR "/warren";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class ProducerCliTest : public RedisSuite {
 protected:
  std::vector<std::string> env(const std::vector<std::string>& extra = {}) const {
    auto e = warren::test::cleanEnvironment();
    e.push_back("REDIS_URL=" + server().url());
    e.insert(e.end(), extra.begin(), extra.end());
    return e;
  }
  CommandResult cli(std::vector<std::string> args) {
    args.insert(args.begin(), kWarren);
    return warren::test::run(args, env(), 60s);
  }
  // Starts `warren enqueue ... --wait` and returns once it printed the job id.
  std::unique_ptr<BackgroundProcess> startWaiting(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv = {kWarren, "enqueue", queueName(), "job", "--wait"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto process = std::make_unique<BackgroundProcess>(argv, env());
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (process->out().find('\n') == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(10ms);
    }
    return process;
  }
  static std::string firstLine(const std::string& text) { return text.substr(0, text.find('\n')); }
  // Finishes job `id` as a worker would (§4.6), with or without the event.
  void complete(const std::string& id, const std::string& value, bool event = true) {
    redis().command({"LREM", key("wait"), "0", id});
    redis().command({"ZADD", key("completed"), "1", id});
    redis().command({"HSET", key(id), "returnvalue", value, "finishedOn", "1"});
    if (event) {
      redis().command({"XADD", key("events"), "*", "event", "completed", "jobId", id, "returnvalue",
                       value, "prev", "active"});
    }
  }
};

TEST_F(ProducerCliTest, EnqueuePrintsOnlyTheJobId) {
  const auto result = cli({"enqueue", queueName(), "send-mail", "--data", R"({"to":"x"})"});
  EXPECT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out, "1\n");
  auto job = hash(key("1"));
  EXPECT_EQ(job["name"], "send-mail");
  EXPECT_EQ(job["data"], R"({"to":"x"})");
  EXPECT_EQ(list(key("wait")), std::vector<std::string>{"1"});
}

TEST_F(ProducerCliTest, EnqueueWithOptions) {
  const auto result = cli({"enqueue", queueName(), "n", "-o", R"({"jobId":"cli-1","priority":3})"});
  EXPECT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out, "cli-1\n");
  EXPECT_EQ(hash(key("cli-1"))["priority"], "3");
  EXPECT_EQ(redis().command({"ZCARD", key("prioritized")}).integer(), 1);
  EXPECT_EQ(hash(key("cli-1"))["data"], "{}") << "--data defaults to {}";
}

TEST_F(ProducerCliTest, BadDataIsAUsageError) {
  const auto result = cli({"enqueue", queueName(), "n", "--data", R"({"a":)"});
  EXPECT_EQ(result.exitCode, 64);
  EXPECT_EQ(result.out, "");
  EXPECT_TRUE(contains(result.err, "warren: job data is not valid JSON")) << result.err;
  EXPECT_EQ(redis().command({"EXISTS", key("id")}).integer(), 0) << "nothing was added";
}

TEST_F(ProducerCliTest, RefusedOptionIsAUsageError) {
  const auto result = cli({"enqueue", queueName(), "n", "--opts", R"({"jobId":"42"})"});
  EXPECT_EQ(result.exitCode, 64);
  EXPECT_EQ(result.err, "warren: Custom Id cannot be integers\n");
}

TEST_F(ProducerCliTest, MissingArgumentsAreAUsageError) {
  const auto result = cli({"enqueue", queueName()});
  EXPECT_EQ(result.exitCode, 64);
  EXPECT_TRUE(contains(result.err, "usage: warren enqueue QUEUE NAME")) << result.err;
  const auto badQueue = cli({"enqueue", "a:b", "n"});
  EXPECT_EQ(badQueue.exitCode, 64);
  EXPECT_TRUE(contains(badQueue.err, "contains ':'")) << badQueue.err;
}

TEST_F(ProducerCliTest, WithoutRedisUrlExitsWithConfigError) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{kWarren, "enqueue", "q", "n"},
        std::vector<std::string>{kWarren, "status"}}) {
    auto env = warren::test::cleanEnvironment();
    warren::test::TempDir data("warren-data");  // no embedded Redis runs there
    env.push_back("WARREN_DATA_DIR=" + data.path().string());
    const auto result = warren::test::run(args, env, 60s);
    EXPECT_EQ(result.exitCode, 78) << args[1];
    EXPECT_TRUE(contains(result.err, "REDIS_URL is not set; ")) << result.err;
  }
}

TEST_F(ProducerCliTest, UnreachableRedisExitsWithFailure) {
  const int port = warren::test::RedisServer::freePort();
  const auto result = warren::test::run(
      {kWarren, "enqueue", queueName(), "n"},
      {"PATH=/usr/bin:/bin", "REDIS_URL=redis://127.0.0.1:" + std::to_string(port)}, 60s);
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_TRUE(contains(result.err, "warren: cannot reach Redis")) << result.err;
}

TEST_F(ProducerCliTest, StatusShowsTheCountsOfTheGivenQueues) {
  Producer producer(redis(), "bull", queueName());
  producer.add("n", "{}", "{}");
  producer.add("n", "{}", "{}");
  producer.add("n", "{}", R"({"delay": 60000})");
  producer.add("n", "{}", R"({"priority": 1})");
  redis().command({"ZADD", key("failed"), "1", "f"});
  const auto result = cli({"status", queueName(), "empty-queue"});
  EXPECT_EQ(result.exitCode, 0) << result.err;
  std::istringstream lines(result.out);
  std::string header, row, empty;
  std::getline(lines, header);
  std::getline(lines, row);
  std::getline(lines, empty);
  EXPECT_TRUE(contains(header, "QUEUE")) << result.out;
  std::istringstream words(header);
  std::vector<std::string> columns{std::istream_iterator<std::string>(words), {}};
  EXPECT_EQ(columns, (std::vector<std::string>{"QUEUE", "WAITING", "ACTIVE", "COMPLETED", "FAILED",
                                               "DELAYED", "PRIORITIZED", "WAITING-CHILDREN"}));
  std::istringstream values(row);
  std::vector<std::string> cells{std::istream_iterator<std::string>(values), {}};
  EXPECT_EQ(cells, (std::vector<std::string>{queueName(), "2", "0", "0", "1", "1", "1", "0"}))
      << result.out;
  std::istringstream emptyValues(empty);
  std::vector<std::string> emptyCells{std::istream_iterator<std::string>(emptyValues), {}};
  EXPECT_EQ(emptyCells,
            (std::vector<std::string>{"empty-queue", "0", "0", "0", "0", "0", "0", "0"}));
  EXPECT_EQ(redis().command({"EXISTS", "bull:empty-queue:meta"}).integer(), 0)
      << "status writes nothing";
}

TEST_F(ProducerCliTest, StatusDiscoversTheQueuesOfThePrefix) {
  const std::vector<std::string> prefixEnv = {"REDIS_PREFIX=disc"};
  Producer a(redis(), "disc", "alpha");
  Producer b(redis(), "disc", "beta");
  a.add("n", "{}", "{}");
  b.add("n", "{}", "{}");
  b.add("n", "{}", "{}");
  redis().command({"HSET", "disc:x:y:meta", "k", "v"});  // not a queue's meta
  const auto result = warren::test::run({kWarren, "status"}, env(prefixEnv), 60s);
  EXPECT_EQ(result.exitCode, 0) << result.err;
  std::istringstream lines(result.out);
  std::string header, first, second, extra;
  std::getline(lines, header);
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_FALSE(std::getline(lines, extra)) << result.out;
  EXPECT_EQ(firstLine(first).substr(0, 6), "alpha ") << result.out;
  EXPECT_TRUE(contains(first, " 1 ")) << result.out;
  EXPECT_EQ(second.substr(0, 5), "beta ") << result.out;
  EXPECT_TRUE(contains(second, " 2 ")) << result.out;

  const auto none = warren::test::run({kWarren, "status"}, env({"REDIS_PREFIX=nothing"}), 60s);
  EXPECT_EQ(none.exitCode, 0) << none.err;
  EXPECT_EQ(none.out, "no queues found under prefix 'nothing'\n");
}

TEST_F(ProducerCliTest, WaitPrintsProgressThenTheReturnValue) {
  auto process = startWaiting({"--data", R"({"n":1})"});
  const std::string id = firstLine(process->out());
  ASSERT_EQ(id, "1") << process->err();
  redis().command({"XADD", key("events"), "*", "event", "progress", "jobId", "other", "data", "1"});
  redis().command({"XADD", key("events"), "*", "event", "progress", "jobId", id, "data", "50"});
  redis().command(
      {"XADD", key("events"), "*", "event", "progress", "jobId", id, "data", R"({"pct":90})"});
  complete(id, R"({"x":2})");
  EXPECT_EQ(process->stop(0, 15s), 0) << process->err();
  EXPECT_EQ(process->out(), "1\n{\"x\":2}\n");
  EXPECT_TRUE(contains(process->err(), "progress: 50\nprogress: {\"pct\":90}\n")) << process->err();
  EXPECT_FALSE(contains(process->err(), "progress: 1\n")) << "another job's progress";
}

TEST_F(ProducerCliTest, WaitReportsAFinalFailure) {
  auto process = startWaiting();
  const std::string id = firstLine(process->out());
  redis().command({"LREM", key("wait"), "0", id});
  redis().command({"ZADD", key("failed"), "1", id});
  redis().command({"HSET", key(id), "failedReason", "boom"});
  redis().command(
      {"XADD", key("events"), "*", "event", "failed", "jobId", id, "failedReason", "boom"});
  EXPECT_EQ(process->stop(0, 15s), 1);
  EXPECT_EQ(process->out(), id + "\n");
  EXPECT_TRUE(contains(process->err(), "failed: boom\n")) << process->err();
}

TEST_F(ProducerCliTest, WaitIgnoresAFailedEventWhileTheJobIsStillPending) {
  auto process = startWaiting();
  const std::string id = firstLine(process->out());
  // The job is still in wait (retried by hand, say): not over.
  redis().command(
      {"XADD", key("events"), "*", "event", "failed", "jobId", id, "failedReason", "once"});
  std::this_thread::sleep_for(1500ms);
  complete(id, "\"fine\"");
  EXPECT_EQ(process->stop(0, 15s), 0) << process->err();
  EXPECT_EQ(process->out(), id + "\n\"fine\"\n");
}

TEST_F(ProducerCliTest, WaitNoticesACompletionWhoseEventWasLost) {
  auto process = startWaiting();
  const std::string id = firstLine(process->out());
  complete(id, "[1,2]", /*event=*/false);  // e.g. trimmed from the stream
  EXPECT_EQ(process->stop(0, 15s), 0) << process->err();
  EXPECT_EQ(process->out(), id + "\n[1,2]\n");
}

TEST_F(ProducerCliTest, WaitEndsWhenTheJobVanishes) {
  auto process = startWaiting();
  const std::string id = firstLine(process->out());
  redis().command({"LREM", key("wait"), "0", id});
  redis().command({"DEL", key(id)});
  EXPECT_EQ(process->stop(0, 15s), 1);
  EXPECT_TRUE(contains(process->err(), "job " + id + " no longer exists")) << process->err();
}

TEST_F(ProducerCliTest, WaitOnADuplicateOfAFinishedJob) {
  Producer producer(redis(), "bull", queueName());
  producer.add("n", "{}", R"({"jobId": "done-1"})");
  complete("done-1", "\"earlier\"");
  const auto result =
      cli({"enqueue", queueName(), "n", "--opts", R"({"jobId":"done-1"})", "--wait"});
  EXPECT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out, "done-1\n\"earlier\"\n");
}

}  // namespace
}  // namespace warren::queue::testing
