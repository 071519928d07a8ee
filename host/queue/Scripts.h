// Warren's own queue scripts (host/queue/lua), each the shared prelude plus its body.
#pragma once

#include "redis/Script.h"

#include <string_view>

namespace warren::queue {

enum class ScriptId { add, fetch, finish, retry, delay, extend, stalled, requeue, progress, log,
                      scheduler };

const redis::Script& script(ScriptId id);

// The raw text of host/queue/lua/<name>.lua (generated into the library).
std::string_view embeddedScript(std::string_view name);

}  // namespace warren::queue
