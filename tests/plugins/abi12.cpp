// The ABI 1.2 job services seen from a plugin written with the C++ wrapper: a job type with a
// data schema, the delayed and rate-limited outcomes, cancel_reason, the once() ledger and the
// queue service. One job name per behaviour (the data fields are listed at each):
//
//   abi12:validated  data {"text": string} (the host checks it): returns {"text": text}
//   abi12:delay      {"until": ms, "reason"?}: delayed until `until` while it has not come, then
//                    returns {"attempt": n}
//   abi12:ratelimit  {"until": ms, "reason"?}: rate limited until `until`, as abi12:delay
//   abi12:far        delayed 31 days ahead (the host refuses it)
//   abi12:cancel     {"wait_ms": n, "file"?}: waits for cancellation, logs "cancelled: <reason>"
//                    (and appends the reason to `file`), returns {"reason": cancel_reason}
//   abi12:once       {"file": path, "key": k, "fail_first"?: bool}: appends one line to `file`
//                    inside job.once(key); fails its first attempt after it when fail_first
//   abi12:enqueue    {"queue", "name", "data", "opts"?}: Queue.add through the host, returns
//                    {"id": id}; a refusal fails the job with the host's text
//   abi12:schedule   {"queue", "id", "repeat", "template"}: upsertJobScheduler through the host
//   abi12:notes      returns the rows of abi12_notes, the table its migrations create
//
// Its migrations create abi12_notes and seed one row; its init reads the table when the host
// has a database, so it fails unless the migrations ran first. Built a second time as
// abi12_broken with a third migration that does not parse.
#include <warren/plugin.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <string>

namespace {

void append(const std::string& file, std::string_view line) {
  std::FILE* out = std::fopen(file.c_str(), "a");
  if (out == nullptr) throw std::runtime_error("cannot open " + file);
  std::fprintf(out, "%.*s\n", static_cast<int>(line.size()), line.data());
  std::fclose(out);
}

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string query(const warren::Host& host, const char* sql) {
  warren_buffer rows{};
  warren_buffer error{};
  std::int64_t affected = 0;
  const warren_status status =
      host.db().query(host.raw(), nullptr, WARREN_DB_READ, sql, nullptr, &rows, &affected, &error);
  const std::string text = host.take(status == WARREN_OK ? rows : error);
  host.api()->buffer_free(status == WARREN_OK ? &error : &rows);
  if (status != WARREN_OK) throw std::runtime_error(text);
  return text;
}

class Abi12 final : public warren::Plugin {
 public:
  explicit Abi12(const warren::Host& host) : warren::Plugin(host) {
    try {
      host.db();
    } catch (const warren::ServiceUnavailable&) {
      return;  // no database: nothing to check
    }
    query(host, "SELECT count(*) AS notes FROM abi12_notes");
  }

  warren::Result handle(warren::Job& job) override {
    const std::string_view name = job.name();
    const nlohmann::json data = nlohmann::json::parse(job.data());
    const std::string attempt = "{\"attempt\":" + std::to_string(job.attempt()) + "}";
    if (name == "abi12:validated") {
      return warren::Result::completed(nlohmann::json{{"text", data.at("text")}}.dump());
    }
    if (name == "abi12:delay" || name == "abi12:ratelimit") {
      const std::int64_t until = data.at("until").get<std::int64_t>();
      if (nowMs() >= until) return warren::Result::completed(attempt);
      const std::string reason = data.value("reason", "");
      return name == "abi12:delay" ? warren::Result::delayUntil(until, reason)
                                   : warren::Result::rateLimited(until, reason);
    }
    if (name == "abi12:far") {
      return warren::Result::delayUntil(nowMs() + 31LL * 24 * 3600 * 1000, "far away");
    }
    if (name == "abi12:cancel") {
      if (job.waitCancelled(std::chrono::milliseconds(data.at("wait_ms").get<std::int64_t>()))) {
        job.log("cancelled: " + std::string(job.cancelReason()));
        if (data.contains("file")) append(data["file"].get<std::string>(), job.cancelReason());
      }
      return warren::Result::completed(
          nlohmann::json{{"reason", std::string(job.cancelReason())}}.dump());
    }
    if (name == "abi12:once") return once(job, data);
    if (name == "abi12:enqueue") return enqueue(job, data);
    if (name == "abi12:schedule") return schedule(data);
    if (name == "abi12:notes") {
      return warren::Result::completed(query(host(), "SELECT body FROM abi12_notes ORDER BY id"));
    }
    return warren::Result::fail("abi12 does not handle " + std::string(name));
  }

 private:
  static warren::Result once(const warren::Job& job, const nlohmann::json& data) {
    const std::string file = data.at("file").get<std::string>();
    const std::string recorded = job.once(data.at("key").get<std::string>(), [&] {
      append(file, "side effect of attempt " + std::to_string(job.attempt()));
      return std::string("{\"attempt\":") + std::to_string(job.attempt()) + "}";
    });
    if (job.attempt() == 1 && data.value("fail_first", false)) {
      return warren::Result::retry("the first attempt fails after its side effect");
    }
    return warren::Result::completed("{\"recorded\":" + recorded + "}");
  }

  warren::Result enqueue(const warren::Job& job, const nlohmann::json& data) const {
    const auto& queues = host().queues();
    const std::string opts = data.contains("opts") ? data["opts"].dump() : std::string();
    warren_buffer id{};
    warren_buffer error{};
    const warren_status status =
        queues.add(host().raw(), job.raw(), data.at("queue").get<std::string>().c_str(),
                   data.at("name").get<std::string>().c_str(), data.at("data").dump().c_str(),
                   opts.empty() ? nullptr : opts.c_str(), &id, &error);
    const std::string text = host().take(status == WARREN_OK ? id : error);
    host().api()->buffer_free(status == WARREN_OK ? &error : &id);
    if (status != WARREN_OK) return warren::Result::fail(text);
    return warren::Result::completed(nlohmann::json{{"id", text}}.dump());
  }

  warren::Result schedule(const nlohmann::json& data) const {
    warren_buffer error{};
    const warren_status status = host().queues().upsert_scheduler(
        host().raw(), data.at("queue").get<std::string>().c_str(),
        data.at("id").get<std::string>().c_str(), data.at("repeat").dump().c_str(),
        data.at("template").dump().c_str(), &error);
    const std::string text = host().take(error);
    if (status != WARREN_OK) return warren::Result::fail(text);
    return warren::Result::completed("{\"scheduled\":true}");
  }
};

const char* const kJobs[] = {"abi12:*"};

const warren_job_type kJobTypes[] = {
    warren::jobType("abi12:validated", "Returns the text it was given",
                    R"({"type":"object","required":["text"],"additionalProperties":false,
                        "properties":{"text":{"type":"string","minLength":1}}})",
                    R"({"type":"object"})"),
    warren::jobType("abi12:delay", "Waits in the delayed set until a time", nullptr, nullptr),
};

const warren_migration kMigrations[] = {
    warren::migration(1, "create_notes",
                      "CREATE TABLE abi12_notes (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL);",
                      "CREATE TABLE abi12_notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);"),
    warren::migration(2, "seed_note",
                      "INSERT INTO abi12_notes (body) VALUES ('seeded by migration 2');",
                      "INSERT INTO abi12_notes (body) VALUES ('seeded by migration 2');"),
#ifdef ABI12_BROKEN_MIGRATION
    warren::migration(3, "broken", "CREATE TABLE abi12_broken (;", "CREATE TABLE abi12_broken (;"),
#endif
};

#ifdef ABI12_BROKEN_MIGRATION
constexpr const char* kName = "abi12_broken";
#else
constexpr const char* kName = "abi12";
#endif

}  // namespace

WARREN_PLUGIN_EX(Abi12, kName, "1.2.0", kJobs, WARREN_RESOURCE_IO, 1u << 20, 4, nullptr, kJobTypes,
                 kMigrations)
