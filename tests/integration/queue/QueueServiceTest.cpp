// The plugins' queue table (warren_queue_api, ABI 1.2) over a real redis-server: what each call
// returns, status and text, as a plugin sees it.
#include "RedisServer.h"
#include "plugins/HostApi.h"
#include "queue/QueueService.h"
#include "queue/RedisPool.h"
#include "redis/Connection.h"

#include <gtest/gtest.h>

namespace warren::queue {
namespace {

struct Answer {
  warren_status status;
  std::string text;  // the id, or the error
};

class QueueTable : public ::testing::Test {
 protected:
  Answer add(const char* queue, const char* name, const char* data, const char* opts) {
    warren_buffer id{};
    warren_buffer error{};
    const warren_status status =
        table_->add(nullptr, nullptr, queue, name, data, opts, &id, &error);
    return answer(status, id, error);
  }
  Answer upsert(const char* queue, const char* id, const char* repeat, const char* job) {
    warren_buffer none{};
    warren_buffer error{};
    return answer(table_->upsert_scheduler(nullptr, queue, id, repeat, job, &error), none, error);
  }
  static Answer answer(warren_status status, warren_buffer& value, warren_buffer& error) {
    Answer out{status, status == WARREN_OK ? std::string(value.data, value.len)
                                           : std::string(error.data, error.len)};
    plugins::hostApi()->buffer_free(&value);
    plugins::hostApi()->buffer_free(&error);
    return out;
  }

  test::RedisServer server_;
  std::shared_ptr<RedisPool> pool_ =
      std::make_shared<RedisPool>(redis::Url::parse(server_.url()), redis::ConnectionOptions{});
  std::unique_ptr<QueueService> service_ = std::make_unique<QueueService>(pool_, "bull");
  const warren_queue_api* table_ = service_->table();
};

TEST_F(QueueTable, AddsAJobAndGivesItsId) {
  EXPECT_EQ(table_->struct_size, sizeof(warren_queue_api));
  Answer r = add("next", "step", R"({"a":1})", nullptr);
  EXPECT_EQ(r.status, WARREN_OK);
  EXPECT_EQ(r.text, "1");
  r = add("next", "step", nullptr, R"({"jobId":"fixed"})");  // NULL data: {}
  EXPECT_EQ(r.text, "fixed");
  redis::Connection redis(redis::Url::parse(server_.url()));
  EXPECT_EQ(redis.command({"HGET", "bull:next:fixed", "data"}).str(), "{}");
  EXPECT_EQ(add("next", "step", "{}", R"({"jobId":"fixed"})").text, "fixed");
  EXPECT_EQ(redis.command({"LLEN", "bull:next:wait"}).integer(), 2);
}

TEST_F(QueueTable, RefusalsAreValuesWithTheirReason) {
  Answer r = add("a:b", "step", "{}", nullptr);
  EXPECT_EQ(r.status, WARREN_ERR_INVALID);
  EXPECT_EQ(r.text, "Queue name cannot contain :");
  r = add("next", "step", "[1]", nullptr);
  EXPECT_EQ(r.status, WARREN_ERR_INVALID);
  EXPECT_EQ(r.text, "job data must be a JSON object, e.g. {\"key\": \"value\"}");
  r = add("next", "step", "{}", R"({"parent":{"id":"7","queue":"bull:gone"}})");
  EXPECT_EQ(r.status, WARREN_ERR_NOT_FOUND);
  EXPECT_EQ(r.text, "adding a job to queue next failed: the parent job does not exist");
  r = upsert("next", "s", R"({"every":-1})", nullptr);
  EXPECT_EQ(r.status, WARREN_ERR_INVALID);
  EXPECT_EQ(r.text, "repeat.every must be a positive integer (milliseconds)");
}

TEST_F(QueueTable, UpsertsAScheduler) {
  const Answer r = upsert("next", "tick", R"({"every":1000})", R"({"name":"t"})");
  EXPECT_EQ(r.status, WARREN_OK) << r.text;
  redis::Connection redis(redis::Url::parse(server_.url()));
  EXPECT_EQ(redis.command({"HGET", "bull:next:repeat:tick", "name"}).str(), "t");
}

TEST_F(QueueTable, AServerThatIsGoneIsUnavailable) {
  server_.stop();
  const Answer r = add("next", "step", "{}", nullptr);
  EXPECT_EQ(r.status, WARREN_ERR_UNAVAILABLE);
  EXPECT_FALSE(r.text.empty());
}

TEST_F(QueueTable, APooledConnectionSurvivesARedisRestart) {
  ASSERT_EQ(add("next", "step", "{}", nullptr).status, WARREN_OK);  // leaves an idle connection
  server_.stop();
  server_.start();
  const Answer r = add("next", "step", "{}", nullptr);
  EXPECT_EQ(r.status, WARREN_OK) << r.text;
}

TEST_F(QueueTable, WithoutTheServiceTheTableSaysSo) {
  service_.reset();
  const Answer r = add("next", "step", "{}", nullptr);
  EXPECT_EQ(r.status, WARREN_ERR_UNAVAILABLE);
  EXPECT_EQ(r.text, "the host has no queue service");
}

}  // namespace
}  // namespace warren::queue
