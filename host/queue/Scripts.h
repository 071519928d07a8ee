// Warren's own queue scripts (host/queue/lua), each the shared prelude plus its body. The same
// texts also form one Redis function library ("warren_<hash of the texts>"), so servers with
// functions define the helpers once per load instead of once per call. Versions of Warren with
// different scripts use different library names and can share a server during a rolling update.
#pragma once

#include "redis/Script.h"

#include <string_view>

namespace warren::queue {

enum class ScriptId {
  add,
  fetch,
  finish,
  retry,
  delay,
  extend,
  stalled,
  requeue,
  progress,
  log,
  scheduler,
  upsert
};

const redis::Script& script(ScriptId id);

// The library every script belongs to.
const redis::FunctionLibrary& scriptLibrary();

// The raw text of host/queue/lua/<name>.lua (generated into the library).
std::string_view embeddedScript(std::string_view name);

}  // namespace warren::queue
