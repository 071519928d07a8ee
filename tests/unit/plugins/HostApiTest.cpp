// The host's service table as a plugin sees it: what is provided, what is NULL, and how each
// job function treats bad input.
#include "Jobs.h"
#include "Paths.h"

#include "metrics/Registry.h"
#include "plugins/HostApi.h"
#include "plugins/Library.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <stdexcept>

namespace warren::test {
namespace {

using Clock = std::chrono::steady_clock;

TEST(HostApi, DeclaresItsVersionAndSizes) {
  const warren_host_api* api = plugins::hostApi();
  EXPECT_EQ(api->struct_size, sizeof(warren_host_api));
  EXPECT_EQ(api->abi_major, WARREN_ABI_MAJOR);
  EXPECT_EQ(api->abi_minor, WARREN_ABI_MINOR);
  EXPECT_STREQ(api->host_version, WARREN_VERSION);
  ASSERT_NE(api->log, nullptr);
  ASSERT_NE(api->metrics, nullptr);
  ASSERT_NE(api->config, nullptr);
  ASSERT_NE(api->job, nullptr);
  EXPECT_EQ(api->log->struct_size, sizeof(warren_log_api));
  EXPECT_EQ(api->metrics->struct_size, sizeof(warren_metrics_api));
  EXPECT_EQ(api->config->struct_size, sizeof(warren_config_api));
  EXPECT_EQ(api->job->struct_size, sizeof(warren_job_api));
  EXPECT_NE(api->buffer_free, nullptr);
}

TEST(HostApi, HttpDatabaseAndStorageAreNotProvidedYet) {
  const warren_host_api* api = plugins::hostApi();
  EXPECT_EQ(api->http, nullptr);
  EXPECT_EQ(api->db, nullptr);
  EXPECT_EQ(api->storage, nullptr);
}

TEST(HostApi, BufferFreeReleasesAndEmpties) {
  warren_buffer buffer{static_cast<char*>(std::malloc(4)), 3};
  std::memcpy(buffer.data, "abc", 4);
  plugins::hostApi()->buffer_free(&buffer);
  EXPECT_EQ(buffer.data, nullptr);
  EXPECT_EQ(buffer.len, 0u);
  warren_buffer empty{nullptr, 0};
  plugins::hostApi()->buffer_free(&empty);  // an empty buffer may be freed
  plugins::hostApi()->buffer_free(nullptr);
}

class HostJobApi : public ::testing::Test {
 protected:
  warren_status setResult(const std::string& json) {
    return api_->set_result(&job_, json.data(), json.size());
  }
  warren_status progress(const std::string& json) {
    return api_->progress(&job_, json.data(), json.size());
  }
  const warren_job_api* api_ = plugins::hostApi()->job;
  std::vector<std::string> progressSeen_;
  bool acceptProgress_ = true;
  plugins::JobContext context_{jobInput("name", R"({"a":1})"),
                               plugins::JobSinks{[this](const std::string& json) {
                                                   progressSeen_.push_back(json);
                                                   return acceptProgress_;
                                                 },
                                                 nullptr, nullptr}};
  warren_job job_{&context_};
};

TEST_F(HostJobApi, SetResultAcceptsOnlyJson) {
  EXPECT_EQ(setResult("{\"ok\":true}"), WARREN_OK);
  EXPECT_EQ(context_.result(), "{\"ok\":true}");
  EXPECT_EQ(setResult("{not json"), WARREN_ERR_INVALID);
  EXPECT_EQ(setResult(""), WARREN_ERR_INVALID);
  EXPECT_EQ(api_->set_result(&job_, nullptr, 0), WARREN_ERR_INVALID);
  EXPECT_EQ(context_.result(), "{\"ok\":true}") << "a refused result leaves the last one";
}

TEST_F(HostJobApi, SetResultAcceptsAnyJsonValueButOnlyOne) {
  for (const char* value : {"7", "-1.5e3", "\"text\"", "null", "true", " [] ", "{}"}) {
    EXPECT_EQ(setResult(value), WARREN_OK) << value;
    EXPECT_EQ(context_.result(), value);
  }
  for (const char* value : {"1,2", "1 2", "1],[2", "[1]]", "nul", "'single'"}) {
    EXPECT_EQ(setResult(value), WARREN_ERR_INVALID) << value;
  }
}

TEST_F(HostJobApi, SetResultHonoursTheLengthNotTheTerminator) {
  const char text[] = "[1,2]garbage";
  EXPECT_EQ(api_->set_result(&job_, text, 5), WARREN_OK);
  EXPECT_EQ(context_.result(), "[1,2]");
}

TEST_F(HostJobApi, ProgressMustBeJsonAndRespectsTheSink) {
  EXPECT_EQ(progress("42"), WARREN_OK);
  EXPECT_EQ(progress("{\"stage\":\"upload\"}"), WARREN_OK);
  EXPECT_EQ(progress("forty"), WARREN_ERR_INVALID);
  acceptProgress_ = false;
  EXPECT_EQ(progress("43"), WARREN_ERR_UNAVAILABLE);
  EXPECT_EQ(progressSeen_, (std::vector<std::string>{"42", "{\"stage\":\"upload\"}", "43"}));
}

TEST_F(HostJobApi, LogWithoutSinkIsAccepted) {
  EXPECT_EQ(api_->log(&job_, "line", 4), WARREN_OK);
  EXPECT_EQ(api_->log(&job_, nullptr, 0), WARREN_ERR_INVALID);
}

TEST_F(HostJobApi, ErrorIsCopiedWithItsLength) {
  EXPECT_EQ(api_->set_error(&job_, "broken pipe!", 6), WARREN_OK);
  EXPECT_EQ(context_.error(), "broken");
}

TEST_F(HostJobApi, DataIsTheJobsJson) {
  std::size_t len = 0;
  const char* data = api_->data(&job_, &len);
  EXPECT_EQ(std::string(data, len), R"({"a":1})");
  EXPECT_EQ(data[len], '\0');
}

TEST_F(HostJobApi, WaitCancelledTimesOutThenSeesCancel) {
  const auto begin = Clock::now();
  EXPECT_EQ(api_->wait_cancelled(&job_, 30), 0);
  EXPECT_GE(Clock::now() - begin, std::chrono::milliseconds(30));
  EXPECT_EQ(api_->is_cancelled(&job_), 0);
  context_.cancel("test");
  EXPECT_EQ(api_->is_cancelled(&job_), 1);
  const auto again = Clock::now();
  EXPECT_EQ(api_->wait_cancelled(&job_, 60000), 1);
  EXPECT_LT(Clock::now() - again, std::chrono::seconds(1));
}

TEST_F(HostJobApi, CancelReasonIsEmptyUntilCancelledThenTheFirstReason) {
  ASSERT_GE(api_->struct_size, offsetof(warren_job_api, cancel_reason) + sizeof(void*));
  EXPECT_STREQ(api_->cancel_reason(&job_), "");
  context_.cancel("timeout");
  context_.cancel("shutdown");  // a later reason does not replace the first
  EXPECT_STREQ(api_->cancel_reason(&job_), "timeout");
}

TEST_F(HostJobApi, SetRetryAtIsKeptForTheOutcome) {
  EXPECT_FALSE(context_.retryAt().has_value());
  EXPECT_EQ(api_->set_retry_at(&job_, 1796686582967), WARREN_OK);
  EXPECT_EQ(context_.retryAt(), 1796686582967);
}

// An in-memory ledger that can be made to fail, as Redis can.
class MemoryLedger final : public plugins::OnceLedger {
 public:
  std::optional<std::string> get(const plugins::JobInput& job, std::string_view key) override {
    if (down) throw std::runtime_error("connection refused");
    const auto it = entries.find(job.id + "/" + std::string(key));
    if (it == entries.end()) return std::nullopt;
    return it->second;
  }
  void put(const plugins::JobInput& job, std::string_view key, std::string_view value,
           std::uint32_t ttl) override {
    if (down) throw std::runtime_error("connection refused");
    entries[job.id + "/" + std::string(key)] = std::string(value);
    ttls.push_back(ttl);
  }
  std::map<std::string, std::string> entries;
  std::vector<std::uint32_t> ttls;
  bool down = false;
};

class HostOnceApi : public ::testing::Test {
 protected:
  warren_status get(const std::string& key, std::string* value = nullptr) {
    warren_buffer buffer{};
    const warren_status status = api_->once_get(&job_, key.data(), key.size(), &buffer);
    if (value != nullptr && buffer.data != nullptr) *value = std::string(buffer.data, buffer.len);
    plugins::hostApi()->buffer_free(&buffer);
    return status;
  }
  warren_status put(const std::string& key, const std::string& value, std::uint32_t ttl = 60) {
    return api_->once_put(&job_, key.data(), key.size(), value.data(), value.size(), ttl);
  }
  const warren_job_api* api_ = plugins::hostApi()->job;
  std::shared_ptr<MemoryLedger> ledger_ = std::make_shared<MemoryLedger>();
  plugins::JobContext context_{jobInput("name"), plugins::JobSinks{nullptr, nullptr, ledger_}};
  warren_job job_{&context_};
};

TEST_F(HostOnceApi, NotFoundUntilRecordedThenTheRecordedJson) {
  EXPECT_EQ(get("charge"), WARREN_ERR_NOT_FOUND);
  EXPECT_EQ(put("charge", R"({"receipt":"r-1"})", 3600), WARREN_OK);
  std::string value;
  EXPECT_EQ(get("charge", &value), WARREN_OK);
  EXPECT_EQ(value, R"({"receipt":"r-1"})");
  EXPECT_EQ(ledger_->ttls, std::vector<std::uint32_t>{3600});
  EXPECT_EQ(get("other"), WARREN_ERR_NOT_FOUND);
}

TEST_F(HostOnceApi, RefusesBadArguments) {
  EXPECT_EQ(put("", "1"), WARREN_ERR_INVALID);
  EXPECT_EQ(put("k", "not json"), WARREN_ERR_INVALID);
  EXPECT_EQ(put("k", "1", 0), WARREN_ERR_INVALID);
  EXPECT_EQ(api_->once_get(&job_, nullptr, 0, nullptr), WARREN_ERR_INVALID);
  EXPECT_TRUE(ledger_->entries.empty());
}

TEST_F(HostOnceApi, ALedgerThatCannotBeReachedIsUnavailable) {
  ledger_->down = true;
  EXPECT_EQ(get("charge"), WARREN_ERR_UNAVAILABLE);
  EXPECT_EQ(put("charge", "1"), WARREN_ERR_UNAVAILABLE);
}

TEST(HostOnceApiWithoutLedger, IsUnavailable) {
  plugins::JobContext context(jobInput("name"), {});
  const warren_job job{&context};
  warren_buffer buffer{};
  EXPECT_EQ(plugins::hostApi()->job->once_get(&job, "k", 1, &buffer), WARREN_ERR_UNAVAILABLE);
  EXPECT_EQ(plugins::hostApi()->job->once_put(&job, "k", 1, "1", 1, 10), WARREN_ERR_UNAVAILABLE);
}

TEST(HostMetricsApi, RecordsValidAndRefusesInvalid) {
  plugins::Instance echo(plugins::Library::load(builtPlugin("echo")), {}, "metrics");
  const warren_host host{&echo};
  const warren_metrics_api* m = plugins::hostApi()->metrics;
  const warren_pair labels[] = {{"queue", "metrics"}};
  const double before = metrics::registry().value("hostapi_test_total", {{"queue", "metrics"}});
  EXPECT_EQ(m->counter_add(&host, "hostapi_test_total", labels, 1, 2.0), WARREN_OK);
  EXPECT_EQ(metrics::registry().value("hostapi_test_total", {{"queue", "metrics"}}), before + 2);
  EXPECT_EQ(m->gauge_set(&host, "hostapi_test_gauge", nullptr, 0, -3.5), WARREN_OK);
  EXPECT_EQ(metrics::registry().value("hostapi_test_gauge", {}), -3.5);
  EXPECT_EQ(m->histogram_observe(&host, "hostapi_test_seconds", labels, 1, 0.2), WARREN_OK);

  const warren_pair nullValue[] = {{"queue", nullptr}};
  EXPECT_EQ(m->counter_add(&host, "hostapi_test_total", nullValue, 1, 1.0), WARREN_ERR_INVALID);
  EXPECT_EQ(m->counter_add(&host, "bad name", nullptr, 0, 1.0), WARREN_ERR_INVALID);
  EXPECT_EQ(m->counter_add(&host, nullptr, nullptr, 0, 1.0), WARREN_ERR_INVALID);
  EXPECT_EQ(m->counter_add(&host, "hostapi_test_total", labels, 1, -1.0), WARREN_ERR_INVALID);
  EXPECT_EQ(m->gauge_set(&host, "hostapi_test_total", labels, 1, 1.0), WARREN_ERR_INVALID)
      << "a counter's name cannot be reused for a gauge";
}

TEST(HostConfigApi, ReturnsValidatedValuesOrNull) {
  plugins::Instance echo(plugins::Library::load(builtPlugin("echo")), {{"log_prefix", "> "}},
                         "config");
  const warren_host host{&echo};
  const warren_config_api* config = plugins::hostApi()->config;
  EXPECT_STREQ(config->get(&host, "log_prefix"), "> ");
  EXPECT_EQ(config->get(&host, "missing"), nullptr);
  EXPECT_EQ(config->get(&host, nullptr), nullptr);
}

}  // namespace
}  // namespace warren::test
