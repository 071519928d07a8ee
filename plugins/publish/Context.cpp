#include "Context.h"

namespace publish {

Context::Context(const warren::Host& h, Settings s)
    : host(h),
      settings(std::move(s)),
      db(host),
      http(host),
      accounts(db, settings.keys),
      ledger(db, settings.leaseMs),
      posts(db),
      rateLimits(db) {}

}  // namespace publish
