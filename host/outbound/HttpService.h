// The SDK's outbound HTTP service (warren_http_api) over the node's HttpClient.
#pragma once

#include <warren/plugin.h>

namespace warren::outbound {

class HttpClient;

// The table to install with plugins::installServices({.http = httpApi(client)}). It serves
// `client` from then on (the last one passed wins); `client` must outlive every plugin
// instance. The table itself is static.
const warren_http_api* httpApi(HttpClient& client);

}  // namespace warren::outbound
