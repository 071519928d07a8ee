// The crashing jobs of the misbehave fixture (tests/plugins) and the reason each one's job fails
// with, under a 64 MiB memory limit: what the executor reports and a node writes to BullMQ.
#pragma once

#include <string>
#include <vector>

namespace warren::test {

struct Crash {
  std::string job;
  std::string reason;
};

inline const std::vector<Crash> kMisbehaveCrashes = {
    {"segfault", "plugin crashed: SIGSEGV in misbehave 1.0.0"},
    {"abort", "plugin crashed: SIGABRT in misbehave 1.0.0"},
    {"stack_overflow", "plugin crashed: SIGSEGV (stack overflow) in misbehave 1.0.0"},
    {"allocate", "plugin exceeded its memory limit of 64 MiB in misbehave 1.0.0"},
    {"exit", "plugin executor exited with status 3 in misbehave 1.0.0"},
    {"sockets",
     "plugin executor broke the protocol (a frame of 2147483647 bytes (the limit is "
     "1073741824)) in misbehave 1.0.0"},
};

}  // namespace warren::test
