// The table of host services handed to every plugin's init.
#pragma once

#include <warren/plugin.h>

namespace warren::plugins {

class Instance;

// The host's table (static, lives for the process).
const warren_host_api* hostApi();

}  // namespace warren::plugins

// The opaque plugin-instance handle of the C ABI.
struct warren_host {
  const warren::plugins::Instance* instance;
};
