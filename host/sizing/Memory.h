// Memory-aware concurrency: how much memory the node may use, and how many jobs of a plugin fit.
//
// The limit comes from the cgroup (the container's limit), else from MemAvailable of the
// machine. The host's own overhead (default 200 MiB) is set aside; each queue then runs at most
// floor(rest / memory_per_job) jobs at once, never fewer than 1.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace warren::sizing {

constexpr std::uint64_t kMiB = 1024 * 1024;
constexpr std::uint64_t kDefaultMemoryOverheadBytes = 200 * kMiB;
// cgroup v1 reports "no limit" as a huge number (PAGE_COUNTER_MAX pages, 0x7FFFFFFFFFFFF000 on
// x86-64); anything from 2^60 bytes up is taken as unlimited.
constexpr std::uint64_t kUnlimitedFrom = std::uint64_t{1} << 60;

// Where the figures are read; tests point these at fixture files.
struct MemorySources {
  std::filesystem::path cgroupV2Max = "/sys/fs/cgroup/memory.max";
  std::filesystem::path cgroupV1Limit = "/sys/fs/cgroup/memory/memory.limit_in_bytes";
  std::filesystem::path meminfo = "/proc/meminfo";
};

struct MemoryLimit {
  std::uint64_t bytes = 0;
  // "cgroup v2 /sys/fs/cgroup/memory.max", "cgroup v1 …", "MemAvailable in /proc/meminfo".
  std::string source;
};

// A whole decimal number (digits only, fits 64 bits), else nothing.
std::optional<std::uint64_t> parseWholeNumber(const std::string& text);

// The first of: a cgroup v2 limit (a number; "max" means none), a cgroup v1 limit (below
// kUnlimitedFrom), MemAvailable. Missing, unreadable or malformed files are skipped; nothing
// when none of them gives a figure.
std::optional<MemoryLimit> readMemoryLimit(const MemorySources& sources = {});

// The limit minus the host's overhead, 0 when the overhead takes it all.
std::uint64_t memoryForJobs(const MemoryLimit& limit,
                            std::uint64_t overheadBytes = kDefaultMemoryOverheadBytes);

// floor(forJobs / memoryPerJob), at least 1; nothing (no cap) when memoryPerJob is 0.
std::optional<std::uint32_t> memoryCap(std::uint64_t forJobsBytes, std::uint64_t memoryPerJobBytes);

// The configured concurrency of `queue`, lowered to its memory cap when that is smaller. A
// lowered value is logged (warn) with the queue, the configured and capped values, the memory
// per job and the memory available for jobs.
std::uint32_t capConcurrency(std::string_view queue, std::uint32_t configured,
                             std::uint64_t memoryPerJobBytes, const MemoryLimit& limit,
                             std::uint64_t overheadBytes = kDefaultMemoryOverheadBytes);

}  // namespace warren::sizing
