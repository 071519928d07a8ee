// One HTTP/1.1 connection to an origin: a Poco client session over a socket this file connects
// itself (so that connecting is bounded by the call's deadline, wakes on cancellation, tries
// every address of the host, and checks the server certificate against the host name).
#pragma once

#include "outbound/Url.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>

#include <chrono>
#include <cstddef>
#include <memory>

namespace warren::outbound {

class Budget;
class Watchdog;

// The client's TLS settings: peer verification always on, TLS 1.2 at least, the CAs of `caFile`
// (PEM) or, when empty, the system's store. Throws std::invalid_argument when the file is
// missing or unusable.
Poco::Net::Context::Ptr makeTlsContext(const std::string& caFile);

// What is left until `deadline` as a socket timeout: at least 1 ms, because Poco reads a zero
// timeout as "wait forever".
Poco::Timespan timespanUntil(std::chrono::steady_clock::time_point deadline);

class Connection {
 public:
  using Clock = std::chrono::steady_clock;

  // Connects to `url`'s host and port (https: TLS handshake, certificate verified against the
  // host name). The connect phase is bounded by `connectTimeout` and the budget. Throws Failure.
  static std::unique_ptr<Connection> open(const Url& url, const Poco::Net::Context::Ptr& tls,
                                          const Budget& budget,
                                          std::chrono::milliseconds connectTimeout,
                                          Watchdog& watchdog);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Poco::Net::HTTPClientSession& session() { return *session_; }
  int fd() const { return fd_; }

  // Bytes written to the socket since the last reset (0: the peer got nothing of a request).
  std::size_t bytesSent() const { return sent_; }
  void resetBytesSent() { sent_ = 0; }

  // An idle connection has nothing to read; anything readable means the server closed it (or
  // broke the protocol). Either way it must not carry another request.
  bool peerClosed() const;

  bool reused = false;  // set when taken from the idle pool
  Clock::time_point idleSince{};

 private:
  Connection() = default;

  std::size_t sent_ = 0;
  int fd_ = -1;
  std::unique_ptr<Poco::Net::HTTPClientSession> session_;
};

}  // namespace warren::outbound
