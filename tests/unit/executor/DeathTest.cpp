// The words a job's failedReason uses for each way an executor process can end (the statuses
// are built as waitpid reports them; the isolation integration tests produce each for real).
#include "executor/Death.h"
#include "executor/Protocol.h"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <csignal>

namespace warren::executor {
namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;

int exited(int code) {
  return W_EXITCODE(code, 0);
}
int killedBy(int signal) {
  return W_EXITCODE(0, signal);
}

TEST(Deaths, SignalsNameTheSignalAndThePlugin) {
  const Death segv = classifyExit(killedBy(SIGSEGV), "echo 1.0.0", 0);
  EXPECT_EQ(segv.reason, "plugin crashed: SIGSEGV in echo 1.0.0");
  EXPECT_EQ(segv.cause, "SIGSEGV");
  EXPECT_TRUE(segv.counts);
  EXPECT_EQ(classifyExit(killedBy(SIGABRT), "echo 1.0.0", 0).reason,
            "plugin crashed: SIGABRT in echo 1.0.0");
  EXPECT_EQ(classifyExit(killedBy(SIGBUS), "x 2", 0).reason, "plugin crashed: SIGBUS in x 2");
  const Death killed = classifyExit(killedBy(SIGKILL), "echo 1.0.0", 0);
  EXPECT_EQ(killed.reason, "plugin executor was killed by SIGKILL in echo 1.0.0");
  EXPECT_TRUE(killed.counts) << "the OOM killer's victim is the job's doing";
}

TEST(Deaths, TheExecutorsOwnExitCodes) {
  EXPECT_EQ(classifyExit(exited(kExitMemoryLimit), "echo 1.0.0", 256 * kMiB).reason,
            "plugin exceeded its memory limit of 256 MiB in echo 1.0.0");
  EXPECT_EQ(classifyExit(exited(kExitMemoryLimit), "echo 1.0.0", 256 * kMiB).cause, "memory limit");
  EXPECT_EQ(classifyExit(exited(kExitMemoryLimit), "echo 1.0.0", 0).reason,
            "plugin executor exited with status 120 in echo 1.0.0")
      << "without a cap, 120 is the plugin's own exit code";
  EXPECT_EQ(classifyExit(exited(kExitStackOverflow), "echo 1.0.0", 0).reason,
            "plugin crashed: SIGSEGV (stack overflow) in echo 1.0.0");
  EXPECT_EQ(classifyExit(exited(kExitParentGone), "echo 1.0.0", 0).reason,
            "plugin executor lost its socket to the node in echo 1.0.0");
}

TEST(Deaths, APluginsExitCodes) {
  const Death three = classifyExit(exited(3), "echo 1.0.0", 0);
  EXPECT_EQ(three.reason, "plugin executor exited with status 3 in echo 1.0.0");
  EXPECT_EQ(three.cause, "exit status 3");
  EXPECT_EQ(classifyExit(exited(0), "echo 1.0.0", 0).reason,
            "plugin executor exited with status 0 in echo 1.0.0");
}

TEST(Deaths, WhatTheNodeDecides) {
  const Death garbage = protocolBroken("a frame of unknown kind 97", "echo 1.0.0");
  EXPECT_EQ(garbage.reason,
            "plugin executor broke the protocol (a frame of unknown kind 97) in echo 1.0.0");
  EXPECT_TRUE(garbage.counts);
  const Death ignored = cancelIgnored("timeout", 1000);
  EXPECT_EQ(ignored.reason,
            "cancelled (timeout) and still running 1000 ms later: its executor "
            "was killed");
  EXPECT_FALSE(ignored.counts) << "the node killed it: not a crash";
  EXPECT_EQ(poisonPill(3, "SIGSEGV"), "poison pill: killed 3 executors (SIGSEGV)");
}

}  // namespace
}  // namespace warren::executor
