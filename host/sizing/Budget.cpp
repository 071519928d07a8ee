#include "sizing/Budget.h"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace warren::sizing {
namespace {

constexpr std::uint64_t kMaxWeight = 1'000'000;
constexpr std::uint64_t kMaxBudget = 1'000'000;
constexpr std::size_t kMaxQueues = 10'000;

// The limits above keep every product below in 64 bits: slots and weights ≤ 10^6, so a
// numerator times a denominator stays ≤ 10^12, and sums over 10^4 queues ≤ 10^16.
struct Fraction {
  std::uint64_t num;
  std::uint64_t den;
};
bool operator<(Fraction a, Fraction b) {
  return a.num * b.den < b.num * a.den;
}
bool operator==(Fraction a, Fraction b) {
  return a.num * b.den == b.num * a.den;
}

enum class Status { Floor, Free, Capped };

struct Entry {
  const QueueDemand* demand;
  std::uint64_t hi;  // the cap, within 1 … budget
  std::optional<std::uint32_t> cap;
  std::string capKind;
  Status status = Status::Free;
  std::uint64_t slots = 0;
  std::uint64_t remainder = 0;  // of the free share, over the free weight
};

bool higherPriority(const QueueDemand& a, const QueueDemand& b) {
  return a.weight != b.weight ? a.weight > b.weight : a.name < b.name;
}

void validate(std::uint32_t budget, const std::vector<QueueDemand>& queues) {
  if (budget > kMaxBudget) {
    throw std::invalid_argument("node budget " + std::to_string(budget) +
                                " is above the limit of 1000000");
  }
  if (queues.size() > kMaxQueues) {
    throw std::invalid_argument("too many queues (" + std::to_string(queues.size()) +
                                "): at most 10000");
  }
  std::set<std::string> seen;
  for (const auto& q : queues) {
    if (q.name.empty()) throw std::invalid_argument("a queue has no name");
    if (!seen.insert(q.name).second) {
      throw std::invalid_argument("queue '" + q.name + "' is listed twice");
    }
    if (q.weight < 1 || q.weight > kMaxWeight) {
      throw std::invalid_argument("queue '" + q.name + "': weight " + std::to_string(q.weight) +
                                  " is outside 1 … 1000000");
    }
  }
}

Entry entryOf(const QueueDemand& q, std::uint32_t budget) {
  Entry e{&q, budget, std::nullopt, "", Status::Free, 0, 0};
  if (q.concurrencyCap) {
    e.cap = std::max<std::uint32_t>(*q.concurrencyCap, 1);
    e.capKind = "concurrency";
  }
  if (q.memoryCap && (!e.cap || std::max<std::uint32_t>(*q.memoryCap, 1) < *e.cap)) {
    e.cap = std::max<std::uint32_t>(*q.memoryCap, 1);
    e.capKind = "memory";
  }
  if (e.cap) e.hi = std::clamp<std::uint64_t>(*e.cap, 1, std::max<std::uint32_t>(budget, 1));
  return e;
}

// Σ clamp(λ·w, 1, hi) for λ = at, times at.den (so it stays a whole number).
std::uint64_t scaledTotal(const std::vector<Entry>& entries, Fraction at) {
  std::uint64_t total = 0;
  for (const auto& e : entries) {
    total += std::clamp(at.num * e.demand->weight, at.den, e.hi * at.den);
  }
  return total;
}

// Finds which queues sit at 1, at their cap, or in between (free) at the λ that makes the
// clamped shares add up to `target`; requires count < target < Σ hi.
void classify(std::vector<Entry>& entries, std::uint64_t target) {
  std::vector<Fraction> points;
  for (const auto& e : entries) {
    points.push_back({1, e.demand->weight});
    points.push_back({e.hi, e.demand->weight});
  }
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  // The first breakpoint where the total reaches the target; the total at the first one is the
  // number of queues, below the target, so the crossing has a breakpoint before it.
  const auto cur = std::partition_point(points.begin() + 1, points.end(), [&](Fraction p) {
    return scaledTotal(entries, p) < target * p.den;
  });
  const Fraction upper = *cur;
  const Fraction lower = *(cur - 1);
  for (auto& e : entries) {
    const std::uint64_t w = e.demand->weight;
    if (!(Fraction{1, w} < upper)) {
      e.status = Status::Floor;
    } else if (!(lower < Fraction{e.hi, w})) {
      e.status = Status::Capped;
    } else {
      e.status = Status::Free;
    }
  }
}

// Fixed queues take 1 or their cap; free ones share the rest by weight, largest remainder first.
void distribute(std::vector<Entry>& entries, std::uint64_t target) {
  std::uint64_t fixed = 0;
  std::uint64_t freeWeight = 0;
  for (auto& e : entries) {
    if (e.status == Status::Free) {
      freeWeight += e.demand->weight;
    } else {
      e.slots = e.status == Status::Floor ? 1 : e.hi;
      fixed += e.slots;
    }
  }
  const std::uint64_t rest = target - fixed;
  std::uint64_t given = fixed;
  std::vector<Entry*> open;
  for (auto& e : entries) {
    if (e.status != Status::Free) continue;
    e.slots = rest * e.demand->weight / freeWeight;
    e.remainder = rest * e.demand->weight % freeWeight;
    given += e.slots;
    open.push_back(&e);
  }
  std::stable_sort(open.begin(), open.end(), [](const Entry* a, const Entry* b) {
    return a->remainder > b->remainder;  // `entries` is in priority order already
  });
  for (std::size_t i = 0; given < target && i < open.size(); ++i, ++given) ++open[i]->slots;
}

std::string slotsText(std::uint64_t slots) {
  return std::to_string(slots) + (slots == 1 ? " slot" : " slots");
}

QueueShare shareOf(const Entry& e) {
  QueueShare s;
  s.name = e.demand->name;
  s.weight = e.demand->weight;
  s.slots = static_cast<std::uint32_t>(e.slots);
  s.cap = e.cap;
  if (e.status == Status::Capped) s.limitedBy = e.capKind;
  return s;
}

}  // namespace

std::uint32_t defaultWeight(std::string_view queue, std::uint32_t otherwise) {
  if (queue == "post-publish") return 40;
  if (queue == "content-generate") return 30;
  if (queue == "content-analyze") return 20;
  if (queue == "analytics-collect") return 10;
  return otherwise;
}

BudgetSplit splitBudget(std::uint32_t budget, const std::vector<QueueDemand>& queues) {
  validate(budget, queues);
  std::vector<const QueueDemand*> ordered;
  for (const auto& q : queues) ordered.push_back(&q);
  std::sort(ordered.begin(), ordered.end(),
            [](const QueueDemand* a, const QueueDemand* b) { return higherPriority(*a, *b); });
  std::vector<Entry> entries;
  std::uint64_t capacity = 0;
  for (const auto* q : ordered) {
    entries.push_back(entryOf(*q, budget));
    capacity += entries.back().hi;
  }
  const std::uint64_t count = entries.size();
  BudgetSplit split;
  if (count == 0) {
    split.unused = budget;
    return split;
  }
  if (budget <= count) {
    for (auto& e : entries) e.slots = 1;
    if (budget < count) {
      split.notes.push_back("node budget " + std::to_string(budget) +
                            " is smaller than the number of queues (" + std::to_string(count) +
                            "): each queue still gets 1 slot, " + std::to_string(count) +
                            " in total");
    }
  } else if (capacity <= budget) {
    for (auto& e : entries) {
      e.slots = e.hi;
      e.status = Status::Capped;
    }
    split.unused = static_cast<std::uint32_t>(budget - capacity);
  } else {
    classify(entries, budget);
    distribute(entries, budget);
  }
  for (const auto& e : entries) {
    split.shares.push_back(shareOf(e));
    split.assigned += split.shares.back().slots;
    if (!split.shares.back().limitedBy.empty()) {
      split.notes.push_back(
          "queue '" + e.demand->name + "' is held at " + slotsText(e.slots) + " by its " +
          e.capKind + " cap" +
          (capacity > budget ? "; the rest of its share goes to the other queues" : ""));
    }
  }
  if (split.unused > 0) {
    split.notes.push_back("every queue is at its cap: " + std::to_string(split.unused) + " of " +
                          std::to_string(budget) + " budget slots stay unused");
  }
  return split;
}

}  // namespace warren::sizing
