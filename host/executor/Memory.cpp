#include "executor/Memory.h"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace warren::executor {

ProcessMemory processMemory(pid_t pid) {
  ProcessMemory memory;
  const std::string path = "/proc/" + std::to_string(pid) + "/statm";
  std::FILE* file = std::fopen(path.c_str(), "re");
  if (file == nullptr) return memory;
  unsigned long long size = 0;
  unsigned long long resident = 0;
  if (std::fscanf(file, "%llu %llu", &size, &resident) == 2) {
    const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
    memory.addressSpaceBytes = size * page;
    memory.residentBytes = resident * page;
  }
  std::fclose(file);
  return memory;
}

}  // namespace warren::executor
