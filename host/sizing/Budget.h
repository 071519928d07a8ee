// Splitting the node-wide concurrency budget across queues by weight.
//
// Each queue gets clamp(λ·weight, 1, cap) slots, λ chosen so the shares add up to the budget
// (water-filling: what a capped queue cannot use goes to the others by weight), then rounded by
// largest remainder so the sum is the budget exactly. Ties, and the order of the result, follow
// priority: higher weight first, then name. No queue is starved: each gets at least 1 slot, even
// when the budget is smaller than the number of queues (the split then says so in a note).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warren::sizing {

// Weight of a queue that config gives none.
constexpr std::uint32_t kOtherQueueWeight = 10;

// post-publish 40, content-generate 30, content-analyze 20, analytics-collect 10, any other
// queue `otherwise`.
std::uint32_t defaultWeight(std::string_view queue, std::uint32_t otherwise = kOtherQueueWeight);

struct QueueDemand {
  std::string name;
  std::uint32_t weight = kOtherQueueWeight;     // 1 … 1,000,000
  std::optional<std::uint32_t> concurrencyCap;  // configured concurrency of the queue
  std::optional<std::uint32_t> memoryCap;       // from memoryCap() (see Memory.h)
};

struct QueueShare {
  std::string name;
  std::uint32_t weight = 0;
  std::uint32_t slots = 0;
  std::optional<std::uint32_t> cap;  // the lower of the two caps (a cap of 0 counts as 1)
  // "concurrency" or "memory" when that cap holds the queue below its share by weight; empty
  // otherwise. When both caps are equal, "concurrency".
  std::string limitedBy;
};

struct BudgetSplit {
  std::vector<QueueShare> shares;  // by priority: higher weight first, then name
  std::uint32_t assigned = 0;      // sum of the slots
  std::uint32_t unused = 0;        // budget left over because every queue is at its cap
  std::vector<std::string> notes;  // readable remarks for the log (starved budget, caps, ...)
};

// Throws std::invalid_argument for a queue without a name, a repeated name, a weight outside
// 1 … 1,000,000, more than 10,000 queues or a budget above 1,000,000.
// Deterministic: the result does not depend on the order of `queues`.
BudgetSplit splitBudget(std::uint32_t budget, const std::vector<QueueDemand>& queues);

}  // namespace warren::sizing
