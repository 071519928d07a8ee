// The operator's account jobs (accounts:add, accounts:list, accounts:disable,
// accounts:reauth, accounts:reencrypt). They carry tokens, so they run only in-process from
// `warren call` / `warren accounts` (the job has no queue) and are refused from any queue: a
// token must never sit in Redis job data.
#pragma once

#include "Context.h"

#include <warren/plugin.hpp>

namespace publish {

bool isAccountJob(std::string_view name);
warren::Result runAccountJob(Context& context, const warren::Job& job);

}  // namespace publish
