// The SDK's storage service (warren_storage_api) over a Store: plugins move objects between the
// store and local files, and get JSON for head and list.
#pragma once

#include <warren/plugin.h>

namespace warren::storage {

class Store;

// The table to install with plugins::installServices({.storage = storageApi(store)}). It serves
// `store` from then on (the last one passed wins); `store` must outlive every plugin instance.
// The table itself is static. Errors come back as warren_status values with the StorageError's
// text in the error buffer: invalid -> WARREN_ERR_INVALID, not_found -> WARREN_ERR_NOT_FOUND,
// unavailable -> WARREN_ERR_UNAVAILABLE, timeout -> WARREN_ERR_TIMEOUT, cancelled ->
// WARREN_ERR_CANCELLED (the job was cancelled during a transfer), internal -> WARREN_ERR_INTERNAL.
const warren_storage_api* storageApi(Store& store);

}  // namespace warren::storage
