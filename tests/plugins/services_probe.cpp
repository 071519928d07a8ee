// Calls every host service through the raw C table and returns what each call gave back, as
// JSON, so that a test can compare a plugin in process with the same plugin in an executor
// process (docs/isolation.md: "What crosses the boundary"). The job name picks the service; the
// data gives its arguments:
//   http      {"url"}: GET url with a header, then a request with a NULL url
//   db        a SELECT, a statement that does not parse, and a NULL sql
//   storage   {"dir"}: put probe/file.txt, head, list, get it back, presign, remove, head again
//   ai        available() for completions and embeddings, then complete({})
//   queue     {"queue"}: add job probe-1 there, one to a bad queue name, and a job scheduler
//   metrics   a counter, a gauge and a histogram, and a metric with a bad name
//   job       progress, a job log line, once() read, write and read again, a log line
#include <warren/plugin.hpp>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <deque>
#include <fstream>
#include <sstream>
#include <string>

namespace {

using nlohmann::json;

class Buffers {
 public:
  explicit Buffers(const warren_host_api* api) : api_(api) {}
  ~Buffers() {
    for (auto& b : buffers_) api_->buffer_free(&b);
  }
  warren_buffer* next() {
    buffers_.push_back(warren_buffer{});
    return &buffers_.back();
  }
  // A filled buffer as a string, an unfilled one as null.
  static json value(const warren_buffer* b) {
    return b->data != nullptr ? json(std::string(b->data, b->len)) : json(nullptr);
  }

 private:
  const warren_host_api* api_;
  std::deque<warren_buffer> buffers_;
};

class Probe final : public warren::Plugin {
 public:
  explicit Probe(const warren::Host& host) : warren::Plugin(host) {
    host.info("services probe ready");
  }

  warren::Result handle(warren::Job& job) override {
    const std::string_view name = job.name();
    const json data = json::parse(job.data());
    json out;
    if (name == "http") out = http(job, data.at("url").get<std::string>());
    if (name == "db") out = db(job);
    if (name == "storage") out = storage(job, data.at("dir").get<std::string>());
    if (name == "ai") out = ai(job);
    if (name == "queue") out = queue(job, data.at("queue").get<std::string>());
    if (name == "metrics") out = metrics();
    if (name == "job") out = jobCalls(job);
    return warren::Result::completed(out.dump());
  }

 private:
  const warren_host_api* api() const { return host().api(); }
  const warren_host* raw() const { return host().raw(); }

  json http(const warren::Job& job, const std::string& url) const {
    Buffers b(api());
    const warren_pair headers[] = {{"X-Probe", "yes"}};
    warren_http_request request{};
    request.struct_size = sizeof request;
    request.method = "GET";
    request.url = url.c_str();
    request.headers = headers;
    request.header_count = 1;
    std::int32_t code = 0;
    warren_buffer *h = b.next(), *body = b.next(), *error = b.next();
    const warren_status status =
        api()->http->request(raw(), job.raw(), &request, &code, h, body, error);
    json headersJson = h->data != nullptr ? json::parse(std::string(h->data, h->len)) : json();
    warren_http_request bad{};
    bad.struct_size = sizeof bad;
    bad.method = "GET";
    warren_buffer* badError = b.next();
    const warren_status badStatus =
        api()->http->request(raw(), job.raw(), &bad, nullptr, nullptr, nullptr, badError);
    return {{"status", status},
            {"code", code},
            {"content_type", headersJson.value("content-type", "")},
            {"body", Buffers::value(body)},
            {"error", Buffers::value(error)},
            {"bad_status", badStatus},
            {"bad_error", Buffers::value(badError)}};
  }

  json db(const warren::Job& job) const {
    json out;
    const char* statements[] = {"SELECT 1 AS one, 'two' AS two", "SELEKT nothing", nullptr};
    for (const char* sql : statements) {
      Buffers b(api());
      std::int64_t affected = -1;
      warren_buffer *rows = b.next(), *error = b.next();
      const warren_status status =
          api()->db->query(raw(), job.raw(), WARREN_DB_READ, sql, "[]", rows, &affected, error);
      out.push_back({{"status", status},
                     {"rows", Buffers::value(rows)},
                     {"affected", affected},
                     {"has_error", error->data != nullptr}});
    }
    return out;
  }

  json storage(const warren::Job& job, const std::string& dir) const {
    const std::string source = dir + "/probe-in.txt";
    const std::string copy = dir + "/probe-out.txt";
    std::ofstream(source) << "probe bytes";
    const warren_storage_api& s = *api()->storage;
    const std::string key = "probe/file.txt";
    json out;
    Buffers b(api());
    out["put"] = s.put_file(raw(), job.raw(), key.c_str(), source.c_str(), "text/plain", b.next());
    warren_buffer* info = b.next();
    out["head"] = s.head(raw(), key.c_str(), info, b.next());
    out["size"] = json::parse(std::string(info->data, info->len)).value("size", -1);
    warren_buffer* keys = b.next();
    out["list"] = s.list(raw(), "probe/", keys, b.next());
    out["keys"] = Buffers::value(keys);
    out["get"] = s.get_file(raw(), job.raw(), key.c_str(), copy.c_str(), b.next());
    std::stringstream read;
    read << std::ifstream(copy).rdbuf();
    out["copy"] = read.str();
    warren_buffer* url = b.next();
    out["presign"] = s.presign_get(raw(), key.c_str(), 60, url, b.next());
    out["remove"] = s.remove(raw(), key.c_str(), b.next());
    warren_buffer* missing = b.next();
    out["head_after"] = s.head(raw(), key.c_str(), b.next(), missing);
    out["missing"] = Buffers::value(missing);
    warren_buffer* nullKey = b.next();
    out["null_key"] = s.put_file(raw(), job.raw(), nullptr, source.c_str(), nullptr, nullKey);
    out["null_key_error"] = Buffers::value(nullKey);
    return out;
  }

  json ai(const warren::Job& job) const {
    const warren_ai_api& a = *api()->ai;
    Buffers b(api());
    warren_ai_error error{};
    error.struct_size = sizeof error;
    warren_buffer* response = b.next();
    const warren_status status = a.complete(raw(), job.raw(), "{}", 2, response, &error);
    json out = {{"complete", a.available(raw(), WARREN_AI_COMPLETE)},
                {"embed", a.available(raw(), WARREN_AI_EMBED)},
                {"status", status},
                {"response", Buffers::value(response)},
                {"retryable", error.retryable},
                {"message", Buffers::value(&error.message)}};
    api()->buffer_free(&error.message);
    return out;
  }

  json queue(const warren::Job& job, const std::string& target) const {
    const warren_queue_api& q = *api()->queue;
    Buffers b(api());
    warren_buffer *id = b.next(), *error = b.next();
    const std::string opts = "{\"jobId\":\"probe-1\"}";
    const warren_status added = q.add(raw(), job.raw(), target.c_str(), "next",
                                      "{\"from\":\"probe\"}", opts.c_str(), id, error);
    warren_buffer* badError = b.next();
    const warren_status bad =
        q.add(raw(), job.raw(), "bad:name", "next", "{}", nullptr, b.next(), badError);
    warren_buffer* scheduleError = b.next();
    const warren_status scheduled =
        q.upsert_scheduler(raw(), target.c_str(), "hourly", "{\"every\":3600000}",
                           "{\"name\":\"tick\",\"data\":{}}", scheduleError);
    return {{"added", added},
            {"id", Buffers::value(id)},
            {"error", Buffers::value(error)},
            {"bad", bad},
            {"bad_error", Buffers::value(badError)},
            {"scheduled", scheduled},
            {"schedule_error", Buffers::value(scheduleError)}};
  }

  json metrics() const {
    const warren_metrics_api& m = *api()->metrics;
    const warren_pair labels[] = {{"probe", "yes"}};
    const warren_pair nullLabel[] = {{"probe", nullptr}};
    return {{"counter", m.counter_add(raw(), "probe_calls_total", labels, 1, 2.0)},
            {"gauge", m.gauge_set(raw(), "probe_level", labels, 1, 7.5)},
            {"histogram", m.histogram_observe(raw(), "probe_seconds", labels, 1, 0.25)},
            {"bad_name", m.counter_add(raw(), "probe bad name", nullptr, 0, 1.0)},
            {"null_label", m.counter_add(raw(), "probe_calls_total", nullLabel, 1, 1.0)},
            {"negative", m.counter_add(raw(), "probe_calls_total", labels, 1, -1.0)}};
  }

  json jobCalls(const warren::Job& job) const {
    const warren_job_api& j = *api()->job;
    Buffers b(api());
    json out;
    out["progress"] = j.progress(job.raw(), "{\"step\":1}", 10);
    out["bad_progress"] = j.progress(job.raw(), "{nope", 5);
    out["log"] = j.log(job.raw(), "probe line", 10);
    warren_buffer* before = b.next();
    out["once_before"] = j.once_get(job.raw(), "k", 1, before);
    out["once_put"] = j.once_put(job.raw(), "k", 1, "{\"v\":1}", 7, 60);
    warren_buffer* after = b.next();
    out["once_after"] = j.once_get(job.raw(), "k", 1, after);
    out["once_value"] = Buffers::value(after);
    out["once_empty_key"] = j.once_get(job.raw(), "", 0, b.next());
    host().warn("probe says hello");
    return out;
  }
};

const char* const kJobs[] = {"http", "db", "storage", "ai", "queue", "metrics", "job"};

}  // namespace

WARREN_PLUGIN(Probe, "services_probe", "1.0.0", kJobs, WARREN_RESOURCE_IO, 1u << 20, 4, nullptr)
