// The table of host services handed to every plugin's init.
#pragma once

#include <warren/plugin.h>

#include <string_view>

namespace warren::plugins {

class Instance;

// The host's table (static, lives for the process).
const warren_host_api* hostApi();

// The services a host provides only when configured (outbound HTTP, database, object storage,
// AI models).
// Each table is HOST-OWNED and must live for the process.
struct OptionalServices {
  const warren_http_api* http = nullptr;
  const warren_db_api* db = nullptr;
  const warren_storage_api* storage = nullptr;
  const warren_ai_api* ai = nullptr;
};

// Fills the optional entries of the table. Call at start-up, before any plugin's init: plugins
// read the table in init and may keep the pointers.
void installServices(const OptionalServices& services);

// Fills the table's queue service (ABI 1.2), before any plugin's init; NULL removes it.
void installQueueService(const warren_queue_api* queue);

// Fills a HOST-OWNED buffer handed back to a plugin: malloc'd (the table's buffer_free calls
// free), NUL-terminated. A NULL `buffer` is fine (the plugin did not ask). False when out of
// memory.
bool fillBuffer(warren_buffer* buffer, std::string_view text) noexcept;

// The name of the plugin behind a host handle (for logs), or "" when unknown.
std::string_view pluginNameOf(const warren_host* host) noexcept;

}  // namespace warren::plugins

// The opaque plugin-instance handle of the C ABI.
struct warren_host {
  const warren::plugins::Instance* instance;
};
