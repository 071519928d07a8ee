// The SDK's AI service table (warren_ai_api, ABI 1.2) over the node's AiService.
#pragma once

#include <warren/plugin.h>

namespace warren::ai {

class AiService;

// The table to install with plugins::installServices({.ai = aiApi(service)}). It serves
// `service` from then on (the last one passed wins); `service` must outlive every plugin
// instance. The table itself is static.
const warren_ai_api* aiApi(AiService& service);

}  // namespace warren::ai
