#include "analytics/Collector.h"

#include "Clock.h"
#include "analytics/Cadence.h"
#include "crypto/Random.h"
#include "job/Failure.h"
#include "platforms/Errors.h"
#include "platforms/Platform.h"
#include "platforms/Session.h"
#include "store/Rows.h"

#include <map>

namespace publish::analytics {
namespace {

using common::Json;
using common::job::Unrecoverable;

struct Target {
  std::string publicationId;
  std::string postId;
  std::string accountId;
  std::string platform;
  std::int64_t publishedAt = 0;
  Json ref;
};

std::int64_t sinceOf(const Json& data) {
  const auto it = data.find("since");
  if (it == data.end() || it->is_null()) return 0;
  if (it->is_number_integer()) return it->get<std::int64_t>();
  if (it->is_string()) {
    const std::int64_t ms = parseIsoTime(it->get<std::string>());
    if (ms < 0) throw Unrecoverable("invalid job data: 'since' is not an RFC 3339 time");
    return ms;
  }
  throw Unrecoverable("invalid job data: 'since' must be an RFC 3339 time or Unix ms");
}

Json metricsOf(const platforms::Reading& r) {
  Json out = Json::object();
  const std::pair<const char*, std::int64_t> fields[] = {{"likes", r.likes},
                                                         {"reposts", r.reposts},
                                                         {"replies", r.replies},
                                                         {"quotes", r.quotes},
                                                         {"impressions", r.impressions},
                                                         {"views", r.views},
                                                         {"bookmarks", r.bookmarks},
                                                         {"shares", r.shares}};
  for (const auto& [name, value] : fields) {
    if (value >= 0) out[name] = value;
  }
  return out;
}

Json nullableCount(std::int64_t value) {
  return value >= 0 ? Json(value) : Json(nullptr);
}

class Run {
 public:
  Run(Context& context, const warren::Job& job) : context_(context), job_(job) {}

  Json collect() {
    const Json data = common::parseJson(job_.data(), "job data");
    if (!data.is_object()) throw Unrecoverable("analytics:collect data must be a JSON object");
    const std::vector<Target> targets = select(data);
    std::map<std::string, std::vector<Target>> byAccount;
    for (const Target& t : targets) byAccount[t.accountId].push_back(t);
    for (const auto& [accountId, list] : byAccount) collectAccount(accountId, list);
    return Json{{"collected", snapshots_.size()},
                {"deleted", deleted_},
                {"failed", failed_},
                {"snapshots", snapshots_}};
  }

 private:
  std::vector<Target> select(const Json& data) {
    std::string sql =
        "SELECT id, post_id, account_id, platform, published_at, progress FROM publications "
        "WHERE state = 'published'";
    Json params = Json::array();
    const auto add = [&](const Json& value) {
      params.push_back(value);
      return "$" + std::to_string(params.size());
    };
    const auto ids = data.find("postIds");
    if (ids != data.end() && ids->is_array()) {
      std::string list;
      for (const Json& id : *ids) {
        if (!id.is_string()) throw Unrecoverable("invalid job data: 'postIds' must hold strings");
        list += (list.empty() ? "" : ", ") + add(id);
      }
      sql += " AND (id IN (" + list + ") OR post_id IN (" + list + "))";
    } else {
      sql +=
          " AND metrics_state = 'pending' AND metrics_next_at IS NOT NULL AND "
          "metrics_next_at <= " +
          add(nowMs());
    }
    if (const auto account = common::optionalString(data, "accountId")) {
      sql += " AND account_id = " + add(*account);
    }
    if (const std::int64_t since = sinceOf(data); since > 0) {
      sql += " AND published_at >= " + add(since);
    }
    sql +=
        " ORDER BY metrics_next_at, id LIMIT " + std::to_string(context_.settings.analyticsBatch);
    std::vector<Target> out;
    for (const Json& row : context_.db.rows(&job_, sql, params)) {
      Target t;
      t.publicationId = store::text(row, "id");
      t.postId = store::text(row, "post_id");
      t.accountId = store::text(row, "account_id");
      t.platform = store::text(row, "platform");
      t.publishedAt = store::integer(row, "published_at");
      const Json progress = store::jsonColumn(row, "progress", Json::object());
      const Json parts = progress.value("parts", Json::array());
      if (!parts.empty()) t.ref = parts.front().value("ref", Json());
      out.push_back(t);
    }
    return out;
  }

  void fail(const std::vector<Target>& targets, const std::string& reason) {
    for (const Target& t : targets) {
      failed_.push_back({{"publicationId", t.publicationId}, {"error", reason}});
    }
  }

  void collectAccount(const std::string& accountId, const std::vector<Target>& targets) {
    const platforms::Platform* platform = platforms::platformNamed(targets.front().platform);
    if (platform == nullptr || !platform->limits().metrics) {
      for (const Target& t : targets) setMetricsState(t, "unsupported");
      return;
    }
    try {
      platforms::Session session(
          context_, &job_, *platform, context_.accounts.load(&job_, accountId),
          "analytics/" + std::string(job_.id()) + "#" + common::crypto::randomHex(6));
      context_.rateLimits.check(&job_, platform->name(), accountId);
      session.ready();
      const std::size_t batch = std::max<std::size_t>(platform->metricsBatch(), 1);
      for (std::size_t start = 0; start < targets.size(); start += batch) {
        const std::vector<Target> slice(
            targets.begin() + static_cast<std::ptrdiff_t>(start),
            targets.begin() + static_cast<std::ptrdiff_t>(std::min(start + batch, targets.size())));
        std::vector<Json> refs;
        for (const Target& t : slice) refs.push_back(t.ref);
        const std::vector<platforms::Reading> readings = platform->metrics(session, refs);
        for (std::size_t i = 0; i < slice.size() && i < readings.size(); ++i) {
          record(slice[i], readings[i]);
        }
      }
    } catch (const common::job::RetryAt& e) {
      fail(targets, e.what());  // asked again by a later run, after the reset
    } catch (const std::exception& e) {
      fail(targets, e.what());
    }
  }

  void setMetricsState(const Target& t, const char* state) {
    context_.db.execute(&job_,
                        "UPDATE publications SET metrics_state = $2, metrics_next_at = NULL, "
                        "updated_at = $3 WHERE id = $1",
                        Json::array({t.publicationId, state, nowMs()}));
  }

  void record(const Target& t, const platforms::Reading& r) {
    const std::int64_t now = nowMs();
    if (r.deleted) {
      ++deleted_;
      setMetricsState(t, "deleted");
      return;
    }
    context_.db.execute(
        &job_,
        "INSERT INTO post_metrics (publication_id, post_id, platform, collected_at, likes, "
        "reposts, replies, quotes, impressions, views, bookmarks, shares, metrics) VALUES ($1, $2, "
        "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (publication_id, "
        "collected_at) DO NOTHING",
        Json::array(
            {t.publicationId, t.postId.empty() ? Json(nullptr) : Json(t.postId), t.platform, now,
             nullableCount(r.likes), nullableCount(r.reposts), nullableCount(r.replies),
             nullableCount(r.quotes), nullableCount(r.impressions), nullableCount(r.views),
             nullableCount(r.bookmarks), nullableCount(r.shares), common::dumpJson(r.raw)}));
    const std::int64_t next = nextCollection(context_.settings.bands, t.publishedAt, now);
    if (next == 0) {
      setMetricsState(t, "done");
    } else {
      context_.db.execute(&job_,
                          "UPDATE publications SET metrics_next_at = $2, metrics_interval_ms = $3, "
                          "updated_at = $4 WHERE id = $1",
                          Json::array({t.publicationId, next, next - now, now}));
    }
    snapshots_.push_back({{"publicationId", t.publicationId},
                          {"postId", t.postId.empty() ? Json(nullptr) : Json(t.postId)},
                          {"platform", t.platform},
                          {"platformPostId", t.ref.value("id", "")},
                          {"collectedAt", isoTime(now)},
                          {"metrics", metricsOf(r)}});
  }

  Context& context_;
  const warren::Job& job_;
  Json snapshots_ = Json::array();
  Json failed_ = Json::array();
  std::int64_t deleted_ = 0;
};

}  // namespace

warren::Result Collector::run(const warren::Job& job) {
  return common::job::run(job, [&]() -> warren::Result {
    Run run(context_, job);
    return warren::Result::completed(common::dumpJson(run.collect()));
  });
}

void scheduleCollection(const warren::Host& host, const Settings& settings) {
  if (settings.analyticsEveryMs <= 0) return;
  const warren_host_api* api = host.api();
  if (!warren::detail::provides(api, &warren_host_api::queue) ||
      !warren::detail::provides(api->queue, &warren_queue_api::upsert_scheduler)) {
    return;
  }
  const std::string repeat = common::dumpJson({{"every", settings.analyticsEveryMs}});
  const std::string job =
      common::dumpJson({{"name", "analytics:collect"},
                        {"data", Json::object()},
                        {"opts", {{"removeOnComplete", 100}, {"removeOnFail", 100}}}});
  warren_buffer error{};
  const warren_status status =
      api->queue->upsert_scheduler(host.raw(), settings.analyticsQueue.c_str(),
                                   "warren:analytics-collect", repeat.c_str(), job.c_str(), &error);
  const std::string message = host.take(error);
  if (status != WARREN_OK) {
    host.warn("publish: the analytics:collect scheduler on " + settings.analyticsQueue +
              " could not be set up: " + message);
  } else {
    host.info("publish: analytics:collect runs every " + std::to_string(settings.analyticsEveryMs) +
              " ms on " + settings.analyticsQueue);
  }
}

}  // namespace publish::analytics
