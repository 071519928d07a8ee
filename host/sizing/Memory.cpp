#include "sizing/Memory.h"

#include "log/Log.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>

namespace warren::sizing {

std::optional<std::uint64_t> parseWholeNumber(const std::string& text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  errno = 0;
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return std::nullopt;
  return value;
}

namespace {

std::optional<std::string> readText(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return text.str();
}

std::string trimmed(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

// A limit file: a number of bytes below kUnlimitedFrom; "max" and huge values mean no limit.
std::optional<std::uint64_t> readLimit(const std::filesystem::path& path) {
  const auto text = readText(path);
  if (!text) return std::nullopt;
  const auto bytes = parseWholeNumber(trimmed(*text));
  if (!bytes || *bytes >= kUnlimitedFrom) return std::nullopt;
  return bytes;
}

// "MemAvailable:   123456 kB" (the kernel's kB are KiB).
std::optional<std::uint64_t> readMemAvailable(const std::filesystem::path& path) {
  const auto text = readText(path);
  if (!text) return std::nullopt;
  std::istringstream lines(*text);
  std::string line;
  const std::string key = "MemAvailable:";
  while (std::getline(lines, line)) {
    if (line.rfind(key, 0) != 0) continue;
    std::istringstream fields(line.substr(key.size()));
    std::string number;
    std::string unit;
    fields >> number >> unit;
    const auto kib = parseWholeNumber(number);
    if (!kib || unit != "kB" || *kib > std::numeric_limits<std::uint64_t>::max() / 1024) {
      return std::nullopt;
    }
    return *kib * 1024;
  }
  return std::nullopt;
}

// Whole MiB, or bytes when below one MiB (so a small figure does not read as 0).
std::string mib(std::uint64_t bytes) {
  if (bytes < kMiB) return std::to_string(bytes) + " bytes";
  return std::to_string(bytes / kMiB) + " MiB";
}

}  // namespace

std::optional<MemoryLimit> readMemoryLimit(const MemorySources& sources) {
  if (const auto v2 = readLimit(sources.cgroupV2Max)) {
    return MemoryLimit{*v2, "cgroup v2 " + sources.cgroupV2Max.string()};
  }
  if (const auto v1 = readLimit(sources.cgroupV1Limit)) {
    return MemoryLimit{*v1, "cgroup v1 " + sources.cgroupV1Limit.string()};
  }
  if (const auto available = readMemAvailable(sources.meminfo)) {
    return MemoryLimit{*available, "MemAvailable in " + sources.meminfo.string()};
  }
  return std::nullopt;
}

std::uint64_t memoryForJobs(const MemoryLimit& limit, std::uint64_t overheadBytes) {
  return limit.bytes > overheadBytes ? limit.bytes - overheadBytes : 0;
}

std::optional<std::uint32_t> memoryCap(std::uint64_t forJobsBytes,
                                       std::uint64_t memoryPerJobBytes) {
  if (memoryPerJobBytes == 0) return std::nullopt;
  const std::uint64_t fit = forJobsBytes / memoryPerJobBytes;
  return static_cast<std::uint32_t>(
      std::clamp<std::uint64_t>(fit, 1, std::numeric_limits<std::uint32_t>::max()));
}

std::uint32_t capConcurrency(std::string_view queue, std::uint32_t configured,
                             std::uint64_t memoryPerJobBytes, const MemoryLimit& limit,
                             std::uint64_t overheadBytes) {
  const std::uint64_t forJobs = memoryForJobs(limit, overheadBytes);
  const auto cap = memoryCap(forJobs, memoryPerJobBytes);
  if (!cap || *cap >= configured) return configured;
  log::warn("concurrency of queue '" + std::string(queue) + "' lowered from " +
                std::to_string(configured) + " to " + std::to_string(*cap) +
                " to fit memory: " + mib(memoryPerJobBytes) + " per job, " + mib(forJobs) +
                " available for jobs (" + limit.source + ")",
            {{"queue", queue},
             {"configured", configured},
             {"capped", *cap},
             {"memoryPerJobBytes", memoryPerJobBytes},
             {"availableBytes", forJobs},
             {"memorySource", limit.source}});
  return *cap;
}

}  // namespace warren::sizing
