// The memory of a process as the kernel counts it (/proc/<pid>/statm).
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace warren::executor {

struct ProcessMemory {
  std::uint64_t addressSpaceBytes = 0;  // what RLIMIT_AS limits
  std::uint64_t residentBytes = 0;      // RSS
};

// Zeros when it cannot be read (the process is gone).
ProcessMemory processMemory(pid_t pid);

}  // namespace warren::executor
