#include "Generator.h"

#include "Brand.h"
#include "Checks.h"
#include "Compose.h"
#include "Dedup.h"
#include "Local.h"
#include "Media.h"
#include "Posts.h"
#include "Provider.h"
#include "Repair.h"
#include "Request.h"
#include "Source.h"

#include "db/Db.h"
#include "job/Failure.h"
#include "text/Language.h"

#include <algorithm>
#include <cstdio>
#include <optional>

namespace generate {
namespace {

using common::Json;
using common::job::Unrecoverable;
using common::platform::Platform;

constexpr std::int64_t kPastToleranceMs = 5 * 60 * 1000;

std::string nameOf(Platform platform) {
  return std::string(common::platform::platformName(platform));
}

// Platforms the publish plugin posts to (its post:publish schema).
bool publishable(Platform platform) {
  return platform == Platform::X || platform == Platform::Bluesky ||
         platform == Platform::Mastodon || platform == Platform::LinkedIn ||
         platform == Platform::Threads;
}

Json lengthJson(const common::platform::Length& length) {
  Json out = {{"value", length.value}, {"limit", length.limit}, {"rule", length.rule}};
  if (length.byteLimit > 0) {
    out["bytes"] = length.bytes;
    out["byteLimit"] = length.byteLimit;
  }
  return out;
}

// What the request asks that the data's schema cannot say.
void checkRequest(const Request& request, const warren::Host& host) {
  if (request.scheduleAtMs) {
    if (!request.store) {
      throw Unrecoverable(
          "invalid job data: 'scheduleAt' needs 'store': true (the time is kept on the stored "
          "drafts)");
    }
    if (*request.scheduleAtMs < nowMs() - kPastToleranceMs) {
      throw Unrecoverable("invalid job data: 'scheduleAt' " + request.scheduleAtText +
                          " is in the past");
    }
  }
  bool publishing = false;
  for (const auto& [platform, account] : request.accounts) {
    if (std::find(request.platforms.begin(), request.platforms.end(), platform) ==
        request.platforms.end()) {
      throw Unrecoverable("invalid job data: accounts." + nameOf(platform) +
                          ": not one of the job's platforms");
    }
    if (request.scheduleAtMs && !publishable(platform)) {
      throw Unrecoverable("invalid job data: accounts." + nameOf(platform) +
                          ": the publish plugin does not post to " + nameOf(platform));
    }
    publishing = publishing || request.scheduleAtMs.has_value();
  }
  if (publishing && request.variants > 1) {
    throw Unrecoverable(
        "invalid job data: 'scheduleAt' with 'accounts' publishes every draft: ask for variants "
        "1, or enqueue post:publish for the variant chosen");
  }
  if (publishing) host.queues();  // throws when the host has no queue service
}

class JobRun {
 public:
  JobRun(const warren::Host& host, const Settings& settings, const common::ai::Client& ai,
         common::vector::EmbeddingIndex& index, const warren::Job& job, Request request)
      : host_(host),
        settings_(settings),
        ai_(ai),
        job_(job),
        request_(std::move(request)),
        db_(host),
        dedup_(host, settings, index, job, request_.brandProfileId),
        writer_(ai, job, settings) {}

  Json run() {
    checkRequest(request_, host_);
    brand_ =
        loadBrand(&db_, job_, request_.brandProfileId, request_.brand ? &*request_.brand : nullptr);
    source_ = request_.analysis ? sourceFromAnalysis(*request_.analysis)
                                : loadStoredSource(db_, job_, request_.brandProfileId,
                                                   request_.analysisId, request_.materialId);
    language_ = !request_.language.empty()  ? request_.language
                : !brand_.language.empty()  ? brand_.language
                : source_.language != "und" ? source_.language
                                            : std::string();
    media_ = mediaFor(source_, request_.mediaKeys);
    for (const Platform platform : request_.platforms) {
      if (media_.keys.size() > maxMedia(platform)) {
        throw Unrecoverable("mediaKeys: " + std::to_string(media_.keys.size()) +
                            " media, more than " + nameOf(platform) + " takes in one post (" +
                            std::to_string(maxMedia(platform)) + ")");
      }
    }
    provider_ = ai_.available();
    std::vector<std::string> own;
    for (const Platform platform : request_.platforms) {
      for (std::size_t v = 1; v <= request_.variants; ++v) {
        own.push_back(draftId(job_.queue(), job_.id(), job_.data(), platform, v));
      }
    }
    dedup_.begin(own);
    job_.progress(10);

    Json posts = Json::array();
    for (std::size_t i = 0; i < request_.platforms.size(); ++i) {
      if (job_.cancelled()) throw warren::ServiceError(WARREN_ERR_CANCELLED, "cancelled");
      for (Json& post : platformPosts(request_.platforms[i])) posts.push_back(std::move(post));
      job_.progress(static_cast<int>(10 + 75 * (i + 1) / request_.platforms.size()));
    }
    if (request_.store) storeAll(posts);
    job_.progress(100);
    return result(std::move(posts));
  }

 private:
  struct Candidate {
    Composed composed;
    std::vector<std::string> repairs;
  };

  CheckRules rules() const { return CheckRules{brand_, language_}; }

  std::vector<Json> platformPosts(Platform platform) {
    const Layout layout = layoutFor(platform, settings_.mastodonLimit, settings_.maxThreadParts,
                                    settings_.threadNumbering);
    const WriteContext context{source_, brand_, layout, language_, request_.goal};
    const LocalContext local{source_, brand_, layout, settings_.includeLink};
    std::vector<std::string> first;
    if (provider_) {
      first = writer_.drafts(context, request_.variants);
    } else {
      for (std::size_t v = 0; v < request_.variants; ++v) first.push_back(localDraft(local, v));
    }
    std::vector<Json> out;
    for (std::size_t v = 0; v < request_.variants; ++v) {
      out.push_back(settle(layout, context, local, v, first[v]));
    }
    return out;
  }

  // Checks a draft; a failing one is written again with the reasons (provider), then repaired;
  // what still fails fails the job.
  Candidate accept(const Layout& layout, const WriteContext& context, std::size_t variant,
                   std::string text, int& regenerated) {
    Candidate candidate{compose(text, layout), {}};
    std::vector<Problem> problems = check(candidate.composed, layout, rules());
    for (int k = 0; provider_ && k < settings_.checkRetries && !problems.empty(); ++k) {
      job_.log(nameOf(layout.rules.platform) + " draft " + std::to_string(variant + 1) +
               " regenerated: " + describe(problems));
      text = writer_.fix(context, candidate.composed.text, problems);
      ++regenerated;
      candidate.composed = compose(text, layout);
      problems = check(candidate.composed, layout, rules());
    }
    if (!problems.empty()) {
      const Repaired repaired = repair(candidate.composed.text, layout, rules());
      candidate.composed = compose(repaired.text, layout);
      candidate.repairs = repaired.repairs;
      problems = check(candidate.composed, layout, rules());
    }
    if (!problems.empty()) {
      throw Unrecoverable("the " + nameOf(layout.rules.platform) + " draft " +
                          std::to_string(variant + 1) + " still fails its checks after " +
                          (provider_ && settings_.checkRetries > 0 ? "regeneration and " : "") +
                          "repair: " + describe(problems));
    }
    return candidate;
  }

  // A checked draft through the de-duplication loop, as the result's post.
  Json settle(const Layout& layout, const WriteContext& context, const LocalContext& local,
              std::size_t variant, const std::string& text) {
    const Platform platform = layout.rules.platform;
    int regenerated = 0;
    Candidate candidate = accept(layout, context, variant, text, regenerated);
    common::vector::Vector vector;
    Similar similar;
    bool duplicate = false;
    for (int round = 0;; ++round) {
      vector = dedup_.embed(candidate.composed.text);
      similar = dedup_.nearest(vector, platform);
      if (!similar.similarity || *similar.similarity < settings_.threshold) break;
      if (round == settings_.dedupRetries) {
        duplicate = true;
        break;
      }
      char score[16];
      std::snprintf(score, sizeof score, "%.3f", *similar.similarity);
      job_.log(nameOf(platform) + " draft " + std::to_string(variant + 1) +
               " regenerated: similarity " + score + " to " +
               (similar.variant ? "draft " + std::to_string(*similar.variant)
                                : "stored " + similar.sourceType + " " + similar.sourceId));
      const std::string next =
          provider_ ? writer_.distinct(context, candidate.composed.text, similar.text,
                                       *similar.similarity)
                    : localDraft(local,
                                 variant + static_cast<std::size_t>(round + 1) * request_.variants);
      ++regenerated;
      candidate = accept(layout, context, variant, next, regenerated);
    }
    dedup_.keep(platform, variant + 1, candidate.composed.text, std::move(vector));

    const Composed& c = candidate.composed;
    Json post = {{"platform", nameOf(platform)},
                 {"variant", variant + 1},
                 {"text", c.parts.front()},
                 {"thread", std::vector<std::string>(c.parts.begin() + 1, c.parts.end())},
                 {"hashtags", c.hashtags},
                 {"mediaKeys", media_.keys},
                 {"altTexts", media_.altTexts},
                 {"length", lengthJson(common::platform::measure(c.parts.front(), layout.rules))},
                 {"similarity", similar.similarity ? Json(*similar.similarity) : Json(nullptr)},
                 {"duplicate", duplicate},
                 {"regenerated", regenerated},
                 {"repairs", candidate.repairs}};
    if (similar.similarity) {
      Json to = {{"similarity", *similar.similarity}};
      if (similar.variant) {
        to["variant"] = *similar.variant;
      } else {
        to["embeddingId"] = similar.embeddingId;
        if (!similar.sourceType.empty()) to["sourceType"] = similar.sourceType;
        if (!similar.sourceId.empty()) to["sourceId"] = similar.sourceId;
      }
      post["similarTo"] = std::move(to);
    }
    const std::string language = postLanguage(c.text);
    if (!language.empty()) post["language"] = language;
    if (const auto account = request_.accounts.find(platform); account != request_.accounts.end()) {
      post["accountId"] = account->second;
    }
    return post;
  }

  // The language the post is in: the one asked for, else what is detected.
  std::string postLanguage(const std::string& text) const {
    if (!language_.empty()) return primaryLanguage(language_);
    const auto guess = common::text::detectLanguage(proseOf(text));
    return guess.reliable && guess.code != "und" ? guess.code : std::string();
  }

  void storeAll(Json& posts) {
    std::vector<DraftRow> rows;
    std::vector<std::string> ids;
    for (Json& post : posts) {
      const Platform platform =
          *common::platform::parsePlatform(post["platform"].get<std::string>());
      DraftRow row;
      row.id = draftId(job_.queue(), job_.id(), job_.data(), platform,
                       post["variant"].get<std::size_t>());
      row.brand = request_.brandProfileId;
      row.platform = platform;
      if (post.contains("accountId")) row.accountId = post["accountId"].get<std::string>();
      row.text = post["text"].get<std::string>();
      row.thread = post["thread"].get<std::vector<std::string>>();
      row.hashtags = post["hashtags"].get<std::vector<std::string>>();
      row.mediaKeys = post["mediaKeys"].get<std::vector<std::string>>();
      row.altTexts = post["altTexts"].get<std::vector<std::string>>();
      row.language = post.value("language", "");
      row.scheduledAtMs = request_.scheduleAtMs;
      post["id"] = row.id;
      ids.push_back(row.id);
      rows.push_back(std::move(row));
    }
    storeDrafts(db_, job_, rows);
    dedup_.store(ids);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (!request_.scheduleAtMs) continue;
      posts[i]["scheduledAt"] = request_.scheduleAtText;
      if (!rows[i].accountId) continue;
      posts[i]["publishJobId"] = schedulePublish(host_, job_, settings_.publishQueue, rows[i].id,
                                                 *request_.scheduleAtMs, settings_.publishAttempts);
    }
  }

  Json result(Json posts) const {
    Json usage = {{"inputTokens", writer_.usage().input},
                  {"outputTokens", writer_.usage().output},
                  {"cachedTokens", writer_.usage().cached},
                  {"embeddingTokens", dedup_.tokens()}};
    Json out = {{"posts", std::move(posts)},
                {"provider", provider_ ? writer_.provider() : std::string("local")},
                {"model", provider_ ? writer_.model() : std::string(kLocalModel)},
                {"usage", std::move(usage)},
                {"embedding",
                 {{"provider", dedup_.provider()},
                  {"model", dedup_.model()},
                  {"dimensions", dedup_.dimensions()},
                  {"threshold", settings_.threshold},
                  {"days", settings_.dedupDays},
                  {"rowsCompared", dedup_.rowsCompared()}}},
                {"brand", {{"id", brand_.id}, {"from", brand_.from}}}};
    if (source_.analysisId) out["analysisId"] = *source_.analysisId;
    return out;
  }

  const warren::Host& host_;
  const Settings& settings_;
  const common::ai::Client& ai_;
  const warren::Job& job_;
  Request request_;
  common::db::Db db_;
  Dedup dedup_;
  Writer writer_;
  BrandProfile brand_;
  Source source_;
  std::string language_;
  Media media_;
  bool provider_ = false;
};

}  // namespace

Json Generator::run(const warren::Job& job, const Json& data) const {
  JobRun run(host_, settings_, ai_, index_, job, parseRequest(data));
  return run.run();
}

}  // namespace generate
