// Signed HTTP(S) exchanges with an S3 endpoint through Poco Net: keep-alive connections reused
// from a small pool, bodies streamed from a file range or sent from a short text, responses
// streamed into a sink, and retries with exponential backoff on 5xx, 429, timeouts and dropped
// connections. TLS certificates are verified (host name included), with the system's CAs or
// StorageOptions::caFile.
#pragma once

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPResponse.h>

#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/FileIo.h"
#include "storage/S3Address.h"
#include "storage/SigV4.h"
#include "storage/Store.h"

namespace Poco::Net {
class HTTPClientSession;
}

namespace warren::storage {

struct S3Request {
  std::string method;
  Target target;
  sigv4::Pairs query;    // raw names and values
  sigv4::Pairs headers;  // extra headers to send and sign (content-type, ...)
  // The body: `bodyText`, or `bodyLength` bytes of `bodyFile` from `bodyOffset`.
  std::string bodyText;
  const InputFile* bodyFile = nullptr;
  std::uint64_t bodyOffset = 0;
  std::uint64_t bodyLength = 0;
  std::string payloadHash;  // hex SHA-256 of the body or UNSIGNED-PAYLOAD
  std::string what;         // for messages: `PUT "videos/a.mp4"`
};

struct S3Response {
  int status = 0;
  Poco::Net::HTTPResponse head;  // status line and headers
  std::string body;              // read when no sink took it (error documents, listings)
};

// Consumes a 2xx response body (a download). Called once per attempt: it must start over.
using BodySink = std::function<void(std::istream& body, const Poco::Net::HTTPResponse& head)>;

class S3Client {
 public:
  S3Client(const StorageOptions& options, const Endpoint& endpoint);
  ~S3Client();
  S3Client(const S3Client&) = delete;
  S3Client& operator=(const S3Client&) = delete;

  // Signs and sends `request`, retrying what is worth retrying. Returns the first response
  // that is not retried (2xx, 3xx, 4xx). Throws StorageError: timeout / unavailable after the
  // last attempt, cancelled, or what the sink or the body file threw.
  S3Response send(const S3Request& request, const CancelCheck& cancelled,
                  const BodySink& sink = {});

  const sigv4::Credentials& credentials() const { return credentials_; }
  bool https() const { return https_; }

 private:
  S3Response attempt(const S3Request& request, const BodySink& sink, const CancelCheck& cancelled);
  std::unique_ptr<Poco::Net::HTTPClientSession> take(const Target& target);
  void give(std::unique_ptr<Poco::Net::HTTPClientSession> session);
  void backoff(int attempt, const CancelCheck& cancelled) const;

  sigv4::Credentials credentials_;
  bool https_;
  int maxAttempts_;
  std::int64_t timeoutMs_;
  Poco::Net::Context::Ptr tls_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>> idle_;
};

// The StorageError for a response that is not 2xx: the kind follows the status (403 and a
// missing bucket: unavailable; other 4xx: invalid; 404: not_found), the text names `what`, the
// status and S3's code and message, plus a hint for credential and region problems.
[[noreturn]] void throwForResponse(const S3Response& response, const std::string& what);

}  // namespace warren::storage
