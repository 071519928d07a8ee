#include "storage/Store.h"

#include "storage/Keys.h"
#include "storage/LocalStore.h"
#include "storage/S3Store.h"

#include <Poco/Exception.h>

#include <algorithm>
#include <cctype>

namespace warren::storage {
namespace {

constexpr std::int64_t kMaxPresignSeconds = 604800;  // SigV4's limit: 7 days

// Runs `fn`, turning anything that is not a StorageError into one (internal), so callers only
// ever see StorageError.
template <typename Fn>
auto guarded(Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const StorageError&) {
    throw;
  } catch (const Poco::Exception& e) {
    throw StorageError(ErrorKind::internal, e.displayText());
  } catch (const std::exception& e) {
    throw StorageError(ErrorKind::internal, e.what());
  }
}

std::string checkedContentType(const std::string& contentType) {
  if (contentType.empty()) return "application/octet-stream";
  for (const char c : contentType) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7F) {
      throw StorageError(ErrorKind::invalid,
                         "content type " + inQuotes(contentType) + " contains a control character");
    }
  }
  return contentType;
}

bool parseBool(const std::string& name, const std::string& text) {
  std::string value = text;
  std::transform(value.begin(), value.end(), value.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (value == "1" || value == "true" || value == "yes" || value == "on") return true;
  if (value == "0" || value == "false" || value == "no" || value == "off" || value.empty()) {
    return false;
  }
  throw StorageError(
      ErrorKind::invalid,
      name + " must be true or false (also yes/no, on/off, 1/0), got " + inQuotes(text));
}

}  // namespace

std::string_view errorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid:
      return "invalid";
    case ErrorKind::not_found:
      return "not_found";
    case ErrorKind::unavailable:
      return "unavailable";
    case ErrorKind::timeout:
      return "timeout";
    case ErrorKind::cancelled:
      return "cancelled";
    case ErrorKind::internal:
      break;
  }
  return "internal";
}

void Store::putFile(const std::string& key, const std::filesystem::path& localPath,
                    const std::string& contentType, const CancelCheck& cancelled) {
  guarded([&] {
    validateKey(key);
    doPutFile(key, localPath, checkedContentType(contentType), cancelled);
  });
}

void Store::getFile(const std::string& key, const std::filesystem::path& localPath,
                    const CancelCheck& cancelled) {
  guarded([&] {
    validateKey(key);
    if (localPath.empty()) throw StorageError(ErrorKind::invalid, "local path is empty");
    doGetFile(key, localPath, cancelled);
  });
}

ObjectInfo Store::head(const std::string& key) {
  return guarded([&] {
    validateKey(key);
    return doHead(key);
  });
}

void Store::remove(const std::string& key) {
  guarded([&] {
    validateKey(key);
    doRemove(key);
  });
}

std::vector<std::string> Store::list(const std::string& prefix) {
  return guarded([&] {
    validatePrefix(prefix);
    return doList(prefix);
  });
}

std::string Store::presignGet(const std::string& key, std::int64_t expiresS) {
  return guarded([&] {
    validateKey(key);
    if (expiresS < 1 || expiresS > kMaxPresignSeconds) {
      throw StorageError(
          ErrorKind::invalid,
          "expiry must be between 1 and 604800 seconds (7 days), got " + std::to_string(expiresS));
    }
    return doPresignGet(key, expiresS);
  });
}

std::unique_ptr<Store> makeStore(const StorageOptions& options) {
  return guarded([&]() -> std::unique_ptr<Store> {
    if (!options.endpoint.empty()) return std::make_unique<S3Store>(options);
    if (options.localRoot.empty()) {
      throw StorageError(ErrorKind::invalid,
                         "object storage has neither an S3 endpoint (S3_ENDPOINT) nor a local "
                         "directory (storage.localDir)");
    }
    return std::make_unique<LocalStore>(options.localRoot);
  });
}

void applyEnvironment(StorageOptions& options, const EnvironmentLookup& lookup) {
  const auto set = [&](const char* name, std::string& field) {
    if (auto value = lookup(name)) field = *value;
  };
  set("S3_ENDPOINT", options.endpoint);
  set("S3_BUCKET", options.bucket);
  set("S3_ACCESS_KEY", options.accessKey);
  set("S3_SECRET_KEY", options.secretKey);
  set("S3_REGION", options.region);
  set("S3_CA_FILE", options.caFile);
  if (auto value = lookup("S3_PATH_STYLE")) options.pathStyle = parseBool("S3_PATH_STYLE", *value);
}

}  // namespace warren::storage
