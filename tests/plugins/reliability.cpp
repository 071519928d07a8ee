// The plugin of the reliability tests (tests/interop/reliability.test.js, tests/chaos): dead
// letters, remote cancellation, once() across a kill, and the chaos suite's bookkeeping. One job
// name per behaviour (data fields at each):
//
//   reliability:hold    {"hold_ms": n, "ignore_cancel"?: bool}: reports progress 1, then waits up
//                       to hold_ms for a cancellation; with ignore_cancel it then returns
//                       completed anyway (the host must still fail the job as cancelled). A
//                       cancel leaves the job log line "the plugin saw the cancel: <reason>";
//                       with "linger_ms" the plugin then sleeps that long before it returns.
//                       Returns {"cancelReason": cancel_reason}
//   reliability:fail    {"reason": text}: fails retryably (the dead letter comes once attempts
//                       run out); reliability:fatal fails unrecoverably
//   reliability:once    {"file": path, "key": k}: appends one line to `file` inside job.once(key),
//                       then, when the config's hold_after_once_ms > 0, reports progress 50 and
//                       waits that long (a test kills the node meanwhile). Returns
//                       {"recorded": what once returned, "pid": pid}
//   reliability:record  {"sleep_ms"?: n}: appends "start <job id> <pid> <ms>" to the config's
//                       record_file, sleeps, returns {"pid": pid} (the chaos suite counts runs)
//   reliability:db      inserts the job id into reliability_rows (its migration creates it) and
//                       returns {"rows": n}; a database error fails the job retryably
#include <warren/plugin.hpp>

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

namespace {

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One write with O_APPEND: lines of concurrent jobs and processes never interleave.
void appendLine(const std::string& file, const std::string& line) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot open " + file);
  const std::string text = line + "\n";
  const ssize_t written = ::write(fd, text.data(), text.size());
  ::close(fd);
  if (written != static_cast<ssize_t>(text.size()))
    throw std::runtime_error("cannot write " + file);
}

class Reliability final : public warren::Plugin {
 public:
  explicit Reliability(const warren::Host& host)
      : warren::Plugin(host),
        recordFile_(host.getString("record_file")),
        holdAfterOnce_(host.getInt("hold_after_once_ms")) {}

  warren::Result handle(warren::Job& job) override {
    const std::string_view name = job.name();
    const nlohmann::json data = nlohmann::json::parse(job.data());
    if (name == "reliability:hold") return hold(job, data);
    if (name == "reliability:fail") return warren::Result::retry(data.value("reason", "failed"));
    if (name == "reliability:fatal") return warren::Result::fail(data.value("reason", "fatal"));
    if (name == "reliability:once") return once(job, data);
    if (name == "reliability:record") return record(job, data);
    if (name == "reliability:db") return insert(job);
    return warren::Result::fail("reliability does not handle " + std::string(name));
  }

 private:
  static warren::Result hold(warren::Job& job, const nlohmann::json& data) {
    job.progress(1);
    const auto holdMs = std::chrono::milliseconds(data.value("hold_ms", 30000));
    const bool cancelled = job.waitCancelled(holdMs);
    const std::string reason(job.cancelReason());
    if (cancelled) job.log("the plugin saw the cancel: " + reason);
    // A plugin that goes on after the cancel, ignoring it.
    if (cancelled && data.contains("linger_ms"))
      std::this_thread::sleep_for(std::chrono::milliseconds(data["linger_ms"].get<std::int64_t>()));
    const std::string result = nlohmann::json{{"cancelReason", reason}}.dump();
    if (cancelled && !data.value("ignore_cancel", false))
      return warren::Result::retry("stopped: " + reason);
    return warren::Result::completed(result);
  }

  warren::Result once(warren::Job& job, const nlohmann::json& data) const {
    const std::string file = data.at("file").get<std::string>();
    const std::string recorded = job.once(data.at("key").get<std::string>(), [&] {
      appendLine(file, "side effect of job " + std::string(job.id()) + " in pid " +
                           std::to_string(::getpid()));
      return nlohmann::json{{"pid", ::getpid()}}.dump();
    });
    if (holdAfterOnce_ > 0) {
      job.progress(50);
      job.waitCancelled(std::chrono::milliseconds(holdAfterOnce_));
    }
    return warren::Result::completed("{\"recorded\":" + recorded +
                                     ",\"pid\":" + std::to_string(::getpid()) + "}");
  }

  warren::Result record(const warren::Job& job, const nlohmann::json& data) const {
    if (recordFile_.empty()) return warren::Result::fail("record_file is not configured");
    appendLine(recordFile_, "start " + std::string(job.id()) + " " + std::to_string(::getpid()) +
                                " " + std::to_string(nowMs()));
    const auto sleepMs = data.value("sleep_ms", 0);
    if (sleepMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(sleepMs));
    return warren::Result::completed(nlohmann::json{{"pid", ::getpid()}}.dump());
  }

  warren::Result insert(const warren::Job& job) const {
    const std::string params = nlohmann::json::array({std::string(job.id())}).dump();
    warren_buffer rows{};
    warren_buffer error{};
    std::int64_t affected = 0;
    const warren_status status = host().db().query(
        host().raw(), job.raw(), WARREN_DB_WRITE,
        "INSERT INTO reliability_rows (job_id) VALUES ($1) ON CONFLICT (job_id) DO NOTHING",
        params.c_str(), &rows, &affected, &error);
    const std::string text = host().take(status == WARREN_OK ? rows : error);
    host().api()->buffer_free(status == WARREN_OK ? &error : &rows);
    if (status != WARREN_OK) return warren::Result::retry("database: " + text);
    return warren::Result::completed(nlohmann::json{{"rows", affected}}.dump());
  }

  const std::string recordFile_;
  const std::int64_t holdAfterOnce_;
};

const char* const kJobs[] = {"reliability:*"};
const warren_config_key kConfig[] = {
    warren::configKey("record_file", WARREN_CONFIG_STRING, "", false,
                      "file reliability:record appends its starts to"),
    warren::configKey("hold_after_once_ms", WARREN_CONFIG_INT, "0", false,
                      "how long reliability:once waits after its side effect"),
};
const warren_migration kMigrations[] = {
    warren::migration(1, "create_rows",
                      "CREATE TABLE reliability_rows (job_id TEXT PRIMARY KEY, "
                      "at TIMESTAMPTZ NOT NULL DEFAULT now());",
                      "CREATE TABLE reliability_rows (job_id TEXT PRIMARY KEY, "
                      "at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);"),
};

}  // namespace

WARREN_PLUGIN_EX(Reliability, "reliability", "1.0.0", kJobs, WARREN_RESOURCE_IO, 1u << 20, 8,
                 kConfig, nullptr, kMigrations)
