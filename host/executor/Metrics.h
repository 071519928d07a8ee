// The executors' metrics (docs/isolation.md, "Operations").
#pragma once

namespace warren::executor::names {

inline constexpr const char* processes = "warren_executor_processes";         // {queue}
inline constexpr const char* starts = "warren_executor_starts_total";         // {queue}
inline constexpr const char* startSeconds = "warren_executor_start_seconds";  // {queue}
// {queue,reason}: jobs | rss | idle | retired | died | start_failed
inline constexpr const char* exits = "warren_executor_exits_total";
// {queue,cause}: SIGSEGV, memory limit, cancel ignored...
inline constexpr const char* deaths = "warren_executor_deaths_total";
inline constexpr const char* poisonPills = "warren_executor_poison_pills_total";  // {queue}

}  // namespace warren::executor::names
