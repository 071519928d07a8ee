// What the publisher and the analytics collector need from each platform: its limits, how a
// request is authorised and an answer classified, media uploads, creating one post of a
// thread, finding out whether a post sent without an answer exists, token refresh and metrics.
// One stateless instance per platform, shared by every job.
#pragma once

#include "json/Json.h"
#include "net/Http.h"
#include "net/RateLimit.h"
#include "store/Accounts.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace publish::platforms {

using common::Json;
class Session;

// One media file, fetched from object storage and probed.
struct MediaItem {
  std::string key;   // storage key
  std::string path;  // the local copy
  std::string mime;  // image/png, video/mp4, ...
  std::string alt;
  std::int64_t size = 0;
  int width = 0;
  int height = 0;
  double durationS = 0;
  bool video = false;
  std::string filename() const;  // the key's last segment
};

// What a platform accepts, checked before anything is uploaded.
struct Limits {
  std::size_t maxImages = 4;
  std::size_t maxVideos = 1;
  bool mixImagesAndVideo = false;
  std::int64_t maxImageBytes = 0;  // 0: no limit
  std::int64_t maxVideoBytes = 0;
  double minVideoSeconds = 0;
  double maxVideoSeconds = 0;  // 0: no limit
  std::int64_t maxPixels = 0;  // width x height of an image; 0: no limit
  double minAspect = 0;        // width / height; 0: no limit
  double maxAspect = 0;
  std::vector<std::string> imageTypes;
  std::vector<std::string> videoTypes;
  bool threads = true;       // replies to its own posts
  bool wholeThread = false;  // takes a thread in one request (the webhook)
  bool media = true;         // media at all
  bool metrics = true;       // analytics can read its posts' metrics
};

// One post of a thread as it goes to the platform.
struct Part {
  std::size_t index = 0;
  std::string text;
  Json media = Json::array();      // refs of the uploaded media (first part only)
  Json parent;                     // ref of the post this one replies to (null: none)
  Json root;                       // ref of the thread's first post (Bluesky's reply.root)
  Json thread = Json::array();     // the texts after this one, for platforms with wholeThread
  Json mediaKeys = Json::array();  // the storage keys of the media (the webhook passes them)
  std::string visibility;
  std::string language;
};

// What a run that finds a part "sent, no answer recorded" learns from the platform.
struct Reconciliation {
  enum class Outcome { posted, notPosted, unknown };
  Outcome outcome = Outcome::unknown;
  Json ref;            // when posted
  std::string reason;  // when unknown: why the platform cannot tell
};

// Metrics of one published post, normalised; -1 where the platform does not say.
struct Reading {
  Json ref;  // the post it is about (as given)
  bool deleted = false;
  std::int64_t likes = -1;
  std::int64_t reposts = -1;
  std::int64_t replies = -1;
  std::int64_t quotes = -1;
  std::int64_t impressions = -1;
  std::int64_t views = -1;
  std::int64_t bookmarks = -1;
  std::int64_t shares = -1;
  Json raw = Json::object();  // the platform's own fields
};

class Platform {
 public:
  virtual ~Platform() = default;
  virtual const char* name() const = 0;
  virtual Limits limits() const = 0;

  // Adds the account's credentials to a request.
  virtual void authorize(net::Request& request, const store::Account& account) const = 0;
  // Throws PlatformError for an answer that is not a success.
  virtual void check(const net::Response& response) const = 0;
  // Rate-limit headers of an answer.
  virtual net::RateState rate(const net::Response& response) const;

  // Refresh an access token that expires within this (Threads: a week; its long-lived tokens
  // cannot be refreshed once expired).
  virtual std::int64_t refreshMarginMs(std::int64_t configured) const { return configured; }
  // Tokens: whether (and how) a new access token can be had without the operator.
  virtual bool canRefresh(const store::Account& account) const;
  virtual store::Tokens refresh(Session& session) const;
  // True when the account has no usable access token yet but can get one (Bluesky's app
  // password): the session refreshes before the first call.
  virtual bool needsSessionFirst(const store::Account& account) const;

  // Uploads one media item. `state` is this item's saved progress ({} at first): the upload
  // keeps in it what a later run needs to resume (upload ids, chunks sent) and calls
  // session.save() after each step. Returns the ref a post attaches.
  virtual Json upload(Session& session, const MediaItem& item, Json& state) const = 0;
  // What a post replying to the platform's post `id` (post:publish's replyTo) replies to:
  // {"parent": ref, "root": ref}. Default: the id itself for both.
  virtual Json replyTarget(Session& session, const std::string& id) const;
  // Fills values chosen once, before the first try, into a part's state (a record key, an
  // idempotency key). They are saved before anything is sent.
  virtual void prepare(Session& session, const Part& part, Json& state) const;
  // Creates one post; returns its ref ({"id","url",...}). Steps before the one that makes the
  // post public (Threads' container) are kept in `state` and saved with session.save(). Throws
  // OutcomeUnknown when the platform may have created the post without saying so.
  virtual Json create(Session& session, const Part& part, Json& state) const = 0;
  // For a part sent in an earlier run without a recorded answer (`state` has "sentAt").
  virtual Reconciliation reconcile(Session& session, const Part& part, const Json& state) const = 0;

  // Metrics of published posts (refs as create returned them), at most metricsBatch() a call.
  virtual std::size_t metricsBatch() const;
  virtual std::vector<Reading> metrics(Session& session, const std::vector<Json>& refs) const = 0;

 protected:
  // The tokens in an OAuth 2 token endpoint's answer to a refresh_token grant. 5xx and 429 go to
  // check(); any other refusal means the refresh token is no good: authInvalid, with the answer's
  // error_description or error, else errorText(response).
  store::Tokens oauthTokens(const net::Response& response,
                            std::string (*errorText)(const net::Response&)) const;
  // Metrics one post at a time: a GET of url(ref) for each ref, whose answer read() turns into
  // the reading; a post the platform answers notFound for is read as deleted.
  static std::vector<Reading> readEach(
      Session& session, const std::vector<Json>& refs,
      const std::function<std::string(const Json& ref)>& url,
      const std::function<void(const Json& answer, Reading& reading)>& read);
};

// The platform called `name` ("mastodon", "bluesky", "x", "linkedin", "threads", "webhook"), or
// null.
const Platform* platformNamed(const std::string& name);

}  // namespace publish::platforms
