// The output of `warren plan`: a table for people, JSON for machines.
#pragma once

#include "sizing/Plan.h"

#include <cstdint>
#include <string>

namespace warren::sizing {

// Human-readable plan: inputs and assumptions, then workers, DB connections, Redis memory and
// tier with the formula behind each figure, then the observed queues if any.
std::string planTable(const PlanInputs& inputs, const PlanResult& result);

// One JSON object: {"inputs":{...},"result":{...},"observed":[...]} (keys in docs/sizing.md).
std::string planJson(const PlanInputs& inputs, const PlanResult& result);

// 20480000 → "19.5 MiB"; below 1 KiB in bytes ("512 B").
std::string humanBytes(std::uint64_t bytes);
// 10000 → "10 s", 11234 → "11.2 s", 250 → "0.25 s".
std::string humanSeconds(std::uint64_t ms);

}  // namespace warren::sizing
