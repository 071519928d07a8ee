#include "storage/StorageService.h"

#include "log/Log.h"
#include "plugins/HostApi.h"
#include "plugins/JobContext.h"
#include "storage/Store.h"

#include <atomic>
#include <new>
#include <string>

namespace warren::storage {
namespace {

std::atomic<Store*> g_store{nullptr};

warren_status statusOf(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid:
      return WARREN_ERR_INVALID;
    case ErrorKind::not_found:
      return WARREN_ERR_NOT_FOUND;
    case ErrorKind::unavailable:
      return WARREN_ERR_UNAVAILABLE;
    case ErrorKind::timeout:
      return WARREN_ERR_TIMEOUT;
    case ErrorKind::cancelled:
      return WARREN_ERR_CANCELLED;
    case ErrorKind::internal:
      break;
  }
  return WARREN_ERR_INTERNAL;
}

void clear(warren_buffer* buffer) {
  if (buffer != nullptr) *buffer = warren_buffer{nullptr, 0};
}

std::string required(const char* text, const char* name) {
  if (text == nullptr) throw StorageError(ErrorKind::invalid, std::string(name) + " is NULL");
  return text;
}

void fill(warren_buffer* buffer, const std::string& text) {
  if (!plugins::fillBuffer(buffer, text)) throw std::bad_alloc();
}

// A job's cancel flag as the store asks for it; a call outside a job is never cancelled.
CancelCheck cancelOf(const warren_job* job) {
  if (job == nullptr || job->context == nullptr) return {};
  const plugins::JobContext* context = job->context;
  return [context] { return context->cancelled(); };
}

// Runs `fn` on the installed store and turns its failure into a status and error text.
template <typename Fn>
warren_status run(const warren_host* host, const char* operation, warren_buffer* error,
                  Fn&& fn) noexcept {
  clear(error);
  try {
    Store* store = g_store.load();
    if (store == nullptr) {
      plugins::fillBuffer(error, "no object storage is configured");
      return WARREN_ERR_UNAVAILABLE;
    }
    fn(*store);
    return WARREN_OK;
  } catch (const StorageError& e) {
    try {
      log::debug("plugin storage call failed",
                 {{"plugin", std::string(plugins::pluginNameOf(host))},
                  {"operation", operation},
                  {"error", e.what()}});
    } catch (...) {
    }
    plugins::fillBuffer(error, e.what());
    return statusOf(e.kind());
  } catch (const std::bad_alloc&) {
    plugins::fillBuffer(error, "out of memory");
  } catch (const std::exception& e) {
    plugins::fillBuffer(error, e.what());
  } catch (...) {
    plugins::fillBuffer(error, "unexpected error");
  }
  return WARREN_ERR_INTERNAL;
}

std::string infoJson(const ObjectInfo& info) {
  std::string out = "{\"size\":" + std::to_string(info.size) + ",\"content_type\":";
  log::appendJsonString(out, info.contentType);
  out += ",\"etag\":";
  log::appendJsonString(out, info.etag);
  out += ",\"modified_ms\":" + std::to_string(info.modifiedMs) + "}";
  return out;
}

std::string keysJson(const std::vector<std::string>& keys) {
  std::string out = "[";
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) out += ',';
    log::appendJsonString(out, keys[i]);
  }
  out += "]";
  return out;
}

warren_status putFile(const warren_host* host, const warren_job* job, const char* key,
                      const char* local_path, const char* content_type,
                      warren_buffer* error) noexcept {
  return run(host, "put_file", error, [&](Store& store) {
    store.putFile(required(key, "key"), required(local_path, "local_path"),
                  content_type != nullptr ? content_type : "", cancelOf(job));
  });
}

warren_status getFile(const warren_host* host, const warren_job* job, const char* key,
                      const char* local_path, warren_buffer* error) noexcept {
  return run(host, "get_file", error, [&](Store& store) {
    store.getFile(required(key, "key"), required(local_path, "local_path"), cancelOf(job));
  });
}

warren_status head(const warren_host* host, const char* key, warren_buffer* info_json,
                   warren_buffer* error) noexcept {
  clear(info_json);
  return run(host, "head", error,
             [&](Store& store) { fill(info_json, infoJson(store.head(required(key, "key")))); });
}

warren_status remove(const warren_host* host, const char* key, warren_buffer* error) noexcept {
  return run(host, "remove", error, [&](Store& store) { store.remove(required(key, "key")); });
}

warren_status list(const warren_host* host, const char* prefix, warren_buffer* keys_json,
                   warren_buffer* error) noexcept {
  clear(keys_json);
  return run(host, "list", error, [&](Store& store) {
    fill(keys_json, keysJson(store.list(prefix != nullptr ? prefix : "")));
  });
}

warren_status presignGet(const warren_host* host, const char* key, uint32_t expires_s,
                         warren_buffer* url, warren_buffer* error) noexcept {
  clear(url);
  return run(host, "presign_get", error, [&](Store& store) {
    fill(url, store.presignGet(required(key, "key"), static_cast<std::int64_t>(expires_s)));
  });
}

const warren_storage_api kStorageApi = {
    static_cast<uint32_t>(sizeof(warren_storage_api)),
    putFile,
    getFile,
    head,
    remove,
    list,
    presignGet,
};

}  // namespace

const warren_storage_api* storageApi(Store& store) {
  g_store.store(&store);
  return &kStorageApi;
}

}  // namespace warren::storage
