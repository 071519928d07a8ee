#include "outbound/Connection.h"

#include "outbound/Budget.h"
#include "outbound/Failure.h"
#include "outbound/Watchdog.h"

#include <netdb.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/X509Certificate.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <vector>

namespace warren::outbound {
namespace {

using Poco::Net::SecureStreamSocket;
using Poco::Net::SocketAddress;
using Poco::Net::StreamSocket;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// A Poco client session that never reconnects behind our back (Poco would silently reconnect
// and resend a request whose first write failed, POST included) and counts what it wrote.
template <class Base>
class Session final : public Base {
 public:
  template <class... Args>
  explicit Session(std::size_t& sent, Args&&... args)
      : Base(std::forward<Args>(args)...), sent_(sent) {}
  void adopt(const StreamSocket& socket) { this->attachSocket(socket); }

 protected:
  bool mustReconnect() const override { return false; }
  int write(const char* buffer, std::streamsize length) override {
    const int written = this->Poco::Net::HTTPSession::write(buffer, length);
    if (written > 0) sent_ += static_cast<std::size_t>(written);
    return written;
  }

 private:
  std::size_t& sent_;
};

std::string errnoText(int error) {
  return std::system_category().message(error);
}

std::vector<SocketAddress> resolve(const Url& url) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  hints.ai_flags = AI_NUMERICSERV | (url.ipLiteral ? AI_NUMERICHOST : 0);
  addrinfo* list = nullptr;
  const int rc = ::getaddrinfo(url.host.c_str(), std::to_string(url.port).c_str(), &hints, &list);
  if (rc != 0)
    throw Failure(FailureKind::unavailable,
                  "cannot resolve host '" + url.host + "': " + ::gai_strerror(rc));
  std::vector<SocketAddress> addresses;
  for (const addrinfo* entry = list; entry != nullptr; entry = entry->ai_next)
    addresses.emplace_back(entry->ai_addr, static_cast<poco_socklen_t>(entry->ai_addrlen));
  ::freeaddrinfo(list);
  return addresses;
}

// Why the connect phase has to stop, or nothing.
struct ConnectLimits {
  const Url& url;
  const Budget& budget;
  Clock::time_point deadline;
  milliseconds connectTimeout;

  void check() const {
    if (budget.cancelled())
      throw Failure(FailureKind::cancelled,
                    "connection to " + url.authority() + " cancelled: the job was cancelled");
    if (Clock::now() < deadline) return;
    const bool budgetBinds = budget.deadline() <= deadline;
    throw Failure(FailureKind::timeout,
                  "connection to " + url.authority() + " timed out" +
                      (budgetBinds ? budget.describeLimit()
                                   : " after " + std::to_string(connectTimeout.count()) + " ms"));
  }
};

// Waits in short slices for a non-blocking connect to finish; returns its errno (0: connected).
int awaitConnect(const StreamSocket& socket, const ConnectLimits& limits) {
  pollfd entry{};
  entry.fd = socket.impl()->sockfd();
  entry.events = POLLOUT;
  for (;;) {
    limits.check();
    const auto left = std::chrono::ceil<milliseconds>(limits.deadline - Clock::now());
    const auto slice = std::clamp<milliseconds>(left, milliseconds(1), milliseconds(20));
    const int ready = ::poll(&entry, 1, static_cast<int>(slice.count()));
    if (ready > 0) return socket.impl()->socketError();
    if (ready < 0 && errno != EINTR) return errno;
  }
}

StreamSocket connectTcp(const std::vector<SocketAddress>& addresses, const ConnectLimits& limits) {
  std::string lastError = "no address";
  for (const SocketAddress& address : addresses) {
    limits.check();
    StreamSocket socket(address.family());
    int error = 0;
    try {
      socket.connectNB(address);
    } catch (const Poco::Exception& e) {
      error = e.code() != 0 ? e.code() : ECONNREFUSED;
    }
    if (error == 0) error = awaitConnect(socket, limits);
    if (error == 0) {
      socket.setBlocking(true);
      socket.setNoDelay(true);
      return socket;
    }
    lastError = errnoText(error);
  }
  throw Failure(FailureKind::unavailable,
                "connection to " + limits.url.authority() + " failed: " + lastError);
}

void verifyHostName(const SecureStreamSocket& socket, const Url& url) {
  const std::string prefix = "TLS handshake with " + url.authority() + " failed: ";
  if (!socket.havePeerCertificate())
    throw Failure(FailureKind::tls, prefix + "the server sent no certificate");
  const Poco::Net::X509Certificate certificate = socket.peerCertificate();
  // OpenSSL's own matching: SAN DNS names (one leftmost wildcard label at most) or IP addresses.
  X509* x509 = const_cast<X509*>(certificate.certificate());
  const int match = url.ipLiteral ? X509_check_ip_asc(x509, url.host.c_str(), 0)
                                  : X509_check_host(x509, url.host.data(), url.host.size(),
                                                    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, nullptr);
  if (match != 1)
    throw Failure(FailureKind::tls,
                  prefix + "the server certificate is not valid for host '" + url.host + "'");
}

[[noreturn]] void handshakeFailed(const Url& url, const std::string& detail, Cut cut,
                                  const ConnectLimits& limits) {
  if (cut != Cut::none) limits.check();  // the watchdog stopped it: say why
  const std::string prefix = "TLS handshake with " + url.authority() + " failed: ";
  if (detail.find("certificate verify failed") != std::string::npos)
    throw Failure(
        FailureKind::tls,
        prefix + "the server certificate is not trusted (is its CA in caFile?): " + detail);
  throw Failure(FailureKind::unavailable, prefix + detail);
}

SecureStreamSocket handshake(const StreamSocket& plain, const Url& url,
                             const Poco::Net::Context::Ptr& tls, const ConnectLimits& limits,
                             Watchdog& watchdog) {
  Watchdog::Watch watch(watchdog, plain.impl()->sockfd(), limits.budget.job(), limits.deadline);
  StreamSocket socket = plain;
  // The handshake is bounded by the socket timeouts; the watchdog handles cancellation.
  socket.setReceiveTimeout(timespanUntil(limits.deadline));
  socket.setSendTimeout(timespanUntil(limits.deadline));
  try {
    // No SNI for an IP address (RFC 6066); host names are checked after the handshake.
    SecureStreamSocket secure = url.ipLiteral ? SecureStreamSocket::attach(socket, tls)
                                              : SecureStreamSocket::attach(socket, url.host, tls);
    if (watch.finish() != Cut::none) limits.check();
    return secure;
  } catch (const Poco::TimeoutException&) {
    watch.finish();
    limits.check();
    throw Failure(FailureKind::timeout, "TLS handshake with " + url.authority() + " timed out");
  } catch (const Poco::Exception& e) {
    handshakeFailed(url, e.displayText(), watch.finish(), limits);
  }
}

}  // namespace

Poco::Timespan timespanUntil(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::microseconds>(
      deadline - std::chrono::steady_clock::now());
  return Poco::Timespan(std::max<Poco::Timespan::TimeDiff>(left.count(), 1000));
}

Poco::Net::Context::Ptr makeTlsContext(const std::string& caFile) {
  // NetSSL keeps process-wide OpenSSL state: set it up once, never tear it down (connections
  // may live until exit).
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
  std::error_code error;
  if (!caFile.empty() && !std::filesystem::is_regular_file(caFile, error))
    throw std::invalid_argument("CA file '" + caFile + "' does not exist or is not a file");
  Poco::Net::Context::Params params;
  params.caLocation = caFile;
  params.loadDefaultCAs = caFile.empty();
  params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
  try {
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    // Poco's own host-name check resolves certificate names through DNS when the URL holds an
    // IP address; verifyHostName does it with OpenSSL's matching instead.
    context->enableExtendedCertificateVerification(false);
    return context;
  } catch (const Poco::Exception& e) {
    throw std::invalid_argument("cannot use CA file '" + caFile + "': " + e.displayText());
  }
}

std::unique_ptr<Connection> Connection::open(const Url& url, const Poco::Net::Context::Ptr& tls,
                                             const Budget& budget, milliseconds connectTimeout,
                                             Watchdog& watchdog) {
  const ConnectLimits limits{
      url, budget, std::min(budget.deadline(), Clock::now() + connectTimeout), connectTimeout};
  SigpipeBlock sigpipe;
  const StreamSocket plain = connectTcp(resolve(url), limits);
  std::unique_ptr<Connection> connection(new Connection());
  connection->fd_ = plain.impl()->sockfd();
  if (!url.tls) {
    auto session = std::make_unique<Session<Poco::Net::HTTPClientSession>>(connection->sent_);
    session->setHost(url.host);
    session->setPort(url.port);
    session->adopt(plain);
    connection->session_ = std::move(session);
  } else {
    const SecureStreamSocket secure = handshake(plain, url, tls, limits, watchdog);
    verifyHostName(secure, url);
    auto session = std::make_unique<Session<Poco::Net::HTTPSClientSession>>(connection->sent_, tls);
    session->setHost(url.host);
    session->setPort(url.port);
    session->adopt(secure);
    connection->session_ = std::move(session);
  }
  connection->session_->setKeepAlive(true);
  return connection;
}

Connection::~Connection() {
  SigpipeBlock sigpipe;  // closing TLS sends close_notify to a peer that may be gone
  try {
    session_.reset();
  } catch (...) {  // closing a broken connection: nothing to report
  }
}

bool Connection::peerClosed() const {
  pollfd entry{};
  entry.fd = fd_;
  entry.events = POLLIN;
  return ::poll(&entry, 1, 0) != 0;
}

}  // namespace warren::outbound
