// The C++ wrapper (plugin.hpp) against a fake host: trampolines, Job/Host accessors, the
// missing-service errors and the descriptor WARREN_PLUGIN emits.
#include "FakeHost.h"

#include <warren/plugin.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace warren::test {
namespace {

int g_destroyed = 0;
int g_sideEffects = 0;

// What the test plugin does is chosen by the job name.
class TestPlugin final : public warren::Plugin {
 public:
  explicit TestPlugin(const warren::Host& host) : warren::Plugin(host) {
    if (host.has("fail_construction"))
      throw std::runtime_error(host.getString("fail_construction"));
    if (host.has("throw_int")) throw 7;
  }
  ~TestPlugin() override { ++g_destroyed; }

  warren::Result handle(warren::Job& job) override {
    const std::string_view name = job.name();
    if (name == "complete") return warren::Result::completed("{\"ok\":true}");
    if (name == "complete_null") return warren::Result::completed();
    if (name == "retry") return warren::Result::retry("try again later");
    if (name == "fail") return warren::Result::fail("never again");
    if (name == "bad_json") return warren::Result::completed(kInvalidJson);
    if (name == "throw") throw std::out_of_range("index 9 out of range");
    if (name == "throw_int") throw 42;
    if (name == "progress") job.progress(33);
    if (name == "log") job.log("a line");
    // ABI 1.2
    if (name == "delay") return warren::Result::delayUntil(1796686582967, "the provider is busy");
    if (name == "rate_limited") return warren::Result::rateLimited(1796686583000);
    if (name == "cancel_reason") return warren::Result::completed(quoted(job.cancelReason()));
    if (name == "once") {
      return warren::Result::completed(job.once("charge", [] {
        ++g_sideEffects;
        return std::string("{\"receipt\":\"r-1\"}");
      }));
    }
    if (name == "enqueue") {
      warren_buffer id{};
      warren_buffer error{};
      const auto& queues = host().queues();
      queues.add(host().raw(), job.raw(), "next", "step", "{}", nullptr, &id, &error);
      host().api()->buffer_free(&error);
      return warren::Result::completed(quoted(host().take(id)));
    }
    return warren::Result::completed("\"done\"");
  }

 private:
  static std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }
};

const char* const kJobs[] = {"complete", "prefix:*"};
const warren_config_key kKeys[] = {
    warren::configKey("url", WARREN_CONFIG_STRING, nullptr, true, "where to go"),
    warren::configKey("limit", WARREN_CONFIG_INT, "5", false, "how many"),
};
const warren_job_type kJobTypes[] = {
    warren::jobType("complete", "Completes", R"({"type":"object"})", nullptr),
};
const warren_migration kMigrations[] = {
    warren::migration(1, "create_things", "CREATE TABLE things (id BIGSERIAL)",
                      "CREATE TABLE things (id INTEGER)"),
};

}  // namespace
}  // namespace warren::test

WARREN_PLUGIN_EX(warren::test::TestPlugin, "test_plugin", "9.8.7", warren::test::kJobs,
                 WARREN_RESOURCE_CPU, 3u << 20, 6, warren::test::kKeys, warren::test::kJobTypes,
                 warren::test::kMigrations)

namespace warren::test {
namespace {

class WrapperTest : public ::testing::Test {
 protected:
  // Runs init; returns its status and leaves the state in state_.
  warren_status init(char* error = nullptr, std::size_t errorLen = 0) {
    char local[256] = {0};
    if (error == nullptr) {
      error = local;
      errorLen = sizeof local;
    }
    const warren_status status = descriptor_->init(&api_, &host_, &state_, error, errorLen);
    lastError_ = error;
    return status;
  }
  warren_job_outcome handle(const std::string& name) {
    job_.name = name;
    return descriptor_->handle(state_, &jobHandle_);
  }
  void TearDown() override {
    if (state_ != nullptr) descriptor_->shutdown(state_);
  }

  const warren_plugin_descriptor* descriptor_ = warren_plugin_entry();
  warren_host_api api_ = fakeHostApi();
  FakeHostState hostState_;
  warren_host host_{&hostState_};
  FakeJob job_;
  warren_job jobHandle_{&job_};
  warren_plugin_state* state_ = nullptr;
  std::string lastError_;
};

TEST_F(WrapperTest, MacroEmitsTheDeclaredDescriptor) {
  const warren_plugin_descriptor& d = *descriptor_;
  EXPECT_EQ(d.magic, WARREN_ABI_MAGIC);
  EXPECT_EQ(d.struct_size, sizeof(warren_plugin_descriptor));
  EXPECT_EQ(d.abi_major, WARREN_ABI_MAJOR);
  EXPECT_EQ(d.abi_minor, WARREN_ABI_MINOR);
  EXPECT_STREQ(d.name, "test_plugin");
  EXPECT_STREQ(d.version, "9.8.7");
  ASSERT_EQ(d.job_name_count, 2u);
  EXPECT_STREQ(d.job_names[0], "complete");
  EXPECT_STREQ(d.job_names[1], "prefix:*");
  EXPECT_EQ(d.resource_class, WARREN_RESOURCE_CPU);
  EXPECT_EQ(d.memory_per_job_bytes, 3u << 20);
  EXPECT_EQ(d.default_concurrency, 6u);
  ASSERT_EQ(d.config_key_count, 2u);
  EXPECT_EQ(d.config_keys[0].struct_size, sizeof(warren_config_key));
  EXPECT_STREQ(d.config_keys[0].name, "url");
  EXPECT_EQ(d.config_keys[0].type, WARREN_CONFIG_STRING);
  EXPECT_EQ(d.config_keys[0].default_value, nullptr);
  EXPECT_EQ(d.config_keys[0].required, 1u);
  EXPECT_STREQ(d.config_keys[0].description, "where to go");
  EXPECT_STREQ(d.config_keys[1].default_value, "5");
  EXPECT_EQ(d.config_keys[1].required, 0u);
  EXPECT_NE(d.init, nullptr);
  EXPECT_NE(d.handle, nullptr);
  EXPECT_NE(d.shutdown, nullptr);
  EXPECT_EQ(warren_plugin_entry(), descriptor_) << "the descriptor is static, not rebuilt";
  // ABI 1.2 (WARREN_PLUGIN_EX): the contract.
  ASSERT_EQ(d.job_type_count, 1u);
  EXPECT_EQ(d.job_types[0].struct_size, sizeof(warren_job_type));
  EXPECT_STREQ(d.job_types[0].name, "complete");
  EXPECT_STREQ(d.job_types[0].summary, "Completes");
  EXPECT_STREQ(d.job_types[0].data_schema, R"({"type":"object"})");
  EXPECT_EQ(d.job_types[0].result_schema, nullptr);
  ASSERT_EQ(d.migration_count, 1u);
  EXPECT_EQ(d.migrations[0].struct_size, sizeof(warren_migration));
  EXPECT_EQ(d.migrations[0].version, 1u);
  EXPECT_STREQ(d.migrations[0].name, "create_things");
  EXPECT_STREQ(d.migrations[0].sqlite, "CREATE TABLE things (id INTEGER)");
}

TEST_F(WrapperTest, NoConfigArrayMeansNoKeys) {
  EXPECT_EQ(warren::detail::countOf(nullptr), 0u);
  EXPECT_EQ(warren::detail::firstOf(nullptr), nullptr);
}

TEST_F(WrapperTest, InitCreatesThePluginAndShutdownDestroysIt) {
  ASSERT_EQ(init(), WARREN_OK);
  ASSERT_NE(state_, nullptr);
  const int before = g_destroyed;
  descriptor_->shutdown(state_);
  state_ = nullptr;
  EXPECT_EQ(g_destroyed, before + 1);
}

TEST_F(WrapperTest, ConstructorExceptionBecomesTheInitError) {
  hostState_.config = {{"fail_construction", "no licence"}};
  EXPECT_EQ(init(), WARREN_ERR_INTERNAL);
  EXPECT_EQ(lastError_, "no licence");
  EXPECT_EQ(state_, nullptr);
}

TEST_F(WrapperTest, NonStandardConstructorExceptionIsReported) {
  hostState_.config = {{"throw_int", "1"}};
  EXPECT_EQ(init(), WARREN_ERR_INTERNAL);
  EXPECT_EQ(lastError_, "unknown exception in plugin constructor");
}

TEST_F(WrapperTest, InitErrorIsTruncatedToTheHostBuffer) {
  hostState_.config = {{"fail_construction", "a rather long reason"}};
  char small[8];
  std::memset(small, 'x', sizeof small);
  EXPECT_EQ(init(small, sizeof small), WARREN_ERR_INTERNAL);
  EXPECT_EQ(std::string(small), "a rathe");  // 7 characters and the NUL
}

TEST_F(WrapperTest, CompletedSetsTheResult) {
  ASSERT_EQ(init(), WARREN_OK);
  EXPECT_EQ(handle("complete"), WARREN_JOB_COMPLETED);
  EXPECT_EQ(job_.result, "{\"ok\":true}");
  EXPECT_FALSE(job_.error);
}

TEST_F(WrapperTest, CompletedWithoutValueIsNull) {
  ASSERT_EQ(init(), WARREN_OK);
  EXPECT_EQ(handle("complete_null"), WARREN_JOB_COMPLETED);
  EXPECT_EQ(job_.result, "null");
}

TEST_F(WrapperTest, RetryAndFailSetTheMessageAndOutcome) {
  ASSERT_EQ(init(), WARREN_OK);
  EXPECT_EQ(handle("retry"), WARREN_JOB_FAILED_RETRYABLE);
  EXPECT_EQ(job_.error, "try again later");
  EXPECT_EQ(handle("fail"), WARREN_JOB_FAILED_UNRECOVERABLE);
  EXPECT_EQ(job_.error, "never again");
  EXPECT_FALSE(job_.result);
}

TEST_F(WrapperTest, ResultTheHostRefusesFailsTheJob) {
  ASSERT_EQ(init(), WARREN_OK);
  EXPECT_EQ(handle("bad_json"), WARREN_JOB_FAILED_RETRYABLE);
  EXPECT_EQ(job_.error, "plugin returned a value that is not valid JSON");
}

TEST_F(WrapperTest, ExceptionFromHandleFailsRetryableWithItsMessage) {
  ASSERT_EQ(init(), WARREN_OK);
  EXPECT_EQ(handle("throw"), WARREN_JOB_FAILED_RETRYABLE);
  EXPECT_EQ(job_.error, "unhandled exception: index 9 out of range");
}

TEST_F(WrapperTest, NonStandardExceptionFromHandleFailsRetryable) {
  ASSERT_EQ(init(), WARREN_OK);
  EXPECT_EQ(handle("throw_int"), WARREN_JOB_FAILED_RETRYABLE);
  EXPECT_EQ(job_.error, "unhandled exception of unknown type");
}

TEST_F(WrapperTest, RefusedProgressBecomesAFailedJob) {
  ASSERT_EQ(init(), WARREN_OK);
  job_.refuseSinks = true;
  EXPECT_EQ(handle("progress"), WARREN_JOB_FAILED_RETRYABLE);
  EXPECT_EQ(job_.error, "unhandled exception: progress was refused by the host");
  EXPECT_EQ(handle("log"), WARREN_JOB_FAILED_RETRYABLE);
  EXPECT_EQ(job_.error, "unhandled exception: job log was refused by the host");
}

// ---- Job and Host accessors ----

TEST_F(WrapperTest, JobReadsEveryFieldFromTheTable) {
  job_.data = "{\"a\":1}";
  job_.id = "id-7";
  job_.name = "name-7";
  job_.queue = "queue-7";
  job_.attempt = 3;
  job_.deadlineMs = 1700000000000;
  job_.cancelled = true;
  warren::Job job(&api_, &jobHandle_);
  EXPECT_EQ(job.data(), "{\"a\":1}");
  EXPECT_EQ(job.id(), "id-7");
  EXPECT_EQ(job.name(), "name-7");
  EXPECT_EQ(job.queue(), "queue-7");
  EXPECT_EQ(job.attempt(), 3u);
  EXPECT_EQ(job.deadlineMs(), 1700000000000);
  EXPECT_TRUE(job.cancelled());
  EXPECT_EQ(job.raw(), &jobHandle_);
}

TEST_F(WrapperTest, JobWaitPassesMillisecondsAndClampsNegatives) {
  warren::Job job(&api_, &jobHandle_);
  EXPECT_FALSE(job.waitCancelled(std::chrono::milliseconds(250)));
  EXPECT_FALSE(job.waitCancelled(std::chrono::milliseconds(-5)));
  job_.cancelled = true;
  EXPECT_TRUE(job.waitCancelled(std::chrono::seconds(2)));
  EXPECT_EQ(job_.waits, (std::vector<std::uint32_t>{250, 0, 2000}));
}

TEST_F(WrapperTest, JobProgressAndLogReachTheHost) {
  warren::Job job(&api_, &jobHandle_);
  job.progress(33);
  job.progressJson("{\"step\":\"upload\"}");
  job.log("line one");
  EXPECT_EQ(job_.progress, (std::vector<std::string>{"33", "{\"step\":\"upload\"}"}));
  EXPECT_EQ(job_.logs, (std::vector<std::string>{"line one"}));
}

TEST_F(WrapperTest, RefusedSinkThrowsServiceErrorWithTheStatus) {
  job_.refuseSinks = true;
  warren::Job job(&api_, &jobHandle_);
  try {
    job.log("x");
    FAIL() << "expected ServiceError";
  } catch (const warren::ServiceError& e) {
    EXPECT_EQ(e.code(), WARREN_ERR_UNAVAILABLE);
    EXPECT_STREQ(e.what(), "job log was refused by the host");
  }
}

TEST_F(WrapperTest, HostConfigGettersConvertAndFallBack) {
  hostState_.config = {{"name", "warren"}, {"count", "-12"}, {"ratio", "0.25"}, {"on", "true"},
                       {"one", "1"},       {"yes", "yes"},   {"off", "false"}};
  const warren::Host host(&api_, &host_);
  EXPECT_TRUE(host.has("name"));
  EXPECT_FALSE(host.has("missing"));
  EXPECT_EQ(host.getString("name"), "warren");
  EXPECT_EQ(host.getString("missing", "fallback"), "fallback");
  EXPECT_EQ(host.getInt("count"), -12);
  EXPECT_EQ(host.getInt("missing", 99), 99);
  EXPECT_DOUBLE_EQ(host.getDouble("ratio"), 0.25);
  EXPECT_TRUE(host.getBool("on"));
  EXPECT_TRUE(host.getBool("one"));
  EXPECT_TRUE(host.getBool("yes"));
  EXPECT_FALSE(host.getBool("off"));
  EXPECT_TRUE(host.getBool("missing", true));
}

TEST_F(WrapperTest, HostLogsWithLevels) {
  const warren::Host host(&api_, &host_);
  host.info("hello");
  host.warn("careful");
  host.error("broken");
  EXPECT_TRUE(host.logEnabled(WARREN_LOG_INFO));
  EXPECT_FALSE(host.logEnabled(WARREN_LOG_DEBUG));
  ASSERT_EQ(hostState_.logLines.size(), 3u);
  EXPECT_EQ(hostState_.logLines[0], std::make_pair(WARREN_LOG_INFO, std::string("hello")));
  EXPECT_EQ(hostState_.logLines[1], std::make_pair(WARREN_LOG_WARN, std::string("careful")));
  EXPECT_EQ(hostState_.logLines[2], std::make_pair(WARREN_LOG_ERROR, std::string("broken")));
}

TEST_F(WrapperTest, HostMetricsPassNameLabelsAndValue) {
  const warren::Host host(&api_, &host_);
  host.counter("jobs_total", {{"queue", "q1"}, {"result", "ok"}});
  host.gauge("depth", {}, 4);
  host.observe("seconds", {{"queue", "q1"}}, 0.5);
  EXPECT_EQ(
      hostState_.metrics,
      (std::vector<std::string>{"counter jobs_total{queue=q1,result=ok} 1.000000",
                                "gauge depth{} 4.000000", "histogram seconds{queue=q1} 0.500000"}));
}

TEST_F(WrapperTest, RefusedMetricThrowsServiceError) {
  hostState_.metricStatus = WARREN_ERR_INVALID;
  const warren::Host host(&api_, &host_);
  try {
    host.counter("bad name", {});
    FAIL() << "expected ServiceError";
  } catch (const warren::ServiceError& e) {
    EXPECT_EQ(e.code(), WARREN_ERR_INVALID);
    EXPECT_STREQ(e.what(), "metric 'bad name' was refused by the host");
  }
}

TEST_F(WrapperTest, TakeCopiesAndFreesAHostBuffer) {
  const warren::Host host(&api_, &host_);
  warren_buffer buffer{static_cast<char*>(std::malloc(6)), 5};
  std::memcpy(buffer.data, "hello", 6);
  EXPECT_EQ(host.take(buffer), "hello");
  EXPECT_EQ(buffer.data, nullptr);
  warren_buffer empty{nullptr, 0};
  EXPECT_EQ(host.take(empty), "");
}

// ---- services the host does not provide ----

std::string unavailableMessage(const std::function<void()>& call) {
  try {
    call();
  } catch (const warren::ServiceUnavailable& e) {
    return e.what();
  }
  return "no exception";
}

TEST_F(WrapperTest, NullServicesThrowServiceUnavailable) {
  const warren::Host host(&api_, &host_);
  EXPECT_EQ(unavailableMessage([&] { (void)host.http(); }),
            "the host provides no http service (it is NULL in the host's service table)");
  EXPECT_EQ(unavailableMessage([&] { (void)host.db(); }),
            "the host provides no database service (it is NULL in the host's service table)");
  EXPECT_EQ(unavailableMessage([&] { (void)host.storage(); }),
            "the host provides no object storage service (it is NULL in the host's service table)");
}

TEST_F(WrapperTest, ServiceBeyondAnOlderHostsTableIsUnavailable) {
  // An older host whose table ends before `http`: whatever lies past struct_size is not read.
  static const warren_http_api http = {sizeof(warren_http_api), nullptr};
  api_.http = &http;
  api_.struct_size = static_cast<std::uint32_t>(offsetof(warren_host_api, http));
  const warren::Host host(&api_, &host_);
  EXPECT_THROW((void)host.http(), warren::ServiceUnavailable);
  api_.struct_size = sizeof(warren_host_api);
  EXPECT_EQ(&host.http(), &http);
}

// ---- ABI 1.2 ----

TEST_F(WrapperTest, DelayUntilAndRateLimitedSetTheTimeAndTheReason) {
  ASSERT_EQ(init(), WARREN_OK);
  EXPECT_EQ(handle("delay"), WARREN_JOB_DELAYED);
  EXPECT_EQ(job_.retryAt, 1796686582967);
  EXPECT_EQ(job_.error, "the provider is busy");
  job_ = FakeJob{};
  EXPECT_EQ(handle("rate_limited"), WARREN_JOB_RATE_LIMITED);
  EXPECT_EQ(job_.retryAt, 1796686583000);
  EXPECT_EQ(job_.error, "");
  const warren::Result result = warren::Result::delayUntil(5, "x");
  EXPECT_EQ(result.retryAtMs(), 5);
  EXPECT_EQ(warren::Result::retry("y").retryAtMs(), 0);
}

TEST_F(WrapperTest, CancelReasonComesFromTheHostAndIsEmptyOnAnOlderOne) {
  ASSERT_EQ(init(), WARREN_OK);
  job_.cancelReason = "reload deadline";
  EXPECT_EQ(handle("cancel_reason"), WARREN_JOB_COMPLETED);
  EXPECT_EQ(job_.result, "\"reload deadline\"");
  // A 1.1 host's job table ends before cancel_reason.
  warren_job_api older = *api_.job;
  older.struct_size = static_cast<std::uint32_t>(offsetof(warren_job_api, set_retry_at));
  api_.job = &older;
  EXPECT_EQ(handle("cancel_reason"), WARREN_JOB_COMPLETED);
  EXPECT_EQ(job_.result, "\"\"");
}

TEST_F(WrapperTest, OnceRunsTheSideEffectOnceAndReturnsWhatWasRecorded) {
  ASSERT_EQ(init(), WARREN_OK);
  const int before = g_sideEffects;
  EXPECT_EQ(handle("once"), WARREN_JOB_COMPLETED);
  EXPECT_EQ(job_.result, R"({"receipt":"r-1"})");
  EXPECT_EQ(job_.ledger.at("charge"), R"({"receipt":"r-1"})");
  EXPECT_EQ(job_.ledgerTtls, std::vector<std::uint32_t>{7 * 24 * 3600});
  // The job runs again (a retry, a stall): the record is found, the side effect skipped.
  job_.result.reset();
  EXPECT_EQ(handle("once"), WARREN_JOB_COMPLETED);
  EXPECT_EQ(job_.result, R"({"receipt":"r-1"})");
  EXPECT_EQ(g_sideEffects, before + 1);
}

TEST_F(WrapperTest, OnceFailsTheJobWhenTheLedgerCannotBeUsed) {
  ASSERT_EQ(init(), WARREN_OK);
  const int before = g_sideEffects;
  job_.ledgerStatus = WARREN_ERR_UNAVAILABLE;
  EXPECT_EQ(handle("once"), WARREN_JOB_FAILED_RETRYABLE);
  EXPECT_EQ(job_.error, "unhandled exception: idempotency ledger read was refused by the host");
  EXPECT_EQ(g_sideEffects, before) << "no side effect without a ledger to record it";
  warren_job_api none = *api_.job;
  none.once_get = nullptr;
  api_.job = &none;
  EXPECT_EQ(handle("once"), WARREN_JOB_FAILED_RETRYABLE);
  EXPECT_EQ(job_.error,
            "unhandled exception: the host provides no idempotency ledger service (it is NULL in "
            "the host's service table)");
}

TEST_F(WrapperTest, QueuesIsTheHostsQueueTable) {
  ASSERT_EQ(init(), WARREN_OK);
  EXPECT_EQ(handle("enqueue"), WARREN_JOB_FAILED_RETRYABLE);
  EXPECT_EQ(job_.error,
            "unhandled exception: the host provides no queue service (it is NULL in the host's "
            "service table)");
  api_.queue = fakeQueueApi();
  EXPECT_EQ(handle("enqueue"), WARREN_JOB_COMPLETED);
  EXPECT_EQ(job_.result, "\"id-1\"");
  EXPECT_EQ(hostState_.queueCalls, std::vector<std::string>{"add next step {} NULL"});
}

}  // namespace
}  // namespace warren::test
