// Every forwarded host service, both halves at once: the executor process's table (as a plugin
// calls it) sends each call through a loopback to serveCall, which answers with a recording
// node table; the test checks what the node saw and what the plugin got back.
#include "executor/Calls.h"
#include "plugins/HostApi.h"
#include "plugins/JobContext.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace warren::executor {
namespace {

// What the node's table was called with, by function.
std::map<std::string, std::vector<std::string>> g_seen;
const warren_job* g_nodeJob = nullptr;
const warren_host* g_nodeHost = nullptr;

std::string str(const char* text) {
  return text != nullptr ? text : "(null)";
}
void see(const std::string& fn, std::vector<std::string> args) {
  g_seen[fn] = std::move(args);
}
std::string who(const warren_host* host, const warren_job* job) {
  return std::string(host == g_nodeHost ? "host" : "other") + "/" +
         (job == nullptr     ? "no job"
          : job == g_nodeJob ? "job"
                             : "other job");
}

// ---- the node's table (fakes that record and answer) ----

void logWrite(const warren_host* host, warren_log_level level, const char* m,
              std::size_t n) noexcept {
  see("log", {who(host, nullptr), std::to_string(level), std::string(m, n)});
}
warren_status counter(const warren_host* host, const char* name, const warren_pair* labels,
                      std::size_t count, double delta) noexcept {
  std::vector<std::string> args = {who(host, nullptr), str(name), std::to_string(delta)};
  for (std::size_t i = 0; i < count; ++i)
    args.push_back(str(labels[i].key) + "=" + str(labels[i].value));
  see("counter", args);
  return name == nullptr ? WARREN_ERR_INVALID : WARREN_OK;
}
warren_status gauge(const warren_host*, const char* name, const warren_pair*, std::size_t,
                    double value) noexcept {
  see("gauge", {str(name), std::to_string(value)});
  return WARREN_ERR_INVALID;
}
warren_status histogram(const warren_host*, const char* name, const warren_pair*, std::size_t,
                        double value) noexcept {
  see("histogram", {str(name), std::to_string(value)});
  return WARREN_OK;
}
warren_status progress(const warren_job* job, const char* json, std::size_t len) noexcept {
  see("progress", {who(g_nodeHost, job), std::string(json, len)});
  return WARREN_ERR_UNAVAILABLE;
}
warren_status jobLog(const warren_job* job, const char* line, std::size_t len) noexcept {
  see("job log", {who(g_nodeHost, job), std::string(line, len)});
  return WARREN_OK;
}
warren_status onceGet(const warren_job* job, const char* key, std::size_t len,
                      warren_buffer* value) noexcept {
  see("once_get", {who(g_nodeHost, job), std::string(key, len)});
  if (std::string(key, len) != "done") return WARREN_ERR_NOT_FOUND;
  plugins::fillBuffer(value, "{\"at\":1}");
  return WARREN_OK;
}
warren_status oncePut(const warren_job* job, const char* key, std::size_t keyLen, const char* value,
                      std::size_t valueLen, std::uint32_t ttl) noexcept {
  see("once_put", {who(g_nodeHost, job), std::string(key, keyLen), std::string(value, valueLen),
                   std::to_string(ttl)});
  return WARREN_OK;
}
warren_status http(const warren_host* host, const warren_job* job, const warren_http_request* r,
                   int32_t* code, warren_buffer* headers, warren_buffer* body,
                   warren_buffer* error) noexcept {
  if (r == nullptr) {
    see("http", {who(host, job), "no request"});
    plugins::fillBuffer(error, "request is NULL");
    return WARREN_ERR_INVALID;
  }
  std::vector<std::string> args = {who(host, job), std::to_string(r->struct_size), str(r->method),
                                   str(r->url)};
  for (std::size_t i = 0; r->headers != nullptr && i < r->header_count; ++i) {
    args.push_back(str(r->headers[i].key) + ": " + str(r->headers[i].value));
  }
  args.push_back(r->body == nullptr ? "no body" : std::string(r->body, r->body_len));
  args.push_back(std::to_string(r->timeout_ms) + " ms, idempotent " +
                 std::to_string(r->idempotent));
  see("http", args);
  *code = 201;
  plugins::fillBuffer(headers, "{\"x\":\"1\"}");
  plugins::fillBuffer(body, std::string("bin\0ary", 7));
  (void)error;
  return WARREN_OK;
}
warren_status query(const warren_host* host, const warren_job* job, warren_db_intent intent,
                    const char* sql, const char* params, warren_buffer* rows, int64_t* affected,
                    warren_buffer* error) noexcept {
  see("db", {who(host, job), std::to_string(intent), str(sql), str(params)});
  if (sql == nullptr) {
    plugins::fillBuffer(error, "sql is NULL");
    return WARREN_ERR_INVALID;
  }
  plugins::fillBuffer(rows, "[{\"one\":1}]");
  *affected = 9;
  return WARREN_OK;
}
warren_status putFile(const warren_host* host, const warren_job* job, const char* key,
                      const char* path, const char* type, warren_buffer* error) noexcept {
  see("put_file", {who(host, job), str(key), str(path), str(type)});
  plugins::fillBuffer(error, "disk full");
  return WARREN_ERR_UNAVAILABLE;
}
warren_status getFile(const warren_host* host, const warren_job* job, const char* key,
                      const char* path, warren_buffer*) noexcept {
  see("get_file", {who(host, job), str(key), str(path)});
  return WARREN_OK;
}
warren_status head(const warren_host*, const char* key, warren_buffer* info,
                   warren_buffer*) noexcept {
  see("head", {str(key)});
  plugins::fillBuffer(info, "{\"size\":3}");
  return WARREN_OK;
}
warren_status remove(const warren_host*, const char* key, warren_buffer* error) noexcept {
  see("remove", {str(key)});
  plugins::fillBuffer(error, "no such key");
  return WARREN_ERR_NOT_FOUND;
}
warren_status list(const warren_host*, const char* prefix, warren_buffer* keys,
                   warren_buffer*) noexcept {
  see("list", {str(prefix)});
  plugins::fillBuffer(keys, "[\"a\",\"b\"]");
  return WARREN_OK;
}
warren_status presign(const warren_host*, const char* key, uint32_t expires, warren_buffer* url,
                      warren_buffer*) noexcept {
  see("presign", {str(key), std::to_string(expires)});
  plugins::fillBuffer(url, "https://x/y");
  return WARREN_OK;
}
int available(const warren_host*, uint32_t capability) noexcept {
  return capability == WARREN_AI_EMBED ? 1 : 0;
}
warren_status complete(const warren_host* host, const warren_job* job, const char* request,
                       std::size_t len, warren_buffer* response, warren_ai_error* error) noexcept {
  see("complete", {who(host, job), request == nullptr ? "(null)" : std::string(request, len),
                   std::to_string(error != nullptr ? error->struct_size : 0)});
  (void)response;
  if (error != nullptr) {
    error->retryable = 1;
    if (error->struct_size >= sizeof *error) {
      error->retry_at_ms = 1234;
      plugins::fillBuffer(&error->message, "rate limited by the provider");
    }
  }
  return WARREN_ERR_RETRY_LATER;
}
warren_status embed(const warren_host*, const warren_job*, const char*, std::size_t,
                    warren_buffer* response, warren_ai_error*) noexcept {
  plugins::fillBuffer(response, "{\"vectors\":[[1,0]]}");
  return WARREN_OK;
}
warren_status add(const warren_host* host, const warren_job* job, const char* queue,
                  const char* name, const char* data, const char* opts, warren_buffer* id,
                  warren_buffer*) noexcept {
  see("add", {who(host, job), str(queue), str(name), str(data), str(opts)});
  plugins::fillBuffer(id, "42");
  return WARREN_OK;
}
warren_status upsert(const warren_host*, const char* queue, const char* id, const char* repeat,
                     const char* tmpl, warren_buffer* error) noexcept {
  see("upsert", {str(queue), str(id), str(repeat), str(tmpl)});
  plugins::fillBuffer(error, "bad cron");
  return WARREN_ERR_INVALID;
}

const warren_log_api kLog = {sizeof(warren_log_api), nullptr, logWrite};
const warren_metrics_api kMetrics = {sizeof(warren_metrics_api), counter, gauge, histogram};
const warren_http_api kHttp = {sizeof(warren_http_api), http};
const warren_db_api kDb = {sizeof(warren_db_api), query};
const warren_storage_api kStorage = {
    sizeof(warren_storage_api), putFile, getFile, head, remove, list, presign};
const warren_ai_api kAi = {sizeof(warren_ai_api), available, complete, embed};
const warren_queue_api kQueue = {sizeof(warren_queue_api), add, upsert};

warren_host_api nodeTable() {
  static warren_job_api job = *plugins::hostApi()->job;
  job.progress = progress;
  job.log = jobLog;
  job.once_get = onceGet;
  job.once_put = oncePut;
  warren_host_api api = *plugins::hostApi();
  api.log = &kLog;
  api.metrics = &kMetrics;
  api.job = &job;
  api.http = &kHttp;
  api.db = &kDb;
  api.storage = &kStorage;
  api.ai = &kAi;
  api.queue = &kQueue;
  return api;
}

// The executor's link, looped back into serveCall on the node's table.
class Loopback final : public Forwarder {
 public:
  explicit Loopback(const warren_host_api& node) : node_(node) {}
  Frame call(std::uint64_t id, std::string frame) override {
    auto reply = serve(std::move(frame));
    EXPECT_TRUE(reply);
    std::string wire = std::move(*reply);
    auto parsed = takeFrame(wire);
    EXPECT_EQ(parsed->kind, Kind::reply);
    EXPECT_EQ(parsed->reader().u64(), id);
    return std::move(*parsed);
  }
  void post(std::string frame) override { EXPECT_FALSE(serve(std::move(frame))); }

 private:
  std::optional<std::string> serve(std::string wire) {
    auto frame = takeFrame(wire);
    EXPECT_TRUE(frame && wire.empty());
    FrameReader reader = frame->reader();
    return serveCall(node_, g_nodeHost, g_nodeJob, reader);
  }
  const warren_host_api& node_;
};

class ForwardedCalls : public ::testing::Test {
 protected:
  ForwardedCalls() {
    g_seen.clear();
    g_nodeJob = &nodeJob_;
    g_nodeHost = &nodeHost_;
    api_ = forwardingTable(*plugins::hostApi(), loopback_,
                           kHasHttp | kHasDb | kHasStorage | kHasAi | kHasQueue, log::Level::warn);
  }
  std::string take(warren_buffer& buffer) {
    std::string text = buffer.data != nullptr ? std::string(buffer.data, buffer.len) : "(none)";
    api_->buffer_free(&buffer);
    return text;
  }

  warren_host_api node_ = nodeTable();
  Loopback loopback_{node_};
  plugins::JobContext nodeContext_{plugins::JobInput{}, {}};
  warren_job nodeJob_{&nodeContext_};
  plugins::Caller caller_;
  warren_host nodeHost_{&caller_};
  // The executor's own handles: whatever the plugin passes, the node uses its own.
  plugins::JobContext childContext_{plugins::JobInput{}, {}};
  warren_job childJob_{&childContext_};
  warren_host childHost_{&caller_};
  const warren_host_api* api_ = nullptr;
};

TEST_F(ForwardedCalls, LogLinesGoOneWayAndBelowTheLevelAreNotWanted) {
  EXPECT_EQ(api_->log->enabled(&childHost_, WARREN_LOG_INFO), 0);
  EXPECT_EQ(api_->log->enabled(&childHost_, WARREN_LOG_WARN), 1);
  api_->log->write(&childHost_, WARREN_LOG_ERROR, "boom\nthere", 10);
  EXPECT_EQ(g_seen["log"], (std::vector<std::string>{"host/no job", "4", "boom\nthere"}));
}

TEST_F(ForwardedCalls, MetricsCarryTheirLabelsAndStatus) {
  const warren_pair labels[] = {{"a", "1"}, {"b", nullptr}};
  EXPECT_EQ(api_->metrics->counter_add(&childHost_, "c_total", labels, 2, 2.5), WARREN_OK);
  EXPECT_EQ(g_seen["counter"],
            (std::vector<std::string>{"host/no job", "c_total", "2.500000", "a=1", "b=(null)"}));
  EXPECT_EQ(api_->metrics->counter_add(&childHost_, nullptr, nullptr, 3, 1), WARREN_ERR_INVALID);
  EXPECT_EQ(g_seen["counter"], (std::vector<std::string>{"host/no job", "(null)", "1.000000"}))
      << "NULL labels count as none";
  EXPECT_EQ(api_->metrics->gauge_set(&childHost_, "g", nullptr, 0, -1), WARREN_ERR_INVALID);
  EXPECT_EQ(api_->metrics->histogram_observe(&childHost_, "h", nullptr, 0, 0.5), WARREN_OK);
  EXPECT_EQ(g_seen["histogram"], (std::vector<std::string>{"h", "0.500000"}));
}

TEST_F(ForwardedCalls, JobReportsAndTheOnceLedgerReachTheRunningJob) {
  EXPECT_EQ(api_->job->progress(&childJob_, "{\"p\":1}", 7), WARREN_ERR_UNAVAILABLE);
  EXPECT_EQ(g_seen["progress"], (std::vector<std::string>{"host/job", "{\"p\":1}"}));
  EXPECT_EQ(api_->job->log(&childJob_, "line", 4), WARREN_OK);
  EXPECT_EQ(g_seen["job log"], (std::vector<std::string>{"host/job", "line"}));
  EXPECT_EQ(api_->job->progress(&childJob_, nullptr, 3), WARREN_ERR_INVALID);
  warren_buffer value{};
  EXPECT_EQ(api_->job->once_get(&childJob_, "nope", 4, &value), WARREN_ERR_NOT_FOUND);
  EXPECT_EQ(take(value), "(none)");
  EXPECT_EQ(api_->job->once_get(&childJob_, "done", 4, &value), WARREN_OK);
  EXPECT_EQ(take(value), "{\"at\":1}");
  EXPECT_EQ(api_->job->once_put(&childJob_, "k", 1, "[1]", 3, 60), WARREN_OK);
  EXPECT_EQ(g_seen["once_put"], (std::vector<std::string>{"host/job", "k", "[1]", "60"}));
}

TEST_F(ForwardedCalls, HttpRequestsKeepTheirShapeAndBinaryBodies) {
  const warren_pair headers[] = {{"Accept", "*/*"}};
  warren_http_request request{};
  request.struct_size = sizeof request;
  request.method = "POST";
  request.url = "http://127.0.0.1/x";
  request.headers = headers;
  request.header_count = 1;
  request.body = "a\0b";
  request.body_len = 3;
  request.timeout_ms = 250;
  request.idempotent = 1;
  std::int32_t code = 0;
  warren_buffer h{}, body{}, error{};
  EXPECT_EQ(api_->http->request(&childHost_, &childJob_, &request, &code, &h, &body, &error),
            WARREN_OK);
  EXPECT_EQ(g_seen["http"],
            (std::vector<std::string>{"host/job", std::to_string(sizeof request), "POST",
                                      "http://127.0.0.1/x", "Accept: */*", std::string("a\0b", 3),
                                      "250 ms, idempotent 1"}));
  EXPECT_EQ(code, 201);
  EXPECT_EQ(take(h), "{\"x\":\"1\"}");
  EXPECT_EQ(take(body), std::string("bin\0ary", 7));
  EXPECT_EQ(take(error), "(none)");

  // A request of the ABI 1.0 size without the later members: the node sees the same size.
  warren_http_request old = request;
  old.struct_size = offsetof(warren_http_request, timeout_ms);
  EXPECT_EQ(api_->http->request(&childHost_, nullptr, &old, nullptr, nullptr, nullptr, nullptr),
            WARREN_OK);
  EXPECT_EQ(g_seen["http"].front(), "host/no job");
  EXPECT_EQ(g_seen["http"][1], std::to_string(offsetof(warren_http_request, timeout_ms)));
  EXPECT_EQ(g_seen["http"].back(), "0 ms, idempotent 0");
  EXPECT_EQ(api_->http->request(&childHost_, nullptr, nullptr, &code, &h, &body, &error),
            WARREN_ERR_INVALID);
  EXPECT_EQ(take(error), "request is NULL");
}

TEST_F(ForwardedCalls, DatabaseQueries) {
  warren_buffer rows{}, error{};
  std::int64_t affected = 0;
  EXPECT_EQ(api_->db->query(&childHost_, &childJob_, WARREN_DB_WRITE, "UPDATE t", "[1]", &rows,
                            &affected, &error),
            WARREN_OK);
  EXPECT_EQ(g_seen["db"], (std::vector<std::string>{"host/job", "1", "UPDATE t", "[1]"}));
  EXPECT_EQ(take(rows), "[{\"one\":1}]");
  EXPECT_EQ(affected, 9);
  EXPECT_EQ(api_->db->query(&childHost_, nullptr, WARREN_DB_READ, nullptr, nullptr, &rows,
                            &affected, &error),
            WARREN_ERR_INVALID);
  EXPECT_EQ(take(error), "sql is NULL");
  EXPECT_EQ(g_seen["db"], (std::vector<std::string>{"host/no job", "0", "(null)", "(null)"}));
}

TEST_F(ForwardedCalls, StorageCalls) {
  warren_buffer out{}, error{};
  const warren_storage_api& s = *api_->storage;
  EXPECT_EQ(s.put_file(&childHost_, &childJob_, "k", "/tmp/f", nullptr, &error),
            WARREN_ERR_UNAVAILABLE);
  EXPECT_EQ(take(error), "disk full");
  EXPECT_EQ(g_seen["put_file"], (std::vector<std::string>{"host/job", "k", "/tmp/f", "(null)"}));
  EXPECT_EQ(s.get_file(&childHost_, nullptr, "k", "/tmp/g", &error), WARREN_OK);
  EXPECT_EQ(g_seen["get_file"], (std::vector<std::string>{"host/no job", "k", "/tmp/g"}));
  EXPECT_EQ(s.head(&childHost_, "k", &out, &error), WARREN_OK);
  EXPECT_EQ(take(out), "{\"size\":3}");
  EXPECT_EQ(s.remove(&childHost_, "k", &error), WARREN_ERR_NOT_FOUND);
  EXPECT_EQ(take(error), "no such key");
  EXPECT_EQ(s.list(&childHost_, "p/", &out, &error), WARREN_OK);
  EXPECT_EQ(take(out), "[\"a\",\"b\"]");
  EXPECT_EQ(s.presign_get(&childHost_, "k", 90, &out, &error), WARREN_OK);
  EXPECT_EQ(take(out), "https://x/y");
  EXPECT_EQ(g_seen["presign"], (std::vector<std::string>{"k", "90"}));
}

TEST_F(ForwardedCalls, AiCallsFillTheErrorStructOfThePluginsSize) {
  const warren_ai_api& ai = *api_->ai;
  EXPECT_EQ(ai.available(&childHost_, WARREN_AI_COMPLETE), 0);
  EXPECT_EQ(ai.available(&childHost_, WARREN_AI_EMBED), 1);
  warren_buffer response{};
  warren_ai_error error{};
  error.struct_size = sizeof error;
  EXPECT_EQ(ai.complete(&childHost_, &childJob_, "{\"q\":1}", 7, &response, &error),
            WARREN_ERR_RETRY_LATER);
  EXPECT_EQ(g_seen["complete"],
            (std::vector<std::string>{"host/job", "{\"q\":1}", std::to_string(sizeof error)}));
  EXPECT_EQ(error.retryable, 1u);
  EXPECT_EQ(error.retry_at_ms, 1234);
  EXPECT_EQ(take(error.message), "rate limited by the provider");
  EXPECT_EQ(take(response), "(none)");

  // A plugin built when the struct ended after `retryable`: nothing beyond it is written.
  warren_ai_error small{};
  small.struct_size = offsetof(warren_ai_error, retry_at_ms);
  small.retry_at_ms = -7;
  EXPECT_EQ(ai.complete(&childHost_, nullptr, nullptr, 0, &response, &small),
            WARREN_ERR_RETRY_LATER);
  EXPECT_EQ(small.retryable, 1u);
  EXPECT_EQ(small.retry_at_ms, -7);
  EXPECT_EQ(g_seen["complete"].at(1), "(null)");
  EXPECT_EQ(ai.embed(&childHost_, &childJob_, "{}", 2, &response, nullptr), WARREN_OK);
  EXPECT_EQ(take(response), "{\"vectors\":[[1,0]]}");
}

TEST_F(ForwardedCalls, QueueCalls) {
  warren_buffer id{}, error{};
  EXPECT_EQ(api_->queue->add(&childHost_, &childJob_, "next", "n", "{}", nullptr, &id, &error),
            WARREN_OK);
  EXPECT_EQ(take(id), "42");
  EXPECT_EQ(g_seen["add"], (std::vector<std::string>{"host/job", "next", "n", "{}", "(null)"}));
  EXPECT_EQ(api_->queue->upsert_scheduler(&childHost_, "q", "s", "{}", "{}", &error),
            WARREN_ERR_INVALID);
  EXPECT_EQ(take(error), "bad cron");
}

TEST_F(ForwardedCalls, MissingServicesStayMissing) {
  const warren_host_api* api =
      forwardingTable(*plugins::hostApi(), loopback_, kHasDb, log::Level::info);
  EXPECT_EQ(api->http, nullptr);
  EXPECT_NE(api->db, nullptr);
  EXPECT_EQ(api->storage, nullptr);
  EXPECT_EQ(api->ai, nullptr);
  EXPECT_EQ(api->queue, nullptr);
  EXPECT_EQ(api->config, plugins::hostApi()->config) << "config values are the process's own";
  EXPECT_EQ(api->job->data, plugins::hostApi()->job->data) << "job fields are the process's own";
}

}  // namespace
}  // namespace warren::executor
