// The executor process's side of the host service calls (Calls.h): each function of its table
// sends the plugin's arguments to the node and hands back the node's answer, into buffers the
// plugin frees with buffer_free as usual.
#include "executor/Calls.h"
#include "plugins/HostApi.h"

#include <unistd.h>

#include <cstddef>
#include <cstring>

namespace warren::executor {
namespace {

Forwarder* g_forwarder = nullptr;
log::Level g_level = log::Level::info;

// One call on its way: the frame's head (id, op, for the job or not), then the arguments.
struct Request {
  Request(Op op, const warren_job* job) : id(g_forwarder->nextId()), frame(Kind::call) {
    frame.u64(id).u8(static_cast<std::uint8_t>(op)).u8(job != nullptr ? 1 : 0);
  }
  // Sends it and returns the reply, read past its id and positioned at the status.
  struct Reply {
    Frame frame;
    FrameReader reader;
    explicit Reply(Frame f) : frame(std::move(f)), reader(frame.reader()) { reader.u64(); }
    Reply(const Reply&) = delete;  // the reader points into the frame
    Reply& operator=(const Reply&) = delete;
    warren_status status() { return reader.i32(); }
  };
  Reply send() && { return Reply(g_forwarder->call(id, std::move(frame).finish())); }

  std::uint64_t id;
  FrameBuilder frame;
};

// A buffer of the reply into the plugin's buffer (left alone when the node filled none).
void take(FrameReader& reader, warren_buffer* out) {
  const auto value = reader.maybe();
  if (value && out != nullptr) plugins::fillBuffer(out, *value);
}

// Any failure on the way (the node gone, a reply of the wrong shape) ends the process: the node
// classifies the death; a plugin must never see half an answer.
template <typename Fn>
auto guarded(Fn&& fn) noexcept -> decltype(fn()) {
  try {
    return fn();
  } catch (...) {
    ::_exit(kExitParentGone);
  }
}

// ---- log and metrics ----

int logEnabled(const warren_host*, warren_log_level level) noexcept {
  return static_cast<int>(level) >= static_cast<int>(g_level) ? 1 : 0;
}

void logWrite(const warren_host*, warren_log_level level, const char* message,
              std::size_t len) noexcept {
  guarded([&] {
    FrameBuilder frame(Kind::call);
    frame.u64(0).u8(static_cast<std::uint8_t>(Op::logWrite)).u8(0).u32(level);
    frame.bytes(message != nullptr ? std::string_view(message, len) : std::string_view());
    g_forwarder->post(std::move(frame).finish());
  });
}

warren_status metric(Op op, const char* name, const warren_pair* labels, std::size_t count,
                     double value) noexcept {
  return guarded([&] {
    Request request(op, nullptr);
    request.frame.text(name).u32(labels != nullptr ? static_cast<std::uint32_t>(count) : 0);
    for (std::size_t i = 0; labels != nullptr && i < count; ++i) {
      request.frame.text(labels[i].key).text(labels[i].value);
    }
    request.frame.f64(value);
    return std::move(request).send().status();
  });
}

warren_status counterAdd(const warren_host*, const char* name, const warren_pair* labels,
                         std::size_t count, double delta) noexcept {
  return metric(Op::counterAdd, name, labels, count, delta);
}
warren_status gaugeSet(const warren_host*, const char* name, const warren_pair* labels,
                       std::size_t count, double value) noexcept {
  return metric(Op::gaugeSet, name, labels, count, value);
}
warren_status histogramObserve(const warren_host*, const char* name, const warren_pair* labels,
                               std::size_t count, double value) noexcept {
  return metric(Op::histogramObserve, name, labels, count, value);
}

// ---- the job's reports and its once() ledger ----

warren_status jobText(Op op, const warren_job* job, const char* text, std::size_t len) noexcept {
  if (text == nullptr) return WARREN_ERR_INVALID;
  return guarded([&] {
    Request request(op, job);
    request.frame.bytes(std::string_view(text, len));
    return std::move(request).send().status();
  });
}

warren_status jobProgress(const warren_job* job, const char* json, std::size_t len) noexcept {
  return jobText(Op::jobProgress, job, json, len);
}
warren_status jobLog(const warren_job* job, const char* line, std::size_t len) noexcept {
  return jobText(Op::jobLog, job, line, len);
}

warren_status onceGet(const warren_job* job, const char* key, std::size_t keyLen,
                      warren_buffer* value) noexcept {
  if (key == nullptr) return WARREN_ERR_INVALID;
  return guarded([&] {
    Request request(Op::onceGet, job);
    request.frame.bytes(std::string_view(key, keyLen));
    auto reply = std::move(request).send();
    const warren_status status = reply.status();
    take(reply.reader, value);
    return status;
  });
}

warren_status oncePut(const warren_job* job, const char* key, std::size_t keyLen,
                      const char* valueJson, std::size_t valueLen, std::uint32_t ttlS) noexcept {
  if (key == nullptr || valueJson == nullptr) return WARREN_ERR_INVALID;
  return guarded([&] {
    Request request(Op::oncePut, job);
    request.frame.bytes(std::string_view(key, keyLen))
        .bytes(std::string_view(valueJson, valueLen))
        .u32(ttlS);
    return std::move(request).send().status();
  });
}

// ---- outbound HTTP ----

// The members of the plugin's request that its struct_size covers; the node rebuilds a request
// of the same size, so its own checks see what they would see in process.
template <typename Member>
bool covers(const warren_http_request& request, std::size_t offset) {
  return request.struct_size >= offset + sizeof(Member);
}

void writeRequest(FrameBuilder& frame, const warren_http_request* request) {
  frame.u8(request != nullptr ? 1 : 0);
  if (request == nullptr) return;
  const warren_http_request& r = *request;
  frame.u32(r.struct_size);
  const auto text = [&](const char* value, std::size_t offset) {
    frame.text(covers<const char*>(r, offset) ? value : nullptr);
  };
  text(r.method, offsetof(warren_http_request, method));
  text(r.url, offsetof(warren_http_request, url));
  const std::size_t headers =
      covers<std::size_t>(r, offsetof(warren_http_request, header_count)) ? r.header_count : 0;
  frame.u8(headers > 0 && r.headers == nullptr ? 0 : 1).u64(headers);
  for (std::size_t i = 0; r.headers != nullptr && i < headers; ++i) {
    frame.text(r.headers[i].key).text(r.headers[i].value);
  }
  const std::size_t body =
      covers<std::size_t>(r, offsetof(warren_http_request, body_len)) ? r.body_len : 0;
  frame.u8(body > 0 && r.body == nullptr ? 0 : 1).u64(body);
  if (body > 0 && r.body != nullptr) frame.bytes(std::string_view(r.body, body));
  frame.u32(covers<std::uint32_t>(r, offsetof(warren_http_request, timeout_ms)) ? r.timeout_ms : 0);
  frame.u32(covers<std::uint32_t>(r, offsetof(warren_http_request, idempotent)) ? r.idempotent : 0);
}

warren_status httpRequest(const warren_host*, const warren_job* job,
                          const warren_http_request* request, int32_t* statusCode,
                          warren_buffer* headersJson, warren_buffer* body,
                          warren_buffer* error) noexcept {
  return guarded([&] {
    Request call(Op::httpRequest, job);
    writeRequest(call.frame, request);
    auto reply = std::move(call).send();
    const warren_status status = reply.status();
    const std::int32_t code = reply.reader.i32();
    if (statusCode != nullptr) *statusCode = code;
    take(reply.reader, headersJson);
    take(reply.reader, body);
    take(reply.reader, error);
    return status;
  });
}

// ---- database ----

warren_status dbQuery(const warren_host*, const warren_job* job, warren_db_intent intent,
                      const char* sql, const char* paramsJson, warren_buffer* rowsJson,
                      int64_t* affected, warren_buffer* error) noexcept {
  return guarded([&] {
    Request call(Op::dbQuery, job);
    call.frame.u32(intent).text(sql).text(paramsJson);
    auto reply = std::move(call).send();
    const warren_status status = reply.status();
    take(reply.reader, rowsJson);
    const std::int64_t rows = reply.reader.i64();
    if (affected != nullptr) *affected = rows;
    take(reply.reader, error);
    return status;
  });
}

// ---- object storage ----

// A call of text arguments (and maybe a number) whose results are buffers, in order.
warren_status textCall(Op op, const warren_job* job, std::initializer_list<const char*> texts,
                       std::initializer_list<warren_buffer*> outs,
                       std::optional<std::uint32_t> number = std::nullopt) noexcept {
  return guarded([&] {
    Request call(op, job);
    for (const char* text : texts) call.frame.text(text);
    if (number) call.frame.u32(*number);
    auto reply = std::move(call).send();
    const warren_status status = reply.status();
    for (warren_buffer* out : outs) take(reply.reader, out);
    return status;
  });
}

warren_status putFile(const warren_host*, const warren_job* job, const char* key,
                      const char* localPath, const char* contentType,
                      warren_buffer* error) noexcept {
  return textCall(Op::storagePut, job, {key, localPath, contentType}, {error});
}
warren_status getFile(const warren_host*, const warren_job* job, const char* key,
                      const char* localPath, warren_buffer* error) noexcept {
  return textCall(Op::storageGet, job, {key, localPath}, {error});
}
warren_status head(const warren_host*, const char* key, warren_buffer* info,
                   warren_buffer* error) noexcept {
  return textCall(Op::storageHead, nullptr, {key}, {info, error});
}
warren_status remove(const warren_host*, const char* key, warren_buffer* error) noexcept {
  return textCall(Op::storageRemove, nullptr, {key}, {error});
}
warren_status list(const warren_host*, const char* prefix, warren_buffer* keys,
                   warren_buffer* error) noexcept {
  return textCall(Op::storageList, nullptr, {prefix}, {keys, error});
}
warren_status presignGet(const warren_host*, const char* key, uint32_t expiresS, warren_buffer* url,
                         warren_buffer* error) noexcept {
  return textCall(Op::storagePresign, nullptr, {key}, {url, error}, expiresS);
}

// ---- AI models ----

int aiAvailable(const warren_host*, uint32_t capability) noexcept {
  return guarded([&] {
    Request call(Op::aiAvailable, nullptr);
    call.frame.u32(capability);
    return static_cast<int>(std::move(call).send().status());
  });
}

// The node fills the members of a warren_ai_error of the plugin's struct_size; they come back
// into the plugin's struct, member by member.
warren_status aiCall(Op op, const warren_job* job, const char* request, std::size_t len,
                     warren_buffer* response, warren_ai_error* error) noexcept {
  return guarded([&] {
    Request call(op, job);
    call.frame.u8(request != nullptr ? 1 : 0);
    if (request != nullptr) call.frame.bytes(std::string_view(request, len));
    call.frame.u32(error != nullptr ? error->struct_size : 0);
    auto reply = std::move(call).send();
    const warren_status status = reply.status();
    take(reply.reader, response);
    const std::uint32_t retryable = reply.reader.u32();
    const std::int64_t retryAt = reply.reader.i64();
    const auto message = reply.reader.maybe();
    if (error == nullptr) return status;
    const std::uint32_t size = error->struct_size;
    if (size >= offsetof(warren_ai_error, retryable) + sizeof error->retryable) {
      error->retryable = retryable;
    }
    if (size >= offsetof(warren_ai_error, retry_at_ms) + sizeof error->retry_at_ms) {
      error->retry_at_ms = retryAt;
    }
    if (size >= offsetof(warren_ai_error, message) + sizeof error->message) {
      error->message = warren_buffer{nullptr, 0};
      if (message) plugins::fillBuffer(&error->message, *message);
    }
    return status;
  });
}

warren_status aiComplete(const warren_host*, const warren_job* job, const char* request,
                         std::size_t len, warren_buffer* response,
                         warren_ai_error* error) noexcept {
  return aiCall(Op::aiComplete, job, request, len, response, error);
}
warren_status aiEmbed(const warren_host*, const warren_job* job, const char* request,
                      std::size_t len, warren_buffer* response, warren_ai_error* error) noexcept {
  return aiCall(Op::aiEmbed, job, request, len, response, error);
}

// ---- queues ----

warren_status queueAdd(const warren_host*, const warren_job* job, const char* queue,
                       const char* name, const char* dataJson, const char* optsJson,
                       warren_buffer* jobId, warren_buffer* error) noexcept {
  return textCall(Op::queueAdd, job, {queue, name, dataJson, optsJson}, {jobId, error});
}
warren_status upsertScheduler(const warren_host*, const char* queue, const char* schedulerId,
                              const char* repeatJson, const char* templateJson,
                              warren_buffer* error) noexcept {
  return textCall(Op::queueUpsertScheduler, nullptr, {queue, schedulerId, repeatJson, templateJson},
                  {error});
}

const warren_log_api kLog = {sizeof(warren_log_api), logEnabled, logWrite};
const warren_metrics_api kMetrics = {sizeof(warren_metrics_api), counterAdd, gaugeSet,
                                     histogramObserve};
const warren_http_api kHttp = {sizeof(warren_http_api), httpRequest};
const warren_db_api kDb = {sizeof(warren_db_api), dbQuery};
const warren_storage_api kStorage = {
    sizeof(warren_storage_api), putFile, getFile, head, remove, list, presignGet};
const warren_ai_api kAi = {sizeof(warren_ai_api), aiAvailable, aiComplete, aiEmbed};
const warren_queue_api kQueue = {sizeof(warren_queue_api), queueAdd, upsertScheduler};

}  // namespace

std::uint32_t servicesOf(const warren_host_api& api) {
  return (api.http != nullptr ? kHasHttp : 0) | (api.db != nullptr ? kHasDb : 0) |
         (api.storage != nullptr ? kHasStorage : 0) | (api.ai != nullptr ? kHasAi : 0) |
         (api.queue != nullptr ? kHasQueue : 0);
}

const warren_host_api* forwardingTable(const warren_host_api& base, Forwarder& forwarder,
                                       std::uint32_t services, log::Level level) {
  g_forwarder = &forwarder;
  g_level = level;
  static warren_job_api job;
  job = *base.job;
  job.progress = jobProgress;
  job.log = jobLog;
  job.once_get = onceGet;
  job.once_put = oncePut;
  static warren_host_api api;
  api = base;
  api.log = &kLog;
  api.metrics = &kMetrics;
  api.job = &job;
  api.http = (services & kHasHttp) != 0 ? &kHttp : nullptr;
  api.db = (services & kHasDb) != 0 ? &kDb : nullptr;
  api.storage = (services & kHasStorage) != 0 ? &kStorage : nullptr;
  api.ai = (services & kHasAi) != 0 ? &kAi : nullptr;
  api.queue = (services & kHasQueue) != 0 ? &kQueue : nullptr;
  return &api;
}

}  // namespace warren::executor
