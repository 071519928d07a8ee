// Why an executor process ended in the middle of a job, in the words the job's failedReason
// uses (docs/isolation.md, "Classification").
#pragma once

#include <cstdint>
#include <string>

namespace warren::executor {

struct Death {
  // Short, for poison pills and metrics: "SIGSEGV", "stack overflow", "memory limit",
  // "exit status 3", "protocol", "socket closed", "cancel ignored".
  std::string cause;
  // The job's failure message, e.g. "plugin crashed: SIGSEGV in echo 1.0.0".
  std::string reason;
  // The plugin's doing, counted toward a poison pill; false when the node killed it (a job that
  // ignored its cancellation).
  bool counts = true;
};

// "SIGSEGV", "SIGABRT", ... ("signal 99" for a number without a name).
std::string signalName(int signal);

// What a wait status of an executor process of plugin `who` ("echo 1.0.0") means, when it
// ended by itself; `memoryLimitBytes` is its cap (for the message).
Death classifyExit(int waitStatus, const std::string& who, std::uint64_t memoryLimitBytes);

// The executor sent bytes that are not a frame of the protocol (`what` says how).
Death protocolBroken(const std::string& what, const std::string& who);

// The executor closed its end of the socket, and was killed for it.
Death socketClosed(const std::string& who);

// The job was asked to stop (`reason`), did not within `graceMs`, and its executor was killed.
Death cancelIgnored(const std::string& reason, std::int64_t graceMs);

// A job that killed `crashes` executors, the last by `cause`: it fails for good.
std::string poisonPill(std::uint32_t crashes, const std::string& cause);

}  // namespace warren::executor
