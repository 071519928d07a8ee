#include "Command.h"

#include "TempDir.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace warren::test {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<char*> cStrings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (const auto& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

std::filesystem::path makeOutputDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "warren-cmd-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

// Starts argv with stdout/stderr redirected to dir/out and dir/err.
pid_t spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env,
            const std::filesystem::path& dir, const std::filesystem::path& workingDir) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  const std::string out = (dir / "out").string();
  const std::string err = (dir / "err").string();
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (!workingDir.empty()) posix_spawn_file_actions_addchdir_np(&actions, workingDir.c_str());
  auto args = cStrings(argv);
  auto envp = cStrings(env);
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    throw std::system_error(rc, std::generic_category(), "cannot start " + argv.front());
  }
  return pid;
}

int exitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Waits for pid up to `timeout`; returns its exit code, or -1 (after SIGKILL) on timeout.
int waitFor(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return exitCodeOf(status);
    if (done < 0) return -1;
    if (Clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace

std::vector<std::string> cleanEnvironment() {
  std::vector<std::string> env;
  for (const char* name : {"PATH", "HOME", "TMPDIR"}) {
    if (const char* value = std::getenv(name)) env.push_back(std::string(name) + "=" + value);
  }
  return env;
}

CommandResult run(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                  std::chrono::milliseconds timeout, const std::filesystem::path& workingDir) {
  const std::filesystem::path dir = makeOutputDir();
  CommandResult result;
  try {
    result.exitCode = waitFor(spawn(argv, env, dir, workingDir), timeout);
  } catch (...) {
    std::filesystem::remove_all(dir);
    throw;
  }
  result.out = readFile(dir / "out");
  result.err = readFile(dir / "err");
  std::filesystem::remove_all(dir);
  return result;
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv,
                                     const std::vector<std::string>& env)
    : dir_(makeOutputDir()), pid_(spawn(argv, env, dir_, {})), running_(true) {}

BackgroundProcess::~BackgroundProcess() {
  if (running_) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

bool BackgroundProcess::waitForStderr(const std::string& needle,
                                      std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (err().find(needle) != std::string::npos) return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      running_ = false;
      exitCode_ = exitCodeOf(status);
      return err().find(needle) != std::string::npos;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

int BackgroundProcess::stop(int signal, std::chrono::milliseconds timeout) {
  if (!running_) return exitCode_;
  ::kill(pid_, signal);
  running_ = false;
  exitCode_ = waitFor(pid_, timeout);
  return exitCode_;
}

std::string BackgroundProcess::out() const {
  return readFile(dir_ / "out");
}
std::string BackgroundProcess::err() const {
  return readFile(dir_ / "err");
}

}  // namespace warren::test
