// What every job of the plugin shares: the host's services, the stores over the database, the
// settings. Built once in the plugin's constructor; everything here is safe to use from
// concurrent jobs.
#pragma once

#include "Settings.h"
#include "db/Db.h"
#include "net/Http.h"
#include "net/RateLimit.h"
#include "store/Accounts.h"
#include "store/Ledger.h"
#include "store/Posts.h"

#include <warren/plugin.hpp>

#include <memory>

namespace publish {

struct Context {
  Context(const warren::Host& host, Settings settings);

  warren::Host host;
  Settings settings;
  common::db::Db db;
  net::Http http;
  store::Accounts accounts;
  store::Ledger ledger;
  store::Posts posts;
  net::RateLimits rateLimits;
};

}  // namespace publish
