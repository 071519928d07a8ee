#include "storage/S3Client.h"

#include "log/Log.h"
#include "storage/Keys.h"
#include "storage/S3Xml.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

namespace warren::storage {
namespace {

constexpr std::size_t kMaxIdleSessions = 8;
constexpr std::size_t kMaxTextBody = 32u << 20;  // listings of 1000 long keys fit easily
constexpr std::int64_t kFirstBackoffMs = 200;
constexpr std::int64_t kMaxBackoffMs = 5000;

// A failure worth another attempt (5xx, timeout, dropped connection).
struct Retryable {
  ErrorKind kind;
  std::string reason;
};

bool retryableStatus(const S3Response& response) {
  const int status = response.status;
  if (status >= 500 || status == 429 || status == 408) return true;
  if (status == 400) {
    const auto error = parseError(response.body);
    return error && error->code == "RequestTimeout";
  }
  return false;
}

std::string describeStatus(const S3Response& response) {
  std::string out = "HTTP " + std::to_string(response.status);
  if (const auto error = parseError(response.body)) {
    if (!error->code.empty()) out += " " + error->code;
    if (!error->message.empty()) out += ": " + error->message;
  } else if (!response.head.getReason().empty()) {
    out += " " + response.head.getReason();
  }
  return out;
}

Poco::Net::Context::Ptr makeTlsContext(const std::string& caFile) {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
  try {
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, caFile,
                               Poco::Net::Context::VERIFY_STRICT, 9, caFile.empty());
    // Per-context handler: an untrusted certificate fails the handshake, whatever the process's
    // global SSLManager is set up to do.
    context->setInvalidCertificateHandler(new Poco::Net::RejectCertificateHandler(false));
    context->enableExtendedCertificateVerification(true);
    return context;
  } catch (const Poco::Exception& e) {
    throw StorageError(ErrorKind::invalid, "cannot set up TLS for S3 (CA file " + inQuotes(caFile) +
                                               "): " + e.displayText());
  }
}

std::string pathAndQuery(const S3Request& request) {
  const std::string query = sigv4::canonicalQuery(request.query);
  return query.empty() ? request.target.path : request.target.path + "?" + query;
}

// Builds the Poco request with the SigV4 headers for now.
Poco::Net::HTTPRequest signedRequest(const S3Request& request,
                                     const sigv4::Credentials& credentials) {
  const std::string date = sigv4::amzDate(std::chrono::system_clock::now());
  sigv4::Request toSign;
  toSign.method = request.method;
  toSign.canonicalUri = request.target.path;
  toSign.query = request.query;
  toSign.headers = request.headers;
  toSign.headers.emplace_back("host", request.target.hostHeader);
  toSign.headers.emplace_back("x-amz-content-sha256", request.payloadHash);
  toSign.headers.emplace_back("x-amz-date", date);
  toSign.payloadHash = request.payloadHash;
  const sigv4::Signature signature = sigv4::sign(credentials, toSign, date);

  Poco::Net::HTTPRequest out(request.method, pathAndQuery(request),
                             Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : toSign.headers) out.set(name == "host" ? "Host" : name, value);
  out.set("Authorization", signature.authorization);
  const bool hasBody = request.bodyFile != nullptr || !request.bodyText.empty() ||
                       request.method == "PUT" || request.method == "POST";
  if (hasBody) {
    out.setContentLength64(static_cast<Poco::Int64>(
        request.bodyFile != nullptr ? request.bodyLength : request.bodyText.size()));
  }
  out.setKeepAlive(true);
  return out;
}

void sendBody(std::ostream& out, const S3Request& request, const CancelCheck& cancelled) {
  const auto put = [&](const char* data, std::size_t size) {
    out.write(data, static_cast<std::streamsize>(size));
    if (!out) throw Poco::IOException("connection lost while sending the body");
  };
  if (request.bodyFile != nullptr) {
    request.bodyFile->readRange(request.bodyOffset, request.bodyLength, cancelled, put);
  } else if (!request.bodyText.empty()) {
    put(request.bodyText.data(), request.bodyText.size());
  }
  out.flush();
  if (!out) throw Poco::IOException("connection lost while sending the body");
}

// Reads at most kMaxTextBody bytes; false when the body was longer (the rest is left unread).
bool readText(std::istream& in, std::string& out) {
  char buffer[16384];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    out.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (out.size() > kMaxTextBody) return false;
  }
  return true;
}

// Classifies a Poco failure of one attempt: retried, or final.
Retryable classify(const Poco::Exception& e, const Target& target) {
  if (dynamic_cast<const Poco::TimeoutException*>(&e) != nullptr) {
    return {ErrorKind::timeout, "timed out (" + e.displayText() + ")"};
  }
  if (dynamic_cast<const Poco::Net::SSLConnectionUnexpectedlyClosedException*>(&e) == nullptr &&
      dynamic_cast<const Poco::Net::SSLException*>(&e) != nullptr) {
    throw StorageError(ErrorKind::unavailable,
                       "TLS connection to " + target.hostHeader + " failed: " + e.displayText());
  }
  return {ErrorKind::unavailable, e.displayText()};
}

}  // namespace

S3Client::S3Client(const StorageOptions& options, const Endpoint& endpoint)
    : credentials_{options.accessKey, options.secretKey, options.region, "s3"},
      https_(endpoint.https),
      maxAttempts_(std::max(1, options.maxAttempts)),
      timeoutMs_(options.timeoutMs > 0 ? options.timeoutMs : 60000) {
  if (https_) tls_ = makeTlsContext(options.caFile);
}

S3Client::~S3Client() = default;

std::unique_ptr<Poco::Net::HTTPClientSession> S3Client::take(const Target& target) {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto session = std::move(idle_.back());
      idle_.pop_back();
      return session;
    }
  }
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  if (https_) {
    session =
        std::make_unique<Poco::Net::HTTPSClientSession>(target.connectHost, target.port, tls_);
  } else {
    session = std::make_unique<Poco::Net::HTTPClientSession>(target.connectHost, target.port);
  }
  session->setTimeout(Poco::Timespan(timeoutMs_ * 1000));
  session->setKeepAlive(true);
  // Reconnect rather than reuse a connection idle for long: servers close idle connections
  // (Node after 5 s), and a request sent on a closed one costs an attempt.
  session->setKeepAliveTimeout(Poco::Timespan(2, 0));
  return session;
}

void S3Client::give(std::unique_ptr<Poco::Net::HTTPClientSession> session) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < kMaxIdleSessions) idle_.push_back(std::move(session));
}

S3Response S3Client::attempt(const S3Request& request, const BodySink& sink,
                             const CancelCheck& cancelled) {
  auto session = take(request.target);
  Poco::Net::HTTPRequest http = signedRequest(request, credentials_);
  S3Response response;
  std::ostream& out = session->sendRequest(http);
  try {
    sendBody(out, request, cancelled);
  } catch (const Poco::Exception&) {
    // The server may have answered (and closed) before taking the whole body, e.g. a 403 for a
    // bad signature: that answer says more than the broken pipe.
    try {
      std::istream& in = session->receiveResponse(response.head);
      readText(in, response.body);
      response.status = static_cast<int>(response.head.getStatus());
      if (response.status >= 400) return response;
    } catch (const Poco::Exception&) {
    }
    throw;
  }
  std::istream& in = session->receiveResponse(response.head);
  response.status = static_cast<int>(response.head.getStatus());
  bool drained = true;
  if (response.status / 100 == 2 && sink) {
    sink(in, response.head);
  } else {
    drained = readText(in, response.body);
  }
  if (drained && in.eof()) give(std::move(session));
  return response;
}

void S3Client::backoff(int attempt, const CancelCheck& cancelled) const {
  const std::int64_t base = std::min(kMaxBackoffMs, kFirstBackoffMs << std::min(attempt - 1, 10));
  thread_local std::minstd_rand random{std::random_device{}()};
  const std::int64_t delay =
      base / 2 + static_cast<std::int64_t>(random() % static_cast<unsigned>(base / 2 + 1));
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(delay);
  while (std::chrono::steady_clock::now() < until) {
    checkCancelled(cancelled);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

S3Response S3Client::send(const S3Request& request, const CancelCheck& cancelled,
                          const BodySink& sink) {
  Retryable last{ErrorKind::unavailable, ""};
  for (int n = 1; n <= maxAttempts_; ++n) {
    checkCancelled(cancelled);
    try {
      S3Response response = attempt(request, sink, cancelled);
      if (!retryableStatus(response)) return response;
      last = {ErrorKind::unavailable, describeStatus(response)};
    } catch (const Poco::Exception& e) {
      last = classify(e, request.target);
    }
    if (n == maxAttempts_) break;
    log::debug("S3 request retried",
               {{"request", request.what}, {"attempt", n}, {"reason", last.reason}});
    backoff(n, cancelled);
  }
  const std::string attempts =
      maxAttempts_ == 1 ? "1 attempt" : std::to_string(maxAttempts_) + " attempts";
  if (last.kind == ErrorKind::timeout) {
    throw StorageError(ErrorKind::timeout, request.what + " timed out after " + attempts + " (" +
                                               std::to_string(timeoutMs_) +
                                               " ms each): " + last.reason);
  }
  throw StorageError(last.kind, request.what + " failed after " + attempts + ": " + last.reason);
}

void throwForResponse(const S3Response& response, const std::string& what) {
  const auto error = parseError(response.body);
  const std::string code = error ? error->code : "";
  std::string text = what + " failed: " + describeStatus(response);
  ErrorKind kind = ErrorKind::invalid;
  if (code == "SignatureDoesNotMatch" || code == "InvalidAccessKeyId") {
    kind = ErrorKind::unavailable;
    text += " (check S3_ACCESS_KEY and S3_SECRET_KEY)";
  } else if (code == "RequestTimeTooSkewed") {
    kind = ErrorKind::unavailable;
    text += " (this machine's clock is off)";
  } else if (code == "AuthorizationHeaderMalformed" || response.status / 100 == 3) {
    text += " (check S3_REGION and S3_ENDPOINT)";
  } else if (code == "NoSuchBucket") {
    kind = ErrorKind::unavailable;
    text += " (check S3_BUCKET)";
  } else if (response.status == 404) {
    kind = ErrorKind::not_found;
  } else if (response.status == 401 || response.status == 403) {
    kind = ErrorKind::unavailable;
  }
  throw StorageError(kind, text);
}

}  // namespace warren::storage
