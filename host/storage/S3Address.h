// Where an S3 request goes: the endpoint (scheme, host, port) and the bucket, addressed
// virtual-hosted style (https://bucket.host/key, AWS's default) or path style
// (https://host/bucket/key, what MinIO and most local servers want).
#pragma once

#include <cstdint>
#include <string>

namespace warren::storage {

struct Endpoint {
  bool https = true;
  std::string host;  // as written, without brackets for IPv6
  std::uint16_t port = 443;
};

// Parses "https://s3.eu-west-1.amazonaws.com", "http://127.0.0.1:9000",
// "https://ACCOUNT.r2.cloudflarestorage.com". Throws StorageError (invalid) for anything else:
// another scheme, a path, query, credentials in the URL.
Endpoint parseEndpoint(const std::string& url);

// One request target.
struct Target {
  std::string connectHost;  // the name to connect to (bucket.host in virtual-hosted style)
  std::uint16_t port = 443;
  bool https = true;
  std::string hostHeader;  // what is sent (and signed) as Host: the port only when not default
  std::string path;        // URI-encoded, as sent and signed
};

class S3Address {
 public:
  // Throws StorageError (invalid) for an empty bucket or one with '/'.
  S3Address(Endpoint endpoint, std::string bucket, bool pathStyle);

  // The object `key` (a valid key; encoded segment by segment).
  Target object(const std::string& key) const;
  // The bucket itself (ListObjectsV2): "/" virtual-hosted, "/bucket" path style.
  Target bucket() const;
  // scheme://hostHeader + path + ("?" + query when not empty).
  static std::string url(const Target& target, const std::string& query);

  const std::string& bucketName() const { return bucket_; }

 private:
  Target target(std::string path) const;

  Endpoint endpoint_;
  std::string bucket_;
  bool pathStyle_;
};

}  // namespace warren::storage
