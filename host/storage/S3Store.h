// The S3-compatible backend: AWS S3, MinIO, Cloudflare R2 and anything speaking the same REST
// API with SigV4. Uploads above StorageOptions::multipartThresholdBytes go up in parts
// (CreateMultipartUpload / UploadPart / CompleteMultipartUpload; AbortMultipartUpload when a
// part fails), everything else in one PUT.
//
// Payload hashes: over https the body is sent as UNSIGNED-PAYLOAD (TLS already protects it in
// transit, and the file is read once); over plain http the SHA-256 of the body (or part) is
// computed by a first streaming pass over the file and signed, so a body altered on the way is
// refused by the server.
#pragma once

#include <memory>
#include <string>

#include "storage/S3Address.h"
#include "storage/S3Client.h"
#include "storage/Store.h"

namespace warren::storage {

class S3Store : public Store {
 public:
  // Throws StorageError (invalid) for incomplete or inconsistent options.
  explicit S3Store(const StorageOptions& options);
  ~S3Store() override;

  std::string description() const override;

 protected:
  void doPutFile(const std::string& key, const std::filesystem::path& localPath,
                 const std::string& contentType, const CancelCheck& cancelled) override;
  void doGetFile(const std::string& key, const std::filesystem::path& localPath,
                 const CancelCheck& cancelled) override;
  ObjectInfo doHead(const std::string& key) override;
  void doRemove(const std::string& key) override;
  std::vector<std::string> doList(const std::string& prefix) override;
  std::string doPresignGet(const std::string& key, std::int64_t expiresS) override;

 private:
  std::string payloadHash(const InputFile& file, std::uint64_t offset, std::uint64_t length,
                          const CancelCheck& cancelled) const;
  void putWhole(const std::string& key, const InputFile& file, const std::string& contentType,
                const CancelCheck& cancelled);
  void putMultipart(const std::string& key, const InputFile& file, const std::string& contentType,
                    const CancelCheck& cancelled);
  std::string uploadParts(const std::string& key, const std::string& uploadId,
                          const InputFile& file, const CancelCheck& cancelled);
  void abortMultipart(const std::string& key, const std::string& uploadId);

  StorageOptions options_;
  S3Address address_;
  std::unique_ptr<S3Client> client_;
};

}  // namespace warren::storage
