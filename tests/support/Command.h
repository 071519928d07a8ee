// Runs programs for tests (the warren CLI, cmake, nm): output goes to files, not pipes, so a
// chatty child can never block on a full pipe while the test waits for it.
#pragma once

#include <sys/types.h>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace warren::test {

struct CommandResult {
  int exitCode = -1;  // 128 + N when killed by signal N; -1 when it timed out (then killed)
  std::string out;
  std::string err;
};

// PATH, HOME and TMPDIR of the test process and nothing else, so that a developer's REDIS_URL
// or LOG_LEVEL cannot change what a test sees.
std::vector<std::string> cleanEnvironment();

// Runs argv[0] (an absolute path, or a name looked up in PATH) to completion.
CommandResult run(const std::vector<std::string>& argv,
                  const std::vector<std::string>& env = cleanEnvironment(),
                  std::chrono::milliseconds timeout = std::chrono::minutes(5),
                  const std::filesystem::path& workingDir = {});

// A program running in the background; killed (SIGKILL) if still running when destroyed.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  pid_t pid() const { return pid_; }
  // True once `needle` appears in the process's stderr (false after `timeout`, or if it exits).
  bool waitForStderr(const std::string& needle, std::chrono::milliseconds timeout);
  // Sends `signal` and waits for the exit; returns the exit code as CommandResult does (the
  // code it already exited with, if it did).
  int stop(int signal, std::chrono::milliseconds timeout);
  std::string out() const;
  std::string err() const;

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  bool running_ = false;
  int exitCode_ = -1;  // once it exited
};

}  // namespace warren::test
