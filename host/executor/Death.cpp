#include "executor/Death.h"

#include "executor/Protocol.h"

#include <sys/wait.h>

#include <csignal>
#include <cstring>

namespace warren::executor {

std::string signalName(int signal) {
  const char* abbreviation = ::sigabbrev_np(signal);
  return abbreviation != nullptr ? std::string("SIG") + abbreviation
                                 : "signal " + std::to_string(signal);
}

Death classifyExit(int status, const std::string& who, std::uint64_t memoryLimitBytes) {
  if (WIFSIGNALED(status)) {
    const std::string name = signalName(WTERMSIG(status));
    // SIGKILL never comes from a plugin's own fault: the kernel's OOM killer or an operator.
    if (WTERMSIG(status) == SIGKILL)
      return {name, "plugin executor was killed by SIGKILL in " + who};
    return {name, "plugin crashed: " + name + " in " + who};
  }
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  // An executor ends with these codes by itself (Protocol.h); without a cap, 120 is the plugin's.
  if (code == kExitMemoryLimit && memoryLimitBytes > 0) {
    return {"memory limit", "plugin exceeded its memory limit of " +
                                std::to_string(memoryLimitBytes >> 20) + " MiB in " + who};
  }
  if (code == kExitStackOverflow) {
    return {"stack overflow", "plugin crashed: SIGSEGV (stack overflow) in " + who};
  }
  if (code == kExitParentGone) return socketClosed(who);
  return {"exit status " + std::to_string(code),
          "plugin executor exited with status " + std::to_string(code) + " in " + who};
}

Death protocolBroken(const std::string& what, const std::string& who) {
  return {"protocol", "plugin executor broke the protocol (" + what + ") in " + who};
}

Death socketClosed(const std::string& who) {
  return {"socket closed", "plugin executor lost its socket to the node in " + who};
}

Death cancelIgnored(const std::string& reason, std::int64_t graceMs) {
  return {"cancel ignored",
          "cancelled (" + reason + ") and still running " + std::to_string(graceMs) +
              " ms later: its executor was killed",
          false};
}

std::string poisonPill(std::uint32_t crashes, const std::string& cause) {
  return "poison pill: killed " + std::to_string(crashes) + " executors (" + cause + ")";
}

}  // namespace warren::executor
