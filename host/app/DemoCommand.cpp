// warren demo --basic: the host's path on a bare machine. Starts the host with the echo (and
// video) plugins on embedded defaults, enqueues a small batch as a BullMQ producer would, shows
// it progressing, prints the results and shuts down cleanly. Exit 0 when every job ended as
// expected. `warren demo` without --basic runs the content pipeline (PipelineDemo.cpp).
#include "app/Commands.h"
#include "app/Node.h"
#include "lifecycle/EmbeddedRedis.h"
#include "log/Log.h"
#include "queue/Producer.h"

#include <cstdlib>
#include <filesystem>
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
  queue::Producer* producer = nullptr;  // of the job's queue
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
bool follow(std::vector<DemoJob>& jobs, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    bool finished = true;
    for (auto& job : jobs) {
      const auto view = job.producer->getJob(job.id);
      const std::string now = view ? describe(*view) : "gone";
      if (now != job.lastSeen) {
        std::cout << "  job " << std::setw(3) << job.id << "  " << std::left << std::setw(16)
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

bool report(const std::vector<DemoJob>& jobs) {
  std::cout << "\nresults:\n";
  bool asExpected = true;
  for (const auto& job : jobs) {
    const auto view = job.producer->getJob(job.id);
    const std::string state = view ? view->state : "gone";
    const std::string detail = !view ? ""
                               : state == "completed"
                                   ? "returned " + view->returnvalue.value_or("null")
                                   : view->failedReason.value_or("");
    std::cout << "  job " << std::setw(3) << job.id << "  " << std::left << std::setw(16)
              << job.name << std::setw(10) << state << std::right << " attempts "
              << (view ? view->attemptsMade : 0) << "  " << detail << "\n";
    asExpected = asExpected && state == job.expect;
  }
  return asExpected;
}

// A 2 s test clip made with the ffmpeg command, for the video plugin's part of the demo; empty
// when the plugin or the command is missing (that part is then skipped).
std::filesystem::path demoClip(const config::Config& config) {
  std::error_code error;
  if (!std::filesystem::exists(std::filesystem::path(config.pluginDir) / "video.so", error))
    return {};
  const auto dir = lifecycle::dataDirectory(config.dataDir);
  std::filesystem::create_directories(dir, error);
  const auto clip = dir / "demo-clip.mp4";
  const std::string command =
      "ffmpeg -loglevel error -y -f lavfi -i testsrc=size=640x360:rate=25 "
      "-f lavfi -i sine=frequency=440 -t 2 -shortest -pix_fmt yuv420p '" +
      clip.string() + "' >/dev/null 2>&1";
  return std::system(command.c_str()) == 0 ? clip : std::filesystem::path();
}

std::vector<DemoJob> videoBatch(const std::filesystem::path& clip) {
  const std::string input = "\"input\":\"file://" + clip.string() + "\"";
  return {
      {"video:probe", "{" + input + "}", "{}", "completed"},
      {"video:thumbnail", "{" + input + ",\"count\":2,\"width\":320}", "{}", "completed"},
      {"video:transcode", "{" + input + ",\"renditions\":[{\"preset\":\"square\"}]}", "{}",
       "completed"},
  };
}

}  // namespace

int basicDemo(const Options& options) {
  const std::string echoQueue = "warren-demo";
  const std::string videoQueue = "video-process";
  Options demo = options;
  demo.sets.push_back("queue." + echoQueue + ".plugin=echo");
  demo.sets.push_back("queue." + echoQueue + ".concurrency=" + demo.concurrency.value_or("4"));
  demo.concurrency.reset();
  if (!demo.logLevel) demo.logLevel = "warn";  // the demo talks to people; logs stay quiet
  config::Config config = loadConfig(demo);
  const std::filesystem::path clip = demoClip(config);
  if (!clip.empty()) {
    demo.sets.push_back("queue." + videoQueue + ".plugin=video");
    demo.sets.push_back("queue." + videoQueue + ".concurrency=1");
    demo.sets.push_back("queue." + videoQueue + ".config.allow_file_urls=true");
    config = loadConfig(demo);
  }
  setUpLogging(config);
  lifecycle::Signals signals;
  std::cout << "warren demo: starting the host with the "
            << (clip.empty() ? "echo plugin" : "echo and video plugins")
            << (config.redisUrl.empty() ? " and an embedded Redis" : "") << "\n";
  Node node(config);
  // Where each queue is served (the Sentinels' master, a Cluster slot's master, or the server).
  const auto producerFor = [&](const std::string& name) {
    return std::make_unique<queue::Producer>(
        node.redisUrl(),
        node.redisServers()->optionsFor(queue::Keys(config.redisPrefix, name).base(), {}),
        config.redisPrefix, name);
  };
  const auto echoProducer = producerFor(echoQueue);
  const auto videoProducer = producerFor(videoQueue);
  queue::Producer& echo = *echoProducer;
  queue::Producer& video = *videoProducer;
  auto jobs = demoBatch();
  for (auto& job : jobs) job.producer = &echo;
  if (!clip.empty()) {
    for (auto& job : videoBatch(clip)) {
      job.producer = &video;
      jobs.push_back(std::move(job));
    }
  }
  for (auto& job : jobs) job.id = job.producer->add(job.name, job.data, job.opts);
  std::cout << "enqueued " << jobs.size() << " jobs on queue '" << echoQueue << "'"
            << (clip.empty() ? "" : " and '" + videoQueue + "'")
            << " (as bullmq's Queue.add would)\n\n";
  const bool finished = follow(jobs, std::chrono::seconds(90));
  const bool asExpected = report(jobs);
  node.stop(signals);
  if (!finished) std::cout << "\nsome jobs did not finish within 90 s\n";
  std::cout << (finished && asExpected ? "\ndemo finished: every job ended as expected\n"
                                       : "\ndemo FAILED: a job did not end as expected\n");
  return finished && asExpected ? kExitOk : kExitFailed;
}

int demoCommand(const Options& options) {
  return options.basic ? basicDemo(options) : pipelineDemo(options);
}

}  // namespace warren::app
