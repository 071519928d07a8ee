// The executor of a queue with queue.NAME.isolation = process: each job runs in an executor
// process (the warren binary in its executor mode, ExecutorMain.h), one job at a time per
// process, so a crash, a runaway allocation or a hang fails only its job. The queue's slots
// draw processes from a pool: one per job running at once, started on demand, recycled after
// max_jobs_per_executor jobs or past max_executor_rss_mb, and retired once idle for a while
// (all but one). docs/isolation.md has the whole story.
#pragma once

#include "executor/CrashLedger.h"
#include "executor/Process.h"
#include "plugins/Executor.h"
#include "plugins/HostApi.h"
#include "plugins/Library.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace warren::executor {

struct ProcessOptions {
  std::filesystem::path executable = "/proc/self/exe";  // the warren binary
  std::uint64_t memoryLimitBytes = 0;                   // address space a process may add; 0: none
  std::uint64_t maxJobs = 0;                            // per process; 0: no limit
  std::uint64_t maxResidentBytes = 0;  // recycle past this RSS after a job; 0: never
  std::chrono::milliseconds idleTimeout{60000};
  std::uint32_t maxCrashes = 3;
  std::chrono::milliseconds cancelGrace{1000};    // a cancelled job's process is killed after
  std::chrono::milliseconds startTimeout{60000};  // for the plugin's init
  std::chrono::milliseconds stopGrace{2000};      // for the plugin's shutdown
  std::shared_ptr<CrashLedger> crashes;           // NULL: crashes are not counted (no poison pills)
};

class ProcessExecutor final : public plugins::Executor {
 public:
  // Validates the config and starts the first process (the plugin's init runs there). Throws
  // plugins::PluginError: an invalid config, the plugin's init failure in its own words, or how
  // its process died.
  static std::shared_ptr<ProcessExecutor> create(std::shared_ptr<plugins::Library> library,
                                                 const plugins::ConfigValues& config,
                                                 std::string scope, ProcessOptions options);
  // Retires every process (the plugin's shutdown runs in each).
  ~ProcessExecutor() override;
  ProcessExecutor(const ProcessExecutor&) = delete;
  ProcessExecutor& operator=(const ProcessExecutor&) = delete;

  const plugins::PluginInfo& info() const override { return library_->info(); }
  bool runsInline() const override { return false; }
  // A process that died in the job fails it retryably with the classified reason; its
  // max_crashes-th such death fails it for good as a poison pill.
  plugins::JobOutcome run(plugins::JobContext& job) override;

  // Retires the processes idle for longer than the idle timeout, keeping one.
  void retireIdle();
  // Processes running now, idle or busy.
  std::size_t processes() const;
  const ProcessOptions& options() const { return options_; }

 private:
  ProcessExecutor(std::shared_ptr<plugins::Library> library, const plugins::ConfigValues& config,
                  std::string scope, ProcessOptions options);
  std::unique_ptr<ExecutorProcess> acquire();
  std::unique_ptr<ExecutorProcess> startProcess();
  void release(std::unique_ptr<ExecutorProcess> process, std::uint64_t residentBytes);
  void retireNow(std::unique_ptr<ExecutorProcess> process, const char* why);
  plugins::JobOutcome failed(const plugins::JobInput& job, const Death& death, pid_t pid);
  void countProcesses();  // requires mutex_

  std::shared_ptr<plugins::Library> library_;
  plugins::Caller caller_;
  warren_host host_{&caller_};
  ProcessOptions options_;
  StartSpec spec_;
  Services services_;

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<ExecutorProcess>> idle_;  // the most recently used last
  std::size_t busy_ = 0;
  std::int64_t reported_ = 0;  // in the queue's process gauge
};

}  // namespace warren::executor
