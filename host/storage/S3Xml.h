// The few S3 XML documents the store reads and writes.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace warren::storage {

struct ListPage {
  std::vector<std::string> keys;
  bool truncated = false;
  std::string nextToken;  // NextContinuationToken
};

struct S3ErrorBody {
  std::string code;     // "NoSuchKey", "SignatureDoesNotMatch", ...
  std::string message;  // the server's sentence
};

// Throw StorageError (internal) when the text is not the expected document.
ListPage parseListPage(const std::string& xml);     // ListBucketResult (ListObjectsV2)
std::string parseUploadId(const std::string& xml);  // InitiateMultipartUploadResult
// An <Error> document, or nothing when `xml` is not one (empty body, other root, malformed).
std::optional<S3ErrorBody> parseError(const std::string& xml);

// CompleteMultipartUpload body for (part number, ETag as returned) in order.
std::string completeMultipartXml(const std::vector<std::pair<int, std::string>>& parts);

}  // namespace warren::storage
