// Object storage behind the SDK's storage service: a local directory (the default) or an
// S3-compatible bucket (AWS S3, MinIO, Cloudflare R2). Data always moves between a local file and
// the store, streamed in chunks, so no object ever sits whole in memory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace warren::storage {

enum class ErrorKind { invalid, not_found, unavailable, timeout, cancelled, internal };
std::string_view errorKindName(ErrorKind kind);

// Every failure of a Store comes as this exception; what() is a sentence for a person and never
// holds a secret key or a signature.
class StorageError : public std::runtime_error {
 public:
  StorageError(ErrorKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

struct ObjectInfo {
  std::uint64_t size = 0;
  std::string contentType;
  std::string etag;             // without the surrounding quotes
  std::int64_t modifiedMs = 0;  // Unix epoch milliseconds
};

// Asked between chunks of a transfer (and between retries); returning true stops the call with
// ErrorKind::cancelled. Empty means "never cancelled".
using CancelCheck = std::function<bool()>;

// Thread-safe: one Store serves every plugin thread. Keys are validated the same way by every
// backend (see Keys.h) before the backend sees them.
class Store {
 public:
  virtual ~Store() = default;

  // Uploads the file at `localPath` under `key`, replacing any object there. An empty
  // `contentType` stores application/octet-stream.
  void putFile(const std::string& key, const std::filesystem::path& localPath,
               const std::string& contentType, const CancelCheck& cancelled = {});
  // Downloads `key` to `localPath`: written to a temporary file in the same folder, then renamed,
  // so `localPath` never holds a partial object. The folder must exist.
  void getFile(const std::string& key, const std::filesystem::path& localPath,
               const CancelCheck& cancelled = {});
  ObjectInfo head(const std::string& key);
  // Removing a key that holds no object succeeds (as S3's DeleteObject does).
  void remove(const std::string& key);
  // Every key that starts with `prefix` (plain string prefix, "" for all), sorted bytewise.
  std::vector<std::string> list(const std::string& prefix);
  // A URL that reads the object without credentials for `expiresS` seconds (1..604800): a
  // presigned S3 URL, or a file:// URL for the local directory (which ignores the expiry).
  std::string presignGet(const std::string& key, std::int64_t expiresS);

  // "local directory /srv/objects" or "s3 https://host bucket b" (for start-up logs).
  virtual std::string description() const = 0;

 protected:
  virtual void doPutFile(const std::string& key, const std::filesystem::path& localPath,
                         const std::string& contentType, const CancelCheck& cancelled) = 0;
  virtual void doGetFile(const std::string& key, const std::filesystem::path& localPath,
                         const CancelCheck& cancelled) = 0;
  virtual ObjectInfo doHead(const std::string& key) = 0;
  virtual void doRemove(const std::string& key) = 0;
  virtual std::vector<std::string> doList(const std::string& prefix) = 0;
  virtual std::string doPresignGet(const std::string& key, std::int64_t expiresS) = 0;
};

struct StorageOptions {
  std::string localRoot;  // used when endpoint is empty
  std::string endpoint, bucket, accessKey, secretKey, region = "us-east-1";
  bool pathStyle = false;  // https://endpoint/bucket/key instead of https://bucket.endpoint/key
  std::uint64_t multipartThresholdBytes = 64ull << 20;  // larger files go up in parts
  std::uint64_t partSizeBytes = 16ull << 20;            // at least 5 MiB (S3's minimum)
  int maxAttempts = 4;             // per HTTP request; retried on 5xx, 429, timeouts, resets
  std::int64_t timeoutMs = 60000;  // connect/send/receive timeout of one attempt
  std::string caFile;              // PEM bundle for https; empty: the system's CAs
  int listPageSize = 1000;         // ListObjectsV2 max-keys (1..1000)
};

// An S3 store when options.endpoint is set, else the local directory options.localRoot.
// Throws StorageError (invalid) naming the option that is missing or wrong.
std::unique_ptr<Store> makeStore(const StorageOptions& options);

// Reads S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY, S3_SECRET_KEY, S3_REGION, S3_PATH_STYLE and
// S3_CA_FILE through `lookup` (std::getenv in production) into `options`; unset names leave the
// option as it was. Throws StorageError (invalid) for a malformed S3_PATH_STYLE.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;
void applyEnvironment(StorageOptions& options, const EnvironmentLookup& lookup);

}  // namespace warren::storage
