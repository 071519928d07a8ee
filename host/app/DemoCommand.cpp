// warren demo: the whole path on a bare machine. Starts the host with the in-tree plugins on
// embedded defaults, enqueues a small batch as a BullMQ producer would, shows it progressing,
// prints the results and shuts down cleanly. Exit 0 when every job ended as expected.
#include "app/Commands.h"
#include "app/Node.h"
#include "log/Log.h"
#include "queue/Producer.h"

#include <iomanip>
#include <iostream>
#include <map>
#include <thread>

namespace warren::app {
namespace {

struct DemoJob {
  DemoJob(std::string n, std::string d, std::string o, std::string e)
      : name(std::move(n)), data(std::move(d)), opts(std::move(o)), expect(std::move(e)) {}
  std::string name;
  std::string data;
  std::string opts;
  std::string expect;  // completed | failed
  std::string id;
  std::string lastSeen;
};

std::vector<DemoJob> demoBatch() {
  std::vector<DemoJob> jobs = {
      {"echo", R"({"value":{"post":"Hello from Warren"},"progress":4,"sleep_ms":400})", "{}",
       "completed"},
      {"echo", R"({"value":"with a job log line","log":"written by the echo plugin"})", "{}",
       "completed"},
      {"echo", R"({"value":"prioritized"})", R"({"priority":1})", "completed"},
      {"echo", R"({"value":"delayed by 1 s"})", R"({"delay":1000})", "completed"},
      {"echo", R"({"fail":"a transient error"})",
       R"({"attempts":2,"backoff":{"type":"fixed","delay":200}})", "failed"},
      {"echo", R"({"fail_unrecoverable":"bad input, no retry"})", R"({"attempts":3})", "failed"},
      {"resize", R"({})", "{}", "failed"},
  };
  for (int i = 1; i <= 5; ++i) {
    jobs.push_back({"echo:batch",
                    "{\"value\":" + std::to_string(i) +
                        ",\"progress\":2,\"sleep_ms\":" + std::to_string(150 * i) + "}",
                    "{}", "completed"});
  }
  return jobs;
}

std::string describe(const queue::JobView& job) {
  std::string text = job.state;
  if (job.state == "active" && job.progress != "0") text += " (progress " + job.progress + ")";
  if (job.state == "delayed" && job.attemptsMade > 0) text += " (retry after a failure)";
  return text;
}

// Prints state changes until every job is completed or failed, or the time is up.
bool follow(queue::Producer& producer, std::vector<DemoJob>& jobs, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    bool finished = true;
    for (auto& job : jobs) {
      const auto view = producer.getJob(job.id);
      const std::string now = view ? describe(*view) : "gone";
      if (now != job.lastSeen) {
        std::cout << "  job " << std::setw(3) << job.id << "  " << std::left << std::setw(11)
                  << job.name << std::right << "  " << now << "\n";
        job.lastSeen = now;
      }
      finished = finished && view && (view->state == "completed" || view->state == "failed");
    }
    if (finished) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

bool report(queue::Producer& producer, const std::vector<DemoJob>& jobs) {
  std::cout << "\nresults:\n";
  bool asExpected = true;
  for (const auto& job : jobs) {
    const auto view = producer.getJob(job.id);
    const std::string state = view ? view->state : "gone";
    const std::string detail = !view ? ""
                               : state == "completed"
                                   ? "returned " + view->returnvalue.value_or("null")
                                   : view->failedReason.value_or("");
    std::cout << "  job " << std::setw(3) << job.id << "  " << std::left << std::setw(11)
              << job.name << std::setw(10) << state << std::right << " attempts "
              << (view ? view->attemptsMade : 0) << "  " << detail << "\n";
    asExpected = asExpected && state == job.expect;
  }
  return asExpected;
}

}  // namespace

int demoCommand(const Options& options) {
  Options demo = options;
  demo.plugin = "echo";
  demo.queue = "warren-demo";
  if (!demo.concurrency) demo.concurrency = "4";
  if (!demo.logLevel) demo.logLevel = "warn";  // the demo talks to people; logs stay quiet
  const config::Config config = loadConfig(demo);
  setUpLogging(config);
  lifecycle::Signals signals;
  std::cout << "warren demo: starting the host with the echo plugin"
            << (config.redisUrl.empty() ? " and an embedded Redis" : "") << "\n";
  Node node(config);
  queue::Producer producer(node.redisUrl(), {}, config.redisPrefix, demo.queue);
  auto jobs = demoBatch();
  for (auto& job : jobs) job.id = producer.add(job.name, job.data, job.opts);
  std::cout << "enqueued " << jobs.size() << " jobs on queue '" << demo.queue
            << "' (as bullmq's Queue.add would)\n\n";
  const bool finished = follow(producer, jobs, std::chrono::seconds(60));
  const bool asExpected = report(producer, jobs);
  node.stop(signals);
  if (!finished) std::cout << "\nsome jobs did not finish within 60 s\n";
  std::cout << (finished && asExpected ? "\ndemo finished: every job ended as expected\n"
                                       : "\ndemo FAILED: a job did not end as expected\n");
  return finished && asExpected ? kExitOk : kExitFailed;
}

}  // namespace warren::app
