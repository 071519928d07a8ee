#include "executor/Supervisor.h"

#include "executor/Process.h"
#include "executor/Protocol.h"
#include "log/Log.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <deque>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace warren::executor {
namespace {

using Clock = std::chrono::steady_clock;

// What an executor process keeps of the node's environment: nothing that could hold a
// credential (REDIS_URL, DATABASE_URL, the API keys...), which the plugin reaches only through
// the node's services.
bool harmless(const std::string& entry) {
  static const char* const names[] = {"PATH",         "HOME",          "USER",
                                      "LOGNAME",      "LANG",          "LANGUAGE",
                                      "TZ",           "TMPDIR",        "LD_LIBRARY_PATH",
                                      "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"};
  const std::string name = entry.substr(0, entry.find('='));
  if (name.rfind("LC_", 0) == 0) return true;
  for (const char* allowed : names)
    if (name == allowed) return true;
  return false;
}

std::runtime_error spawnError(const std::string& what, int error) {
  return std::runtime_error("cannot start an executor process: " + what + ": " +
                            std::strerror(error));
}

Spawned spawnNow(const std::filesystem::path& executable) {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    throw spawnError("socketpair", errno);
  }
  // dup2 onto itself would leave close-on-exec set: keep the child's end off fd 3.
  if (pair[1] == kChannelFd) {
    const int moved = ::fcntl(pair[1], F_DUPFD_CLOEXEC, kChannelFd + 1);
    ::close(pair[1]);
    pair[1] = moved;
  }
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&files, pair[1], kChannelFd);
  posix_spawn_file_actions_addclosefrom_np(&files, kChannelFd + 1);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int signal : {SIGINT, SIGTERM, SIGHUP, SIGCHLD}) sigaddset(&defaults, signal);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  const std::string path = executable.string();
  // ps shows the binary's own path, not /proc/self/exe.
  std::error_code error;
  const std::filesystem::path shown = std::filesystem::canonical(executable, error);
  const std::string name = error ? path : shown.string();
  const std::string parent = std::to_string(::getpid());
  std::vector<char*> argv = {const_cast<char*>(name.c_str()), const_cast<char*>(kExecutorCommand),
                             const_cast<char*>(parent.c_str()), nullptr};
  std::vector<std::string> kept;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (harmless(*entry)) kept.emplace_back(*entry);
  }
  std::vector<char*> envp;
  for (auto& entry : kept) envp.push_back(entry.data());
  envp.push_back(nullptr);
  pid_t pid = -1;
  const int failed =
      ::posix_spawn(&pid, path.c_str(), &files, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attributes);
  ::close(pair[1]);
  if (failed != 0) {
    ::close(pair[0]);
    throw spawnError(path, failed);
  }
  return {pid, pair[0]};
}

class Supervisor {
 public:
  static Supervisor& get() {
    static auto* supervisor = new Supervisor();  // never destroyed: its thread runs until exit
    return *supervisor;
  }

  Spawned spawn(const std::filesystem::path& executable) {
    std::packaged_task<Spawned()> task([executable] { return spawnNow(executable); });
    auto result = task.get_future();
    {
      std::lock_guard lock(mutex_);
      spawns_.push_back(std::move(task));
    }
    wake_.notify_all();
    return result.get();
  }

  void retire(std::unique_ptr<ExecutorProcess> process, std::chrono::milliseconds grace) {
    process->sendStop();
    {
      std::lock_guard lock(mutex_);
      retiring_.push_back({std::move(process), Clock::now() + grace});
    }
    wake_.notify_all();
  }

  void everySecond(std::function<bool()> sweep) {
    std::lock_guard lock(mutex_);
    sweeps_.push_back(std::move(sweep));
  }

  std::size_t awaitRetired(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    ended_.wait_for(lock, timeout, [this] { return retiring_.empty(); });
    return retiring_.size();
  }

 private:
  struct Retiring {
    std::unique_ptr<ExecutorProcess> process;
    Clock::time_point killAt;
  };

  Supervisor() {
    std::thread([this] { loop(); }).detach();
  }

  void loop() {
    auto nextSweep = Clock::now() + std::chrono::seconds(1);
    std::unique_lock lock(mutex_);
    for (;;) {
      // Retired processes are checked every 20 ms: they are few, and most end at once.
      const auto until = retiring_.empty()
                             ? nextSweep
                             : std::min(nextSweep, Clock::now() + std::chrono::milliseconds(20));
      wake_.wait_until(lock, until, [this] { return !spawns_.empty(); });
      while (!spawns_.empty()) {
        auto task = std::move(spawns_.front());
        spawns_.pop_front();
        lock.unlock();
        task();
        lock.lock();
      }
      endRetired(lock);
      if (Clock::now() >= nextSweep) {
        nextSweep = Clock::now() + std::chrono::seconds(1);
        sweep(lock);
      }
    }
  }

  // Reaps the retired processes that ended, kills the ones past their grace (requires mutex_).
  void endRetired(std::unique_lock<std::mutex>& lock) {
    std::vector<std::unique_ptr<ExecutorProcess>> done;
    const auto now = Clock::now();
    for (auto it = retiring_.begin(); it != retiring_.end();) {
      if (it->process->hasExited() || now >= it->killAt) {
        done.push_back(std::move(it->process));
        it = retiring_.erase(it);
      } else {
        ++it;
      }
    }
    if (done.empty()) return;
    lock.unlock();
    done.clear();  // ~ExecutorProcess: SIGKILL to the group, reap
    lock.lock();
    if (retiring_.empty()) ended_.notify_all();
  }

  void sweep(std::unique_lock<std::mutex>& lock) {
    auto sweeps = std::move(sweeps_);
    lock.unlock();
    std::vector<std::function<bool()>> kept;
    for (auto& fn : sweeps) {
      if (fn()) kept.push_back(std::move(fn));
    }
    lock.lock();
    for (auto& fn : sweeps_) kept.push_back(std::move(fn));  // added meanwhile
    sweeps_ = std::move(kept);
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable ended_;
  std::deque<std::packaged_task<Spawned()>> spawns_;
  std::vector<Retiring> retiring_;
  std::vector<std::function<bool()>> sweeps_;
};

}  // namespace

Spawned spawnExecutor(const std::filesystem::path& executable) {
  return Supervisor::get().spawn(executable);
}

void retire(std::unique_ptr<ExecutorProcess> process, std::chrono::milliseconds grace) {
  Supervisor::get().retire(std::move(process), grace);
}

void everySecond(std::function<bool()> sweep) {
  Supervisor::get().everySecond(std::move(sweep));
}

std::size_t awaitRetired(std::chrono::milliseconds timeout) {
  return Supervisor::get().awaitRetired(timeout);
}

}  // namespace warren::executor
