#include "redis/Stats.h"

namespace warren::redis {

Stats& stats() {
  static Stats counts;
  return counts;
}

}  // namespace warren::redis
