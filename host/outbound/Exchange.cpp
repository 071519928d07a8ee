#include "outbound/Exchange.h"

#include "outbound/Budget.h"
#include "outbound/Connection.h"
#include "outbound/HttpClient.h"
#include "outbound/Protocol.h"
#include "outbound/Url.h"
#include "outbound/Watchdog.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <istream>
#include <ostream>

namespace warren::outbound {
namespace {

using Poco::Net::HTTPResponse;

enum class Phase { sending, waiting, reading };

std::string describeSize(std::size_t bytes) {
  constexpr std::size_t mib = std::size_t{1} << 20;
  if (bytes % mib == 0) return std::to_string(bytes / mib) + " MiB";
  return std::to_string(bytes) + " bytes";
}

bool bodyExpected(const std::string& method, int code) {
  return method != "HEAD" && code >= 200 && code != 204 && code != 304;
}

void rethrowStored(const Poco::Net::HTTPClientSession& session, const std::string& fallback) {
  if (session.networkException() != nullptr) session.networkException()->rethrow();
  throw Poco::IOException(fallback);
}

void send(Poco::Net::HTTPClientSession& session, const Url& url, const HttpRequest& request) {
  Poco::Net::HTTPRequest message(request.method, url.target, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : request.headers) message.add(name, value);
  const bool bodyMethod =
      request.method == "POST" || request.method == "PUT" || request.method == "PATCH";
  if (!request.body.empty() || bodyMethod)
    message.setContentLength64(static_cast<Poco::Int64>(request.body.size()));
  std::ostream& out = session.sendRequest(message);
  out.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
  out.flush();
  if (!out.good()) rethrowStored(session, "the request could not be sent");
}

void readBody(std::istream& in, const HTTPResponse& response,
              const Poco::Net::HTTPClientSession& session, std::size_t maxBody,
              const std::string& what, std::string& body) {
  const std::string tooLarge = "the response body of " + what + " is larger than the limit of " +
                               describeSize(maxBody) + " (maxResponseBytes)";
  const bool sized = response.hasContentLength();
  if (sized && static_cast<std::uint64_t>(response.getContentLength64()) > maxBody)
    throw Failure(FailureKind::tooLarge, tooLarge);
  if (sized) body.reserve(static_cast<std::size_t>(response.getContentLength64()));
  std::string chunk(std::size_t{64} << 10, '\0');
  while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
    const auto got = static_cast<std::size_t>(in.gcount());
    if (body.size() + got > maxBody) throw Failure(FailureKind::tooLarge, tooLarge);
    body.append(chunk.data(), got);
  }
  if (in.bad()) rethrowStored(session, "the response body was cut short");
  if (sized && body.size() < static_cast<std::uint64_t>(response.getContentLength64()))
    throw Poco::IOException("the connection closed after " + std::to_string(body.size()) + " of " +
                            std::to_string(response.getContentLength64()) + " body bytes");
}

void receive(Poco::Net::HTTPClientSession& session, const HttpRequest& request, std::size_t maxBody,
             const std::string& what, Phase& phase, Outcome& outcome) {
  HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  phase = Phase::reading;
  outcome.code = static_cast<int>(response.getStatus());
  HeaderList headers;
  for (const auto& [name, value] : response) headers.emplace_back(name, value);
  outcome.headersJson = headersJson(headers);
  if (response.has("Retry-After"))
    outcome.retryAfter =
        parseRetryAfter(response.get("Retry-After"), std::chrono::system_clock::now());
  const bool expected = bodyExpected(request.method, outcome.code);
  if (expected) readBody(in, response, session, maxBody, what, outcome.body);
  const bool framed =
      !expected || response.hasContentLength() || response.getChunkedTransferEncoding();
  outcome.responded = true;
  // After a 1xx (101 Switching Protocols) the connection no longer speaks HTTP/1.1.
  outcome.reusable = framed && response.getKeepAlive() && outcome.code >= 200;
}

std::string phaseText(Phase phase) {
  switch (phase) {
    case Phase::sending:
      return "while sending the request";
    case Phase::waiting:
      return "before a response";
    case Phase::reading:
      return "while reading the response";
  }
  return "";
}

void fail(Outcome& outcome, FailureKind kind, std::string message) {
  outcome.responded = false;
  outcome.failure = kind;
  outcome.error = std::move(message);
}

}  // namespace

Outcome exchange(Connection& connection, const Url& url, const HttpRequest& request,
                 const Budget& budget, Watchdog& watchdog, std::size_t maxBody) {
  SigpipeBlock sigpipe;
  const std::string what = request.method + " " + url.redacted();
  Poco::Net::HTTPClientSession& session = connection.session();
  connection.resetBytesSent();
  // The socket timeouts end a blocked call at the deadline even if the watchdog were late.
  session.socket().setReceiveTimeout(timespanUntil(budget.deadline()));
  session.socket().setSendTimeout(timespanUntil(budget.deadline()));

  Outcome outcome;
  Phase phase = Phase::sending;
  Watchdog::Watch watch(watchdog, connection.fd(), budget.job(), budget.deadline());
  try {
    send(session, url, request);
    phase = Phase::waiting;
    receive(session, request, maxBody, what, phase, outcome);
  } catch (const Failure& failure) {
    fail(outcome, failure.kind(), failure.what());
  } catch (const Poco::TimeoutException&) {
    fail(outcome, FailureKind::timeout, what + " timed out" + budget.describeLimit());
  } catch (const Poco::Exception& e) {
    fail(outcome, FailureKind::unavailable,
         what + " failed " + phaseText(phase) + ": " + e.displayText());
  }
  const Cut cut = watch.finish();
  if (cut == Cut::cancelled) {
    fail(outcome, FailureKind::cancelled, what + " cancelled: the job was cancelled");
  } else if (cut == Cut::deadline) {
    fail(outcome, FailureKind::timeout, what + " timed out" + budget.describeLimit());
  }
  if (!outcome.responded) {
    outcome.reusable = false;
    outcome.beforeResponse = phase != Phase::reading;
    outcome.nothingSent = phase == Phase::sending && connection.bytesSent() == 0;
  }
  return outcome;
}

}  // namespace warren::outbound
