// The node's one thread for the births and ends of executor processes. An executor process asks
// the kernel to kill it when the thread that started it ends (PR_SET_PDEATHSIG follows the
// thread, not the process), and the queue's pool threads come and go: so every executor process
// is started from this thread, which lives as long as the node. It also ends the processes
// retired (recycled, idle, of an old generation), and asks the process executors once a second
// to retire their idle ones.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>

namespace warren::executor {

class ExecutorProcess;

struct Spawned {
  pid_t pid = -1;
  int socket = -1;  // the node's end of the socketpair
};

// Starts `executable __executor <this process's pid>` in a process group of its own, with the
// other end of a new socketpair on fd 3, stdin from /dev/null, stdout and stderr shared with the
// node, no other descriptor, signals unblocked, and the environment's harmless variables only
// (no credentials). Throws std::runtime_error with the reason.
Spawned spawnExecutor(const std::filesystem::path& executable);

// Ends `process` in the background: asks it to stop (the plugin's shutdown runs), SIGKILLs its
// process group after `grace`, and reaps it.
void retire(std::unique_ptr<ExecutorProcess> process, std::chrono::milliseconds grace);

// Calls `sweep` about once a second, on the supervisor's thread, until it returns false.
void everySecond(std::function<bool()> sweep);

// Waits up to `timeout` until every retired process has ended (a stopping node gives its
// plugins' shutdown that long). Returns how many are still running.
std::size_t awaitRetired(std::chrono::milliseconds timeout);

}  // namespace warren::executor
