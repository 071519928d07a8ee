#include "publish/Publisher.h"

#include "Clock.h"
#include "crypto/Random.h"
#include "job/Failure.h"
#include "media/MediaFile.h"
#include "platform/Platform.h"
#include "platforms/Errors.h"
#include "platforms/Platform.h"
#include "platforms/Session.h"

#include <optional>

namespace publish {
namespace {

using common::Json;
using common::job::Retryable;
using common::job::RetryAt;
using common::job::Unrecoverable;
using platforms::OutcomeUnknown;
using platforms::PlatformError;
using platforms::Reconciliation;

// The outcome of a post cannot be known: the publication ends unconfirmed.
class Unconfirmed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

constexpr int kReconcileTries = 3;

Json stringArray(const Json& post, const char* field) {
  const auto it = post.find(field);
  if (it == post.end() || it->is_null()) return Json::array();
  if (!it->is_array())
    throw Unrecoverable(std::string("invalid post: '") + field + "' must be an array of strings");
  for (const Json& item : *it) {
    if (!item.is_string()) {
      throw Unrecoverable(std::string("invalid post: '") + field + "' must be an array of strings");
    }
  }
  return *it;
}

std::string optionalField(const Json& post, const char* field) {
  const auto value = common::optionalString(post, field);
  return value ? *value : std::string();
}

// One run of a post:publish job.
class Run {
 public:
  Run(Context& context, Notifier& notifier, const warren::Job& job)
      : context_(context), notifier_(notifier), job_(job), runId_(common::crypto::randomHex(6)) {}

  Json publish();
  void failed(const std::string& state, const std::string& reason);

 private:
  void resolve();
  void checkLengths(const std::string& platform) const;
  void uploadMedia(platforms::Session& session);
  void postParts(platforms::Session& session);
  void ensurePosted(platforms::Session& session, std::size_t index);
  platforms::Part partAt(std::size_t index) const;
  bool settle(platforms::Session& session, std::size_t index, const platforms::Part& part,
              const std::string& why);
  Json finish();
  void save() { context_.ledger.save(&job_, *publication_, owner_); }
  void notPosted(Json& state) {
    state["state"] = "pending";
    save();
  }
  Json& parts() { return publication_->progress["parts"]; }

  Context& context_;
  Notifier& notifier_;
  const warren::Job& job_;
  std::string runId_;
  std::string owner_;
  std::string postId_;
  Json post_;
  store::Account account_;
  const platforms::Platform* platform_ = nullptr;
  std::optional<store::Publication> publication_;
  std::vector<std::string> texts_;  // the parts to create
  bool final_ = false;              // the publication's state must not change any more
};

// Each part against the platform's own counting rule (plugins/common/platform), before anything
// is sent. Mastodon's limit is the instance's: its server decides.
void Run::checkLengths(const std::string& platform) const {
  if (platform == "mastodon" || platform == "webhook") return;
  const auto which = common::platform::parsePlatform(platform);
  if (!which) return;
  const common::platform::Rules rules = common::platform::rulesFor(*which);
  for (std::size_t i = 0; i < texts_.size(); ++i) {
    const common::platform::Length length = common::platform::measure(texts_[i], rules);
    if (length.fits()) continue;
    const std::string part =
        texts_.size() > 1 ? "part " + std::to_string(i + 1) + " of the post" : "the post";
    std::string why = std::to_string(length.value) + " of " + std::to_string(length.limit) + " (" +
                      length.rule + ")";
    if (length.byteLimit > 0 && length.bytes > length.byteLimit) {
      why = std::to_string(length.bytes) + " of " + std::to_string(length.byteLimit) + " bytes";
    }
    throw Unrecoverable(part + " is too long for " + platform + ": " + why);
  }
}

void Run::resolve() {
  const Json data = common::parseJson(job_.data(), "job data");
  if (!data.is_object()) throw Unrecoverable("post:publish data must be a JSON object");
  postId_ = optionalField(data, "postId");
  Json fromRow;
  if (!postId_.empty()) fromRow = context_.posts.load(&job_, postId_);
  post_ = normalisePost(data, fromRow);
  account_ = context_.accounts.load(&job_, post_["accountId"]);
  const std::string platform = post_["platform"];
  if (account_.platform != platform) {
    throw Unrecoverable("the post is for " + platform + " but " + account_.label() + " is not");
  }
  platform_ = platforms::platformNamed(platform);
  if (platform_ == nullptr) throw Unrecoverable("publishing to " + platform + " is not supported");
  const platforms::Limits limits = platform_->limits();
  const Json& thread = post_["thread"];
  if (!thread.empty() && !limits.threads) {
    throw Unrecoverable(platform + " has no threads: give the post as one text");
  }
  texts_.push_back(post_["text"]);
  if (!limits.wholeThread) {
    for (const Json& text : thread) texts_.push_back(text);
  }
  checkLengths(platform);
  const std::string jobKey =
      (job_.queue().empty() ? std::string("call") : std::string(job_.queue())) + "/" +
      std::string(job_.id());
  owner_ = jobKey + "#" + runId_;
  std::string key = optionalField(data, "idempotencyKey");
  if (key.empty()) key = postId_.empty() ? "job:" + jobKey : "post:" + postId_;
  publication_ = context_.ledger.open(&job_, key, postId_, account_.id, platform, post_, owner_);
}

Json Run::publish() {
  resolve();
  store::Publication& p = *publication_;
  if (p.state == "published") {
    // Done by an earlier run: the same result, and whatever that run did not get to.
    if (!postId_.empty()) context_.posts.markPublished(&job_, postId_, p.result, p.publishedAt);
    notifier_.send(&job_, p, "published");
    return p.result;
  }
  if (p.state == "unconfirmed") {
    final_ = true;  // stays unconfirmed: never a blind retry
    throw Unrecoverable(p.error);
  }
  context_.rateLimits.check(&job_, platform_->name(), account_.id);
  platforms::Session session(context_, &job_, *platform_, account_, owner_);
  session.onSave([this] { save(); });
  session.ready();
  p.state = "publishing";
  p.error.clear();
  if (!p.progress.contains("parts")) p.progress["parts"] = Json::array();
  while (parts().size() < texts_.size()) parts().push_back(Json::object());
  save();
  if (!postId_.empty()) context_.posts.markPublishing(&job_, postId_);
  const std::string replyTo = post_.value("replyTo", "");
  if (!replyTo.empty() && !p.progress.contains("replyTarget")) {
    p.progress["replyTarget"] = platform_->replyTarget(session, replyTo);
    save();
  }
  uploadMedia(session);
  postParts(session);
  return finish();
}

void Run::uploadMedia(platforms::Session& session) {
  const Json& keys = post_["mediaKeys"];
  if (keys.empty()) return;
  Json& media = publication_->progress["media"];
  if (!media.is_array()) media = Json::array();
  while (media.size() < keys.size()) media.push_back(Json::object());
  bool allDone = true;
  for (const Json& state : media) allDone = allDone && state.contains("ref");
  if (allDone) return;
  // Every file is checked against the platform's limits before the first upload.
  media::MediaSet files(context_.host, &job_, context_.settings.tempDir);
  const auto items = files.fetch(keys, post_["altTexts"], platform_->limits(), platform_->name());
  for (std::size_t i = 0; i < items.size(); ++i) {
    Json& state = media[i];
    if (state.contains("ref")) continue;
    state["key"] = items[i].key;
    Json ref = platform_->upload(session, items[i], state);
    state["ref"] = std::move(ref);
    save();
    job_.progress(static_cast<int>(10 + 40 * (i + 1) / items.size()));
  }
}

platforms::Part Run::partAt(std::size_t index) const {
  const Json& states = publication_->progress["parts"];
  platforms::Part part;
  part.index = index;
  part.text = texts_[index];
  part.visibility = post_.value("visibility", "");
  part.language = post_.value("language", "");
  if (index == 0) {
    for (const Json& state : publication_->progress.value("media", Json::array())) {
      if (state.contains("ref")) part.media.push_back(state["ref"]);
    }
    part.mediaKeys = post_["mediaKeys"];
    if (platform_->limits().wholeThread) part.thread = post_["thread"];
    const Json target = publication_->progress.value("replyTarget", Json());
    if (target.is_object()) {
      part.parent = target.value("parent", Json());
      part.root = target.value("root", Json());
    }
  } else {
    part.parent = states[index - 1].value("ref", Json());
    const Json target = publication_->progress.value("replyTarget", Json());
    part.root = target.is_object() ? target.value("root", Json()) : states[0].value("ref", Json());
  }
  return part;
}

void Run::postParts(platforms::Session& session) {
  for (std::size_t i = 0; i < texts_.size(); ++i) {
    ensurePosted(session, i);
    job_.progress(static_cast<int>(50 + 50 * (i + 1) / texts_.size()));
  }
}

// After an answer that does not say whether the post exists: ask the platform now. True when
// the part turned out posted (its ref is saved); false when it is not on the platform (and may
// be sent). Throws Unconfirmed when the platform cannot tell, Retryable when asking failed.
bool Run::settle(platforms::Session& session, std::size_t index, const platforms::Part& part,
                 const std::string& why) {
  Json& state = parts()[index];
  for (int attempt = 1;; ++attempt) {
    Reconciliation r;
    try {
      r = platform_->reconcile(session, part, state);
    } catch (const OutcomeUnknown& e) {
      if (attempt >= kReconcileTries)
        throw Retryable(std::string(e.what()) + "; checked again on the next attempt");
      session.pause(500 * attempt);
      continue;
    } catch (const Retryable& e) {
      if (attempt >= kReconcileTries) throw;
      session.pause(500 * attempt);
      continue;
    } catch (const PlatformError& e) {
      const bool passing =
          e.kind() == PlatformError::Kind::transient || e.kind() == PlatformError::Kind::notReady;
      if (!passing || attempt >= kReconcileTries) throw;
      session.pause(500 * attempt);
      continue;
    }
    switch (r.outcome) {
      case Reconciliation::Outcome::posted:
        state["ref"] = r.ref;
        state["state"] = "posted";
        state["reconciled"] = true;
        save();
        return true;
      case Reconciliation::Outcome::notPosted:
        return false;
      case Reconciliation::Outcome::unknown:
        throw Unconfirmed("part " + std::to_string(index + 1) + " of the post (" + why +
                          "): whether it was posted cannot be checked: " + r.reason);
    }
  }
}

void Run::ensurePosted(platforms::Session& session, std::size_t index) {
  Json& state = parts()[index];
  if (state.value("state", "") == "posted") return;
  const platforms::Part part = partAt(index);
  if (state.value("state", "") == "sending" &&
      settle(session, index, part, "sent by an earlier run that stopped before the answer")) {
    return;
  }
  platform_->prepare(session, part, state);
  for (int sends = 1;; ++sends) {
    state["state"] = "sending";
    state["sentAt"] = nowMs();
    save();  // before the request: a run that dies from here on reconciles first
    try {
      Json ref = platform_->create(session, part, state);
      state["ref"] = std::move(ref);
      state["state"] = "posted";
      save();
      return;
    } catch (const OutcomeUnknown& e) {
      if (settle(session, index, part, e.what())) return;
      if (sends >= 2) {
        throw Retryable(std::string(e.what()) + " (the post is not on " + platform_->name() +
                        "; sent again on the next attempt)");
      }
    } catch (const PlatformError&) {
      notPosted(state);  // refused by the platform
      throw;
    } catch (const RetryAt&) {
      notPosted(state);  // rate limited
      throw;
    } catch (const Unrecoverable&) {
      notPosted(state);  // credentials refused
      throw;
    }
    // Anything else (no answer, cancelled mid-request) leaves the part "sending": the next run
    // asks the platform before sending it again.
  }
}

Json Run::finish() {
  store::Publication& p = *publication_;
  const Json& states = publication_->progress["parts"];
  const std::int64_t now = nowMs();
  const Json first = states[0].value("ref", Json::object());
  Json result = {{"platform", platform_->name()}, {"platformPostId", first.value("id", "")},
                 {"url", first.value("url", "")}, {"publishedAt", isoTime(now)},
                 {"publicationId", p.id},         {"accountId", account_.id}};
  if (!postId_.empty()) result["postId"] = postId_;
  if (states.size() > 1) {
    Json thread = Json::array();
    for (const Json& state : states) {
      const Json ref = state.value("ref", Json::object());
      thread.push_back({{"platformPostId", ref.value("id", "")}, {"url", ref.value("url", "")}});
    }
    result["thread"] = thread;
  }
  p.result = result;
  p.publishedAt = now;
  const std::int64_t firstMetrics = platform_->limits().metrics && !context_.settings.bands.empty()
                                        ? now + context_.settings.bands.front().everyMs
                                        : 0;
  context_.ledger.finish(&job_, p, owner_, "published", firstMetrics);
  if (!postId_.empty()) context_.posts.markPublished(&job_, postId_, result, now);
  notifier_.send(&job_, p, "published");
  return result;
}

void Run::failed(const std::string& state, const std::string& reason) {
  if (!publication_ || final_) return;
  store::Publication& p = *publication_;
  p.error = reason;
  try {
    context_.ledger.finish(&job_, p, owner_, state);
    if (!postId_.empty()) context_.posts.markFailed(&job_, postId_, state, reason);
  } catch (const std::exception& e) {
    context_.host.warn("publish: could not record the " + state + " publication " + p.id + ": " +
                       e.what());
  }
  notifier_.send(&job_, p, state);
}

}  // namespace

Json normalisePost(const Json& data, const Json& fromRow) {
  Json post;
  if (fromRow.is_object()) {
    post = fromRow;
    if (const auto account = common::optionalString(data, "accountId"))
      post["accountId"] = *account;
    for (const char* field : {"visibility", "replyTo"}) {
      if (const auto value = common::optionalString(data, field)) post[field] = *value;
    }
  } else {
    const auto it = data.find("post");
    if (it == data.end() || !it->is_object()) {
      throw Unrecoverable("post:publish needs 'postId' (a row of the posts table) or 'post'");
    }
    post = *it;
  }
  Json out = Json::object();
  const std::string platform = optionalField(post, "platform");
  if (platform.empty()) throw Unrecoverable("invalid post: 'platform' is required");
  const std::string account = optionalField(post, "accountId");
  if (account.empty()) {
    throw Unrecoverable(fromRow.is_object()
                            ? "the post has no account: give 'accountId' in the job data"
                            : "invalid post: 'accountId' is required");
  }
  out["platform"] = platform;
  out["accountId"] = account;
  out["text"] = optionalField(post, "text");
  out["thread"] = stringArray(post, "thread");
  out["mediaKeys"] = stringArray(post, "mediaKeys");
  out["altTexts"] = stringArray(post, "altTexts");
  if (out["text"].get<std::string>().empty() && out["mediaKeys"].empty()) {
    throw Unrecoverable("invalid post: 'text' is empty and there are no media");
  }
  for (const Json& part : out["thread"]) {
    if (part.get<std::string>().empty())
      throw Unrecoverable("invalid post: a thread part is empty");
  }
  for (const char* field : {"replyTo", "visibility", "language"}) {
    const std::string value = optionalField(post, field);
    if (!value.empty()) out[field] = value;
  }
  return out;
}

warren::Result Publisher::run(const warren::Job& job) {
  Run run(context_, notifier_, job);
  return common::job::run(job, [&]() -> warren::Result {
    try {
      return warren::Result::completed(common::dumpJson(run.publish()));
    } catch (const Unconfirmed& e) {
      const std::string reason = std::string("unconfirmed: ") + e.what() +
                                 ". Check the account; to post it anyway, enqueue it again with a "
                                 "new idempotencyKey";
      run.failed("unconfirmed", reason);
      return warren::Result::fail(reason);
    } catch (const PlatformError& e) {
      if (e.kind() == PlatformError::Kind::transient || e.kind() == PlatformError::Kind::notReady) {
        throw Retryable(e.what());
      }
      run.failed("failed", e.what());
      return warren::Result::fail(e.what());
    } catch (const Unrecoverable& e) {
      run.failed("failed", e.what());
      throw;
    } catch (const OutcomeUnknown& e) {
      throw Retryable(e.what());
    }
  });
}

}  // namespace publish
