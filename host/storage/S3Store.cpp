#include "storage/S3Store.h"

#include "log/Log.h"
#include "storage/Digest.h"
#include "storage/Keys.h"
#include "storage/S3Xml.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace warren::storage {
namespace {

constexpr std::uint64_t kMiB = 1ull << 20;
constexpr std::uint64_t kMinPartBytes = 5 * kMiB;         // S3: every part but the last
constexpr std::uint64_t kMaxSinglePutBytes = 5ull << 30;  // S3: one PUT, and one part
constexpr std::uint64_t kMaxParts = 10000;

void require(bool ok, const std::string& message) {
  if (!ok) throw StorageError(ErrorKind::invalid, message);
}

void validate(const StorageOptions& o) {
  require(!o.accessKey.empty(), "S3 access key is empty (S3_ACCESS_KEY)");
  require(!o.secretKey.empty(), "S3 secret key is empty (S3_SECRET_KEY)");
  require(!o.region.empty(), "S3 region is empty (S3_REGION; \"auto\" for Cloudflare R2)");
  require(o.partSizeBytes >= kMinPartBytes && o.partSizeBytes <= kMaxSinglePutBytes,
          "storage part size must be between 5 MiB and 5 GiB (storage.partSizeMb), got " +
              std::to_string(o.partSizeBytes) + " bytes");
  require(o.multipartThresholdBytes <= kMaxSinglePutBytes,
          "storage multipart threshold must be at most 5 GiB (storage.multipartThresholdMb)");
  require(o.listPageSize >= 1 && o.listPageSize <= 1000,
          "storage list page size must be between 1 and 1000");
  require(o.maxAttempts >= 1, "storage max attempts must be at least 1");
  require(o.timeoutMs > 0, "storage timeout must be positive");
}

std::string unquoted(std::string etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return etag;
}

std::int64_t httpDateMs(const std::string& text) {
  Poco::DateTime parsed;
  int tzd = 0;
  if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::HTTP_FORMAT, text, parsed, tzd)) {
    return 0;
  }
  return parsed.timestamp().epochMicroseconds() / 1000 - static_cast<std::int64_t>(tzd) * 1000;
}

bool ok(const S3Response& response) {
  return response.status / 100 == 2;
}

}  // namespace

S3Store::S3Store(const StorageOptions& options)
    : options_(options),
      address_(parseEndpoint(options.endpoint), options.bucket, options.pathStyle) {
  validate(options_);
  // The secret never goes into a message of ours; this also redacts it from any log line.
  log::addSecret(options_.secretKey);
  client_ = std::make_unique<S3Client>(options_, parseEndpoint(options_.endpoint));
}

S3Store::~S3Store() = default;

std::string S3Store::description() const {
  return "s3 " + options_.endpoint + " bucket " + options_.bucket +
         (options_.pathStyle ? " (path style)" : "");
}

std::string S3Store::payloadHash(const InputFile& file, std::uint64_t offset, std::uint64_t length,
                                 const CancelCheck& cancelled) const {
  if (client_->https()) return std::string(sigv4::kUnsignedPayload);
  Sha256Stream digest;
  file.readRange(offset, length, cancelled,
                 [&](const char* data, std::size_t size) { digest.update(data, size); });
  return digest.hex();
}

void S3Store::doPutFile(const std::string& key, const std::filesystem::path& localPath,
                        const std::string& contentType, const CancelCheck& cancelled) {
  const InputFile file(localPath);
  if (file.size() > options_.multipartThresholdBytes) {
    putMultipart(key, file, contentType, cancelled);
  } else {
    putWhole(key, file, contentType, cancelled);
  }
}

void S3Store::putWhole(const std::string& key, const InputFile& file,
                       const std::string& contentType, const CancelCheck& cancelled) {
  S3Request request;
  request.method = "PUT";
  request.target = address_.object(key);
  request.headers = {{"content-type", contentType}};
  request.bodyFile = &file;
  request.bodyLength = file.size();
  request.payloadHash = payloadHash(file, 0, file.size(), cancelled);
  request.what = "PUT " + inQuotes(key);
  const S3Response response = client_->send(request, cancelled);
  if (!ok(response)) throwForResponse(response, request.what);
}

void S3Store::putMultipart(const std::string& key, const InputFile& file,
                           const std::string& contentType, const CancelCheck& cancelled) {
  S3Request start;
  start.method = "POST";
  start.target = address_.object(key);
  start.query = {{"uploads", ""}};
  start.headers = {{"content-type", contentType}};
  start.payloadHash = std::string(sigv4::kEmptyPayloadHash);
  start.what = "multipart upload start for " + inQuotes(key);
  const S3Response started = client_->send(start, cancelled);
  if (!ok(started)) throwForResponse(started, start.what);
  const std::string uploadId = parseUploadId(started.body);
  try {
    S3Request complete;
    complete.method = "POST";
    complete.target = address_.object(key);
    complete.query = {{"uploadId", uploadId}};
    complete.headers = {{"content-type", "application/xml"}};
    complete.bodyText = uploadParts(key, uploadId, file, cancelled);
    complete.payloadHash = sha256Hex(complete.bodyText);
    complete.what = "multipart upload completion for " + inQuotes(key);
    const S3Response done = client_->send(complete, cancelled);
    if (!ok(done)) throwForResponse(done, complete.what);
    // S3 may answer 200 and still report a failure in the body.
    if (const auto error = parseError(done.body)) {
      throw StorageError(ErrorKind::unavailable,
                         complete.what + " failed: " + error->code + ": " + error->message);
    }
  } catch (...) {
    abortMultipart(key, uploadId);
    throw;
  }
}

std::string S3Store::uploadParts(const std::string& key, const std::string& uploadId,
                                 const InputFile& file, const CancelCheck& cancelled) {
  // Parts grow beyond the configured size only when S3's 10000-part limit demands it.
  const std::uint64_t needed = (file.size() + kMaxParts - 1) / kMaxParts;
  const std::uint64_t partSize =
      std::max(options_.partSizeBytes, (needed + kMiB - 1) / kMiB * kMiB);
  std::vector<std::pair<int, std::string>> parts;
  for (std::uint64_t offset = 0; offset < file.size(); offset += partSize) {
    const int number = static_cast<int>(parts.size() + 1);
    S3Request part;
    part.method = "PUT";
    part.target = address_.object(key);
    part.query = {{"partNumber", std::to_string(number)}, {"uploadId", uploadId}};
    part.bodyFile = &file;
    part.bodyOffset = offset;
    part.bodyLength = std::min(partSize, file.size() - offset);
    part.payloadHash = payloadHash(file, part.bodyOffset, part.bodyLength, cancelled);
    part.what = "upload of part " + std::to_string(number) + " of " + inQuotes(key);
    const S3Response response = client_->send(part, cancelled);
    if (!ok(response)) throwForResponse(response, part.what);
    const std::string etag = response.head.get("ETag", "");
    if (etag.empty()) {
      throw StorageError(ErrorKind::internal, part.what + " got no ETag from the server");
    }
    parts.emplace_back(number, etag);
  }
  return completeMultipartXml(parts);
}

void S3Store::abortMultipart(const std::string& key, const std::string& uploadId) {
  S3Request abort;
  abort.method = "DELETE";
  abort.target = address_.object(key);
  abort.query = {{"uploadId", uploadId}};
  abort.payloadHash = std::string(sigv4::kEmptyPayloadHash);
  abort.what = "multipart upload abort for " + inQuotes(key);
  try {
    const S3Response response = client_->send(abort, {});
    if (ok(response)) return;
    throwForResponse(response, abort.what);
  } catch (const std::exception& e) {
    // The upload failed already; a lingering upload is for the bucket's lifecycle rules.
    log::warn("S3 multipart upload not aborted", {{"key", key}, {"reason", e.what()}});
  }
}

void S3Store::doGetFile(const std::string& key, const std::filesystem::path& localPath,
                        const CancelCheck& cancelled) {
  AtomicFile file(localPath);
  S3Request request;
  request.method = "GET";
  request.target = address_.object(key);
  request.payloadHash = std::string(sigv4::kEmptyPayloadHash);
  request.what = "GET " + inQuotes(key);
  const auto sink = [&](std::istream& in, const Poco::Net::HTTPResponse& head) {
    file.restart();
    std::vector<char> buffer(kChunkBytes);
    while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
      checkCancelled(cancelled);
      file.write(buffer.data(), static_cast<std::size_t>(in.gcount()));
    }
    const auto expected = head.getContentLength64();
    if (expected != Poco::Net::HTTPMessage::UNKNOWN_CONTENT_LENGTH &&
        file.written() != static_cast<std::uint64_t>(expected)) {
      throw Poco::IOException("connection closed after " + std::to_string(file.written()) + " of " +
                              std::to_string(expected) + " bytes");
    }
  };
  const S3Response response = client_->send(request, cancelled, sink);
  if (response.status == 404) {
    const auto error = parseError(response.body);
    if (!error || error->code != "NoSuchBucket") {
      throw StorageError(ErrorKind::not_found, "no object at key " + inQuotes(key));
    }
  }
  if (!ok(response)) throwForResponse(response, request.what);
  file.commit();
}

ObjectInfo S3Store::doHead(const std::string& key) {
  S3Request request;
  request.method = "HEAD";
  request.target = address_.object(key);
  request.payloadHash = std::string(sigv4::kEmptyPayloadHash);
  request.what = "HEAD " + inQuotes(key);
  const S3Response response = client_->send(request, {});
  if (response.status == 404) {
    throw StorageError(ErrorKind::not_found, "no object at key " + inQuotes(key));
  }
  if (!ok(response)) throwForResponse(response, request.what);
  ObjectInfo info;
  const auto length = response.head.getContentLength64();
  info.size = length < 0 ? 0 : static_cast<std::uint64_t>(length);
  info.contentType = response.head.get("Content-Type", "application/octet-stream");
  info.etag = unquoted(response.head.get("ETag", ""));
  info.modifiedMs = httpDateMs(response.head.get("Last-Modified", ""));
  return info;
}

void S3Store::doRemove(const std::string& key) {
  S3Request request;
  request.method = "DELETE";
  request.target = address_.object(key);
  request.payloadHash = std::string(sigv4::kEmptyPayloadHash);
  request.what = "DELETE " + inQuotes(key);
  const S3Response response = client_->send(request, {});
  if (ok(response)) return;
  if (response.status == 404) {
    const auto error = parseError(response.body);
    if (!error || error->code != "NoSuchBucket") return;  // nothing there: removed
  }
  throwForResponse(response, request.what);
}

std::vector<std::string> S3Store::doList(const std::string& prefix) {
  std::vector<std::string> keys;
  std::string token;
  while (true) {
    S3Request request;
    request.method = "GET";
    request.target = address_.bucket();
    request.query = {{"list-type", "2"}, {"max-keys", std::to_string(options_.listPageSize)}};
    if (!prefix.empty()) request.query.emplace_back("prefix", prefix);
    if (!token.empty()) request.query.emplace_back("continuation-token", token);
    request.payloadHash = std::string(sigv4::kEmptyPayloadHash);
    request.what = "list of " + inQuotes(prefix);
    const S3Response response = client_->send(request, {});
    if (!ok(response)) throwForResponse(response, request.what);
    ListPage page = parseListPage(response.body);
    keys.insert(keys.end(), page.keys.begin(), page.keys.end());
    if (!page.truncated) break;
    if (page.nextToken.empty() || page.nextToken == token) {
      throw StorageError(ErrorKind::internal,
                         request.what + ": the server said there is more but gave no new token");
    }
    token = page.nextToken;
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::string S3Store::doPresignGet(const std::string& key, std::int64_t expiresS) {
  const Target target = address_.object(key);
  const std::string date = sigv4::amzDate(std::chrono::system_clock::now());
  const std::string query = sigv4::presignQuery(client_->credentials(), "GET", target.path,
                                                target.hostHeader, date, expiresS);
  return S3Address::url(target, query);
}

}  // namespace warren::storage
