// One executor process as the node sees it: the socket to it, its pid, the jobs it ran. Used by
// one thread at a time (a pool thread running a job, the supervisor ending it).
#pragma once

#include "executor/Channel.h"
#include "executor/Death.h"
#include "plugins/Descriptor.h"
#include "plugins/JobContext.h"

#include <warren/plugin.h>

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace warren::executor {

// An executor process could not be started; what() is the reason.
class StartFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What an executor process loads, and how it is capped.
struct StartSpec {
  std::filesystem::path executable;  // the warren binary
  std::filesystem::path plugin;      // the generation's file
  std::filesystem::path origin;      // the operator's file, for refusals
  std::string scope;                 // the queue
  plugins::ConfigValues config;
  std::uint64_t memoryLimitBytes = 0;        // 0: none
  std::chrono::milliseconds timeout{60000};  // for the plugin's init
};

// Whom the node's services answer: its table and the plugin's handle (a Caller).
struct Services {
  const warren_host_api* api = nullptr;
  const warren_host* host = nullptr;
  std::string who;  // "echo 1.0.0", for messages
};

class ExecutorProcess {
 public:
  using Clock = std::chrono::steady_clock;

  // Starts a process and waits until the plugin's init ran in it, answering the calls init
  // makes. Throws StartFailed: the plugin's refusal or init failure in its own words ("plugin
  // echo 1.0.0: init failed: ..."), or how the process died.
  static std::unique_ptr<ExecutorProcess> start(const StartSpec& spec, const Services& services);
  // A process still running is killed (SIGKILL to its process group) and reaped.
  ~ExecutorProcess();
  ExecutorProcess(const ExecutorProcess&) = delete;
  ExecutorProcess& operator=(const ExecutorProcess&) = delete;

  struct Result {
    std::optional<plugins::JobOutcome> outcome;  // the plugin's answer
    std::optional<Death> death;                  // or why the process ended without one
    std::uint64_t residentBytes = 0;             // after the job, when asked for
  };
  // Runs one job: sends it, answers the calls the plugin makes meanwhile, passes the job's
  // cancellation on, and kills the process when the job is still running `cancelGrace` after
  // it was cancelled. A process that died is reaped before this returns.
  Result run(plugins::JobContext& job, bool wantRss, std::chrono::milliseconds cancelGrace);

  // Whether the process ended (it is not reaped yet).
  bool hasExited() const;
  // Asks the process to shut the plugin down and exit (best effort).
  void sendStop();

  pid_t pid() const { return pid_; }
  std::uint64_t jobs() const { return jobs_; }
  std::uint64_t baseAddressSpace() const { return baseAddressSpace_; }
  Clock::time_point idleSince;  // set by the owner when the process goes back to its pool

 private:
  ExecutorProcess(pid_t pid, int socket, Services services, std::uint64_t memoryLimitBytes);

  // A frame that is not a call, or the process's end.
  struct Ending {
    std::optional<Frame> frame;
    std::optional<Death> death;
  };
  Ending pump(plugins::JobContext* job, std::uint64_t seq,
              std::optional<Clock::time_point> deadline, std::chrono::milliseconds cancelGrace);
  bool serve(const Frame& call, plugins::JobContext* job);
  Death ended();
  Death endedAfterEof();
  Death kill(Death why);
  void killGroup() const;
  int reap();

  Channel channel_;
  pid_t pid_ = -1;
  int pidfd_ = -1;   // readable once the process ends; -1 where the kernel has none
  int wakeFd_ = -1;  // eventfd: the running job was cancelled
  bool reaped_ = false;
  Services services_;
  std::uint64_t memoryLimitBytes_ = 0;
  std::uint64_t seq_ = 0;
  std::uint64_t jobs_ = 0;
  std::uint64_t baseAddressSpace_ = 0;
};

}  // namespace warren::executor
