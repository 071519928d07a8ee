// A plugin that misbehaves in every way process isolation must contain (docs/isolation.md),
// picked by the job name. Under queue.NAME.isolation = process each of these fails only its
// job; in process only "stdout", "fork", "pid", "leak" and "sleep" are safe to run.
//   segfault        writes through a null pointer (SIGSEGV)
//   abort           calls abort() (SIGABRT)
//   stack_overflow  recurses until the stack runs out
//   allocate        allocates (and touches) 16 MiB blocks without end
//   spin            loops forever and never looks at its cancellation
//   exit            calls exit(3)
//   sockets         writes garbage to every socket it can find (the executor's, in a process)
//   stdout          writes {"bytes":N} (default 1 MiB) of binary garbage to stdout, completes
//   fork            forks a child that lingers {"linger_s":N} (default 30) s, completes
//   pid             completes with {"pid":<its process id>}
//   leak            keeps {"mb":N} (default 16) MiB for good, completes with its pid
//   sleep           waits {"ms":N} (default 10000) or until cancelled, completes saying which
#include <warren/plugin.hpp>

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

// The whole number after "key": in the job's data, or `fallback`.
long number(std::string_view data, const char* key, long fallback) {
  const std::string needle = std::string("\"") + key + "\":";
  const auto at = data.find(needle);
  if (at == std::string_view::npos) return fallback;
  return std::strtol(std::string(data.substr(at + needle.size())).c_str(), nullptr, 10);
}

// Not inlined and not a tail call: every level keeps its frame.
__attribute__((noinline)) long recurse(long depth) {
  volatile char frame[4096];
  frame[0] = static_cast<char>(depth);
  if (depth <= 0) return frame[0];
  return recurse(depth - 1) + frame[0];
}

std::string pidResult() {
  return "{\"pid\":" + std::to_string(::getpid()) + "}";
}

// "leak" keeps its blocks here (never freed: no work in a static destructor).
std::vector<std::vector<char>>& leaked() {
  static auto* blocks = new std::vector<std::vector<char>>();
  return *blocks;
}

class Misbehave final : public warren::Plugin {
 public:
  explicit Misbehave(const warren::Host& host) : warren::Plugin(host) {}

  warren::Result handle(warren::Job& job) override {
    const std::string_view name = job.name();
    const std::string_view data = job.data();
    if (name == "segfault") {
      int* volatile target = nullptr;
      *target = 42;
    } else if (name == "abort") {
      std::abort();
    } else if (name == "stack_overflow") {
      return warren::Result::completed(std::to_string(recurse(number(data, "depth", 1L << 40))));
    } else if (name == "allocate") {
      std::vector<std::vector<char>> blocks;
      for (;;) blocks.emplace_back(16u << 20, 'x');
    } else if (name == "spin") {
      volatile unsigned long turns = 0;
      for (;;) turns = turns + 1;
    } else if (name == "exit") {
      std::exit(3);
    } else if (name == "sockets") {
      return garbageToSockets();
    } else if (name == "stdout") {
      return garbageToStdout(static_cast<std::size_t>(number(data, "bytes", 1 << 20)));
    } else if (name == "fork") {
      const pid_t child = ::fork();
      if (child == 0) {
        ::sleep(static_cast<unsigned>(number(data, "linger_s", 30)));
        ::_exit(0);
      }
      return warren::Result::completed("{\"child\":" + std::to_string(child) + "}");
    } else if (name == "leak") {
      leaked().emplace_back(static_cast<std::size_t>(number(data, "mb", 16)) << 20, 'x');
      return warren::Result::completed(pidResult());
    } else if (name == "sleep") {
      const bool cancelled =
          job.waitCancelled(std::chrono::milliseconds(number(data, "ms", 10000)));
      return warren::Result::completed(cancelled ? "{\"cancelled\":\"" +
                                                       std::string(job.cancelReason()) + "\"}"
                                                 : std::string("{\"cancelled\":false}"));
    }
    return warren::Result::completed(pidResult());
  }

 private:
  static warren::Result garbageToStdout(std::size_t bytes) {
    std::string garbage(bytes, '\0');
    unsigned value = 7;
    for (auto& c : garbage) {
      value = value * 1103515245u + 12345u;
      c = static_cast<char>(value >> 16);
    }
    const std::size_t written = std::fwrite(garbage.data(), 1, garbage.size(), stdout);
    std::fflush(stdout);
    return warren::Result::completed("{\"wrote\":" + std::to_string(written) + "}");
  }

  static warren::Result garbageToSockets() {
    const char garbage[] = "\xff\xff\xff\x7fnot a frame at all";
    int hit = 0;
    for (int fd = 3; fd < 1024; ++fd) {
      struct stat st {};
      if (::fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode)) {
        hit += ::send(fd, garbage, sizeof garbage, MSG_NOSIGNAL) > 0 ? 1 : 0;
      }
    }
    // The executor's answer would come now; sleep so that the garbage is read first.
    ::usleep(200 * 1000);
    return warren::Result::completed("{\"sockets\":" + std::to_string(hit) + "}");
  }
};

const char* const kJobs[] = {"*"};

}  // namespace

WARREN_PLUGIN(Misbehave, "misbehave", "1.0.0", kJobs, WARREN_RESOURCE_IO, 1u << 20, 4, nullptr)
