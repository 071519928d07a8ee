// Runs one job through an executor (an Instance, or an executor process's pool) and records
// what the plugin reported on the way.
#pragma once

#include "plugins/Executor.h"
#include "plugins/Instance.h"
#include "plugins/JobContext.h"

#include <mutex>
#include <string>
#include <vector>

namespace warren::test {

struct Recorded {
  plugins::JobOutcome outcome;
  std::vector<std::string> progress;
  std::vector<std::string> logs;
};

inline plugins::JobInput jobInput(std::string name, std::string data = "{}") {
  plugins::JobInput input;
  input.id = "job-1";
  input.name = std::move(name);
  input.queue = "test-queue";
  input.data = std::move(data);
  return input;
}

// Runs the job; `acceptSinks` false makes the progress and log sinks refuse.
inline Recorded runJob(plugins::Executor& executor, plugins::JobInput input,
                       bool acceptSinks = true) {
  Recorded recorded;
  std::mutex mutex;  // sinks may be called from the plugin's thread
  plugins::JobSinks sinks;
  sinks.progress = [&](const std::string& json) {
    std::lock_guard lock(mutex);
    recorded.progress.push_back(json);
    return acceptSinks;
  };
  sinks.log = [&](const std::string& line) {
    std::lock_guard lock(mutex);
    recorded.logs.push_back(line);
    return acceptSinks;
  };
  plugins::JobContext context(std::move(input), std::move(sinks));
  recorded.outcome = executor.run(context);
  return recorded;
}

}  // namespace warren::test
