// The node's side of the host service calls (Calls.h): each call of an executor process is
// answered by the node's own table, for the plugin's Caller and the job the node runs for it.
#include "executor/Calls.h"

#include <vector>

namespace warren::executor {
namespace {

using Text = std::optional<std::string>;

Text text(FrameReader& reader) {
  const auto value = reader.maybe();
  return value ? Text(std::string(*value)) : Text();
}
const char* c(const Text& value) {
  return value ? value->c_str() : nullptr;
}

// A buffer the node's table fills, freed with the table's buffer_free once copied into the
// reply.
class Buffer {
 public:
  explicit Buffer(const warren_host_api& api) : api_(api) {}
  ~Buffer() { api_.buffer_free(&buffer_); }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  warren_buffer* out() { return &buffer_; }
  void writeTo(FrameBuilder& frame) const {
    frame.maybe(buffer_.data != nullptr ? Text(std::string(buffer_.data, buffer_.len)) : Text());
  }

 private:
  const warren_host_api& api_;
  warren_buffer buffer_{nullptr, 0};
};

// The reply under construction: the id first, then the status and the results.
struct Reply {
  Reply(std::uint64_t id, const warren_host_api& table) : api(table), frame(Kind::reply) {
    frame.u64(id);
  }
  const warren_host_api& api;
  FrameBuilder frame;
};

std::string finish(FrameBuilder& frame) {
  return std::move(frame).finish();
}

void metric(Reply& reply, const warren_host* host, Op op, FrameReader& call) {
  const Text name = text(call);
  const std::uint32_t count = call.u32();
  std::vector<Text> parts;
  for (std::uint32_t i = 0; i < 2 * count; ++i) parts.push_back(text(call));
  const double value = call.f64();
  std::vector<warren_pair> labels;
  for (std::uint32_t i = 0; i < count; ++i)
    labels.push_back({c(parts[2 * i]), c(parts[2 * i + 1])});
  const warren_metrics_api& m = *reply.api.metrics;
  const auto fn = op == Op::counterAdd ? m.counter_add
                  : op == Op::gaugeSet ? m.gauge_set
                                       : m.histogram_observe;
  reply.frame.i32(fn(host, c(name), labels.data(), labels.size(), value));
}

void jobReport(Reply& reply, const warren_job* job, Op op, FrameReader& call) {
  const std::string_view value = call.bytes();
  if (job == nullptr) {
    reply.frame.i32(WARREN_ERR_INVALID);
    return;
  }
  const auto fn = op == Op::jobProgress ? reply.api.job->progress : reply.api.job->log;
  reply.frame.i32(fn(job, value.data(), value.size()));
}

void once(Reply& reply, const warren_job* job, Op op, FrameReader& call) {
  const std::string key(call.bytes());
  if (op == Op::onceGet) {
    Buffer value(reply.api);
    const warren_status status =
        job == nullptr || reply.api.job->once_get == nullptr
            ? WARREN_ERR_UNAVAILABLE
            : reply.api.job->once_get(job, key.data(), key.size(), value.out());
    reply.frame.i32(status);
    value.writeTo(reply.frame);
    return;
  }
  const std::string value(call.bytes());
  const std::uint32_t ttl = call.u32();
  reply.frame.i32(
      job == nullptr || reply.api.job->once_put == nullptr
          ? WARREN_ERR_UNAVAILABLE
          : reply.api.job->once_put(job, key.data(), key.size(), value.data(), value.size(), ttl));
}

void http(Reply& reply, const warren_host* host, const warren_job* job, FrameReader& call) {
  warren_http_request request{};
  const bool present = call.u8() != 0;
  Text method, url;
  std::vector<Text> headerParts;
  std::vector<warren_pair> headers;
  std::string body;
  bool bodyPresent = false;
  if (present) {
    request.struct_size = call.u32();
    method = text(call);
    url = text(call);
    const bool headersPresent = call.u8() != 0;
    const std::uint64_t count = call.u64();
    for (std::uint64_t i = 0; headersPresent && i < 2 * count; ++i) {
      headerParts.push_back(text(call));
    }
    for (std::size_t i = 0; i + 1 < headerParts.size(); i += 2) {
      headers.push_back({c(headerParts[i]), c(headerParts[i + 1])});
    }
    bodyPresent = call.u8() != 0;
    const std::uint64_t bodyLen = call.u64();
    if (bodyPresent && bodyLen > 0) body = std::string(call.bytes());
    request.method = c(method);
    request.url = c(url);
    request.headers = headersPresent ? headers.data() : nullptr;
    request.header_count = static_cast<std::size_t>(count);
    request.body = bodyPresent ? body.data() : nullptr;
    request.body_len = static_cast<std::size_t>(bodyLen);
    request.timeout_ms = call.u32();
    request.idempotent = call.u32();
  }
  Buffer headersJson(reply.api), responseBody(reply.api), error(reply.api);
  std::int32_t code = 0;
  const warren_status status =
      reply.api.http == nullptr
          ? WARREN_ERR_UNAVAILABLE
          : reply.api.http->request(host, job, present ? &request : nullptr, &code,
                                    headersJson.out(), responseBody.out(), error.out());
  reply.frame.i32(status).i32(code);
  headersJson.writeTo(reply.frame);
  responseBody.writeTo(reply.frame);
  error.writeTo(reply.frame);
}

void db(Reply& reply, const warren_host* host, const warren_job* job, FrameReader& call) {
  const std::uint32_t intent = call.u32();
  const Text sql = text(call);
  const Text params = text(call);
  Buffer rows(reply.api), error(reply.api);
  std::int64_t affected = 0;
  const warren_status status = reply.api.db == nullptr
                                   ? WARREN_ERR_UNAVAILABLE
                                   : reply.api.db->query(host, job, intent, c(sql), c(params),
                                                         rows.out(), &affected, error.out());
  reply.frame.i32(status);
  rows.writeTo(reply.frame);
  reply.frame.i64(affected);
  error.writeTo(reply.frame);
}

void storage(Reply& reply, const warren_host* host, const warren_job* job, Op op,
             FrameReader& call) {
  const warren_storage_api* s = reply.api.storage;
  Buffer out(reply.api), error(reply.api);
  warren_status status = WARREN_ERR_UNAVAILABLE;
  bool hasOut = false;
  switch (op) {
    case Op::storagePut: {
      const Text key = text(call), path = text(call), type = text(call);
      if (s != nullptr) status = s->put_file(host, job, c(key), c(path), c(type), error.out());
      break;
    }
    case Op::storageGet: {
      const Text key = text(call), path = text(call);
      if (s != nullptr) status = s->get_file(host, job, c(key), c(path), error.out());
      break;
    }
    case Op::storageHead: {
      const Text key = text(call);
      if (s != nullptr) status = s->head(host, c(key), out.out(), error.out());
      hasOut = true;
      break;
    }
    case Op::storageRemove: {
      const Text key = text(call);
      if (s != nullptr) status = s->remove(host, c(key), error.out());
      break;
    }
    case Op::storageList: {
      const Text prefix = text(call);
      if (s != nullptr) status = s->list(host, c(prefix), out.out(), error.out());
      hasOut = true;
      break;
    }
    default: {  // storagePresign
      const Text key = text(call);
      const std::uint32_t expires = call.u32();
      if (s != nullptr) status = s->presign_get(host, c(key), expires, out.out(), error.out());
      hasOut = true;
      break;
    }
  }
  reply.frame.i32(status);
  if (hasOut) out.writeTo(reply.frame);
  error.writeTo(reply.frame);
}

void ai(Reply& reply, const warren_host* host, const warren_job* job, Op op, FrameReader& call) {
  const warren_ai_api* a = reply.api.ai;
  if (op == Op::aiAvailable) {
    const std::uint32_t capability = call.u32();
    reply.frame.i32(a != nullptr ? a->available(host, capability) : 0);
    return;
  }
  const bool present = call.u8() != 0;
  const std::string request = present ? std::string(call.bytes()) : std::string();
  warren_ai_error error{};
  error.struct_size = call.u32();
  Buffer response(reply.api);
  const auto fn = a == nullptr ? nullptr : op == Op::aiComplete ? a->complete : a->embed;
  const warren_status status =
      fn == nullptr ? WARREN_ERR_UNAVAILABLE
                    : fn(host, job, present ? request.c_str() : nullptr, request.size(),
                         response.out(), error.struct_size > 0 ? &error : nullptr);
  reply.frame.i32(status);
  response.writeTo(reply.frame);
  reply.frame.u32(error.retryable).i64(error.retry_at_ms);
  reply.frame.maybe(error.message.data != nullptr
                        ? Text(std::string(error.message.data, error.message.len))
                        : Text());
  reply.api.buffer_free(&error.message);
}

void queue(Reply& reply, const warren_host* host, const warren_job* job, Op op, FrameReader& call) {
  const warren_queue_api* q = reply.api.queue;
  const Text a = text(call), b = text(call), d = text(call), e = text(call);
  Buffer id(reply.api), error(reply.api);
  warren_status status = WARREN_ERR_UNAVAILABLE;
  if (op == Op::queueAdd) {
    if (q != nullptr) status = q->add(host, job, c(a), c(b), c(d), c(e), id.out(), error.out());
    reply.frame.i32(status);
    id.writeTo(reply.frame);
  } else {
    if (q != nullptr) status = q->upsert_scheduler(host, c(a), c(b), c(d), c(e), error.out());
    reply.frame.i32(status);
  }
  error.writeTo(reply.frame);
}

}  // namespace

std::optional<std::string> serveCall(const warren_host_api& api, const warren_host* host,
                                     const warren_job* runningJob, FrameReader& call) {
  const std::uint64_t id = call.u64();
  const std::uint8_t code = call.u8();
  const warren_job* job = call.u8() != 0 ? runningJob : nullptr;
  const auto op = static_cast<Op>(code);
  if (op == Op::logWrite) {
    const std::uint32_t level = call.u32();
    const std::string_view message = call.bytes();
    call.end();
    api.log->write(host, level, message.data(), message.size());
    return std::nullopt;
  }
  Reply reply(id, api);
  switch (op) {
    case Op::counterAdd:
    case Op::gaugeSet:
    case Op::histogramObserve:
      metric(reply, host, op, call);
      break;
    case Op::jobProgress:
    case Op::jobLog:
      jobReport(reply, job, op, call);
      break;
    case Op::onceGet:
    case Op::oncePut:
      once(reply, job, op, call);
      break;
    case Op::httpRequest:
      http(reply, host, job, call);
      break;
    case Op::dbQuery:
      db(reply, host, job, call);
      break;
    case Op::storagePut:
    case Op::storageGet:
    case Op::storageHead:
    case Op::storageRemove:
    case Op::storageList:
    case Op::storagePresign:
      storage(reply, host, job, op, call);
      break;
    case Op::aiAvailable:
    case Op::aiComplete:
    case Op::aiEmbed:
      ai(reply, host, job, op, call);
      break;
    case Op::queueAdd:
    case Op::queueUpsertScheduler:
      queue(reply, host, job, op, call);
      break;
    default:
      throw ProtocolError("a call of unknown operation " + std::to_string(code));
  }
  call.end();
  return finish(reply.frame);
}

}  // namespace warren::executor
