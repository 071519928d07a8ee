// The publish plugin: post:publish (queue post-publish), analytics:collect (queue
// analytics-collect), and the operator's accounts:* jobs (in-process only, see
// admin/AccountJobs.h). Descriptor, config and dispatch; the work is in publish/, analytics/,
// admin/, platforms/ and store/.
#include "Context.h"
#include "Settings.h"
#include "admin/AccountJobs.h"
#include "analytics/Collector.h"
#include "publish/Publisher.h"

#include "db/PostsTable.h"

#include "publish_embedded.h"

#include <warren/plugin.hpp>

#include <memory>
#include <stdexcept>
#include <string>

namespace publish {
namespace {

class PublishPlugin final : public warren::Plugin {
 public:
  explicit PublishPlugin(const warren::Host& host)
      : warren::Plugin(host),
        context_(std::make_unique<Context>(host, settingsOf(host))),
        publisher_(*context_),
        collector_(*context_) {
    analytics::scheduleCollection(host, context_->settings);
  }

  warren::Result handle(warren::Job& job) override {
    const std::string_view name = job.name();
    if (name == "post:publish") return supported(job, publisher_.run(job));
    if (name == "analytics:collect") return supported(job, collector_.run(job));
    if (isAccountJob(name)) return runAccountJob(*context_, job);
    return warren::Result::fail("job name '" + std::string(name) +
                                "' is not handled by plugin publish (post:publish, "
                                "analytics:collect)");
  }

 private:
  // A host without set_retry_at cannot delay a job: it is retried under its backoff instead.
  static warren::Result supported(const warren::Job& job, warren::Result result) {
    const bool later =
        result.outcome() == WARREN_JOB_DELAYED || result.outcome() == WARREN_JOB_RATE_LIMITED;
    if (later && !warren::detail::provides(job.api()->job, &warren_job_api::set_retry_at)) {
      return warren::Result::retry(result.text());
    }
    return result;
  }

  // A config the plugin cannot work with refuses it at start, with the reason.
  static Settings settingsOf(const warren::Host& host) {
    try {
      return readSettings(host);
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(std::string("publish: ") + e.what());
    }
  }

  std::unique_ptr<Context> context_;
  Publisher publisher_;
  analytics::Collector collector_;
};

}  // namespace
}  // namespace publish

using namespace warren;

namespace {

const char* const kJobNames[] = {"post:publish", "analytics:collect", "accounts:*"};

const warren_job_type kJobTypes[] = {
    jobType("post:publish",
            "publish one post (a thread, images, a video) to one platform account, exactly once",
            publish::embedded::schemas_post_publish_data_json,
            publish::embedded::schemas_post_publish_result_json),
    jobType("analytics:collect",
            "collect metrics of published posts into post_metrics (age-banded cadence)",
            publish::embedded::schemas_analytics_collect_data_json,
            publish::embedded::schemas_analytics_collect_result_json),
};

// The posts table is the generate plugin's too (one text in plugins/common); the file adds the
// publication ledger. Built before kMigrations (same file, in order).
const std::string kPostsStep =
    std::string(common::db::kPostsTable) + publish::embedded::migrations_0002_posts_sql;

const warren_migration kMigrations[] = {
    migration(1, "accounts", publish::embedded::migrations_0001_accounts_sql,
              publish::embedded::migrations_0001_accounts_sql),
    migration(2, "posts", kPostsStep.c_str(), kPostsStep.c_str()),
    migration(3, "post_metrics", publish::embedded::migrations_0003_post_metrics_sql,
              publish::embedded::migrations_0003_post_metrics_sql),
};

}  // namespace

WARREN_PLUGIN_EX(publish::PublishPlugin, "publish", "1.0.0", kJobNames, WARREN_RESOURCE_IO,
                 5u << 20,  // the seed's budget: a job holds one media file or chunk at a time
                 10, publish::kConfigKeys, kJobTypes, kMigrations)
