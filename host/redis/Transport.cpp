#include "redis/Transport.h"

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <mutex>
#include <optional>
#include <vector>

#include <Poco/Exception.h>
#include <Poco/Net/DNS.h>
#include <Poco/Net/HostEntry.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>

#include "redis/Errors.h"

namespace warren::redis::detail {
namespace {

using Poco::Net::SocketAddress;
using Poco::Net::StreamSocket;

// NetSSL keeps global OpenSSL state; initialise it once for the whole process, from whichever
// thread connects first. We never uninitialise: connections may live until exit.
void initializeSslOnce() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

// A plain socket's blocking recv gives up after this long (SO_RCVTIMEO, set once), so a reply
// needs no poll before it; only the last slice before a deadline is waited for with poll.
constexpr std::chrono::milliseconds kReceiveSlice{250};

std::chrono::microseconds remaining(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now());
  return std::max(left, std::chrono::microseconds(0));
}

Poco::Timespan remainingSpan(Clock::time_point deadline) {
  // Poco treats a zero timeout as "no timeout": never hand it a zero.
  return Poco::Timespan(std::max<Poco::Timespan::TimeDiff>(remaining(deadline).count(), 1000));
}

// OpenSSL writes with write(2), so a peer that went away raises SIGPIPE, which would kill the
// process. Block it in this thread for the call and swallow one we caused, instead of changing the
// process-wide disposition behind the application's back.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipeSet_);
    sigaddset(&pipeSet_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    wasPending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipeSet_, &oldMask_);
  }
  ~SigpipeGuard() {
    sigset_t pending;
    sigpending(&pending);
    if (!wasPending_ && sigismember(&pending, SIGPIPE) == 1) {
      const timespec zero{0, 0};
      sigtimedwait(&pipeSet_, nullptr, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &oldMask_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t pipeSet_{};
  sigset_t oldMask_{};
  bool wasPending_ = false;
};

// Keeps a socket visible to interrupt() while it is being connected.
class Published {
 public:
  Published(SocketWatch& watch, const StreamSocket& socket) : watch_(watch) {
    watch_.publish(socket.impl()->sockfd());
  }
  ~Published() { watch_.retract(); }
  Published(const Published&) = delete;
  Published& operator=(const Published&) = delete;

 private:
  SocketWatch& watch_;
};

std::vector<Poco::Net::IPAddress> resolve(const std::string& host, const std::string& label) {
  Poco::Net::IPAddress literal;
  if (Poco::Net::IPAddress::tryParse(host, literal)) return {literal};
  try {
    auto addresses = Poco::Net::DNS::hostByName(host).addresses();
    if (!addresses.empty()) return addresses;
  } catch (const Poco::Exception& e) {
    throw ConnectionError("cannot connect to " + label + ": cannot resolve host '" + host +
                          "': " + e.displayText());
  }
  throw ConnectionError("cannot connect to " + label + ": host '" + host + "' has no address");
}

std::string millis(std::chrono::microseconds span) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(span).count()) +
         " ms";
}

// Tries each address of the host in turn (e.g. ::1 then 127.0.0.1 for localhost).
StreamSocket connectTcp(const Url& url, Clock::time_point deadline, const std::string& label,
                        SocketWatch& watch) {
  const auto started = Clock::now();
  std::string problems;
  bool timedOut = false;
  const auto addresses = resolve(url.host, label);
  for (const auto& ip : addresses) {
    if (Clock::now() >= deadline) break;
    StreamSocket socket(ip.family());
    Published published(watch, socket);
    const SocketAddress address(ip, static_cast<Poco::UInt16>(url.port));
    try {
      socket.connect(address, remainingSpan(deadline));
      socket.setNoDelay(true);
      socket.setKeepAlive(true);
      return socket;
    } catch (const Poco::TimeoutException&) {
      timedOut = true;
      problems += (problems.empty() ? "" : "; ") + address.toString() + ": timed out";
    } catch (const Poco::Exception& e) {
      const std::string where = addresses.size() > 1 ? address.toString() + ": " : "";
      problems += (problems.empty() ? "" : "; ") + where + e.displayText();
    }
  }
  const std::string message = "cannot connect to " + label + ": " +
                              (problems.empty() ? std::string("no time left") : problems);
  if (timedOut || problems.empty())
    throw TimeoutError(
        message + " (connect timeout " +
        millis(std::chrono::duration_cast<std::chrono::microseconds>(deadline - started)) + ")");
  throw ConnectionError(message);
}

StreamSocket connectUnix(const Url& url, Clock::time_point deadline, const std::string& label,
                         SocketWatch& watch) {
  try {
    const SocketAddress address(SocketAddress::UNIX_LOCAL, url.path);
    StreamSocket socket(SocketAddress::UNIX_LOCAL);
    Published published(watch, socket);
    socket.connect(address, remainingSpan(deadline));
    return socket;
  } catch (const Poco::TimeoutException&) {
    throw TimeoutError("cannot connect to " + label + ": connect timeout");
  } catch (const Poco::Exception& e) {
    throw ConnectionError("cannot connect to " + label + ": " + e.displayText());
  }
}

StreamSocket handshake(StreamSocket plain, const Url& url, const Poco::Net::Context::Ptr& tls,
                       Clock::time_point deadline, const std::string& label, SocketWatch& watch) {
  Published published(watch, plain);
  SigpipeGuard guard;
  try {
    // Poco bounds the handshake by the socket's receive timeout. The host name gives SNI and is
    // what the certificate is checked against.
    plain.setReceiveTimeout(remainingSpan(deadline));
    plain.setSendTimeout(remainingSpan(deadline));
    return Poco::Net::SecureStreamSocket::attach(plain, url.host, tls);
  } catch (const Poco::TimeoutException&) {
    throw TimeoutError("cannot connect to " + label + ": TLS handshake timeout");
  } catch (const Poco::Net::CertificateValidationException& e) {
    throw ConnectionError("TLS handshake with " + label + " failed: the server certificate is " +
                          "not valid for host '" + url.host + "': " + e.displayText());
  } catch (const Poco::Exception& e) {
    const bool untrusted = e.displayText().find("certificate verify failed") != std::string::npos;
    throw ConnectionError(
        "TLS handshake with " + label + " failed" +
        (untrusted ? ": the server certificate is not trusted (check caFile)" : std::string()) +
        ": " + e.displayText());
  }
}

}  // namespace

Poco::Net::Context::Ptr makeTlsContext(const std::string& caFile, bool verify,
                                       const std::string& label) {
  initializeSslOnce();
  Poco::Net::Context::Params params;
  params.caLocation = caFile;
  params.loadDefaultCAs = caFile.empty();
  params.verificationMode =
      verify ? Poco::Net::Context::VERIFY_STRICT : Poco::Net::Context::VERIFY_NONE;
  try {
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    // Without verification the host name check would still reject mismatches: turn it off too.
    if (!verify) context->enableExtendedCertificateVerification(false);
    return context;
  } catch (const Poco::Exception& e) {
    throw ConnectionError("cannot set up TLS for " + label +
                          (caFile.empty() ? "" : " with CA file '" + caFile + "'") + ": " +
                          e.displayText());
  }
}

std::unique_ptr<Transport> Transport::open(const Url& url, const Poco::Net::Context::Ptr& tls,
                                           Clock::time_point deadline, const std::string& label,
                                           SocketWatch& watch) {
  if (url.unix)
    return std::unique_ptr<Transport>(
        new Transport(connectUnix(url, deadline, label, watch), false, label));
  StreamSocket plain = connectTcp(url, deadline, label, watch);
  if (!url.tls) return std::unique_ptr<Transport>(new Transport(plain, false, label));
  return std::unique_ptr<Transport>(
      new Transport(handshake(plain, url, tls, deadline, label, watch), true, label));
}

Transport::Transport(StreamSocket socket, bool tls, std::string label)
    : socket_(std::move(socket)),
      tls_(tls),
      fd_(socket_.impl()->sockfd()),
      label_(std::move(label)) {
  if (tls_) return;
  const timeval slice{0, std::chrono::microseconds(kReceiveSlice).count()};
  if (::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &slice, sizeof slice) != 0)
    throw ConnectionError("cannot set the receive timeout on " + label_ + ": " +
                          std::strerror(errno));
}

void Transport::abort() {
  ::shutdown(fd_, SHUT_RDWR);
}

Transport::~Transport() {
  try {
    // TLS close sends close_notify; the peer may be gone, hence the guard.
    SigpipeGuard guard;
    socket_.close();
  } catch (...) {  // closing a dead connection: nothing to report
  }
}

// Plain sockets: a non-blocking send that waits (poll) only when the socket buffer is full, so
// a command costs no setsockopt for its timeout.
void Transport::sendPlain(const std::string& bytes, Clock::time_point deadline,
                          std::size_t& written) {
  while (written < bytes.size()) {
    const ssize_t sent =
        ::send(fd_, bytes.data() + written, bytes.size() - written, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent > 0) {
      written += static_cast<std::size_t>(sent);
      continue;
    }
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
      throw ConnectionError("cannot send to " + label_ + ": " + std::strerror(errno));
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(remaining(deadline)).count();
    if (left <= 0) throw TimeoutError("timeout sending to " + label_);
    pollfd entry{fd_, POLLOUT, 0};
    const int rc = ::poll(&entry, 1, static_cast<int>(std::min<long long>(left, INT_MAX)));
    if (rc < 0 && errno != EINTR)
      throw ConnectionError("cannot wait for " + label_ + ": " + std::strerror(errno));
  }
}

void Transport::sendAll(const std::string& bytes, Clock::time_point deadline,
                        std::size_t& written) {
  written = 0;
  if (!tls_) {
    sendPlain(bytes, deadline, written);
    return;
  }
  std::optional<SigpipeGuard> guard;
  if (tls_) guard.emplace();
  try {
    while (written < bytes.size()) {
      if (Clock::now() >= deadline) throw Poco::TimeoutException();
      socket_.setSendTimeout(remainingSpan(deadline));
      const auto chunk = static_cast<int>(std::min<std::size_t>(bytes.size() - written, 1 << 30));
      // MSG_NOSIGNAL: a closed peer gives EPIPE, not SIGPIPE (TLS ignores flags: guarded above).
      const int sent = socket_.sendBytes(bytes.data() + written, chunk, tls_ ? 0 : MSG_NOSIGNAL);
      if (sent <= 0) throw Poco::IOException("send returned " + std::to_string(sent));
      written += static_cast<std::size_t>(sent);
    }
  } catch (const Poco::TimeoutException&) {
    throw TimeoutError("timeout sending to " + label_);
  } catch (const Poco::Exception& e) {
    throw ConnectionError("cannot send to " + label_ + ": " + e.displayText());
  }
}

bool Transport::hasBuffered() {
  return tls_ && socket_.available() > 0;
}

void Transport::waitReadable(Clock::time_point deadline) {
  if (hasBuffered()) return;  // already decrypted, the fd may stay quiet
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(remaining(deadline)).count();
    if (left <= 0) throw TimeoutError("timeout waiting for " + label_);
    pollfd entry{fd_, POLLIN, 0};
    const int rc = ::poll(&entry, 1, static_cast<int>(std::min<long long>(left, INT_MAX)));
    if (rc > 0) return;  // data, EOF or error: receive tells which
    if (rc < 0 && errno != EINTR)
      throw ConnectionError("cannot wait for " + label_ + ": " + std::strerror(errno));
  }
}

// Plain sockets: while more than a slice is left, recv blocks by itself (one system call per
// reply instead of poll and recv); the last slice is waited for with poll to keep the deadline.
std::size_t Transport::receivePlain(char* buffer, std::size_t size, Clock::time_point deadline) {
  for (;;) {
    const bool blocking = remaining(deadline) > kReceiveSlice;
    if (!blocking) waitReadable(deadline);
    const ssize_t n = ::recv(fd_, buffer, size, blocking ? 0 : MSG_DONTWAIT);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)
      throw ConnectionError("connection to " + label_ + " lost: " + std::strerror(errno));
  }
}

std::size_t Transport::receiveSome(char* buffer, std::size_t size, Clock::time_point deadline) {
  if (!tls_) return receivePlain(buffer, size, deadline);
  waitReadable(deadline);
  try {
    // A TLS record may arrive in pieces; Poco waits for the rest using the receive timeout.
    socket_.setReceiveTimeout(remainingSpan(deadline));
    const int n =
        socket_.receiveBytes(buffer, static_cast<int>(std::min<std::size_t>(size, INT_MAX)));
    return n > 0 ? static_cast<std::size_t>(n) : 0;
  } catch (const Poco::TimeoutException&) {
    throw TimeoutError("timeout reading from " + label_);
  } catch (const Poco::Exception& e) {
    throw ConnectionError("connection to " + label_ + " lost: " + e.displayText());
  }
}

bool Transport::idleReadable() {
  pollfd entry{fd_, POLLIN, 0};
  const bool readable = ::poll(&entry, 1, 0) > 0;
  if (!tls_) return readable;
  if (!readable && socket_.available() <= 0) return false;
  // TLS 1.3 servers send session tickets after the handshake: the fd is readable but no
  // application data is there. A read with a 1 ms timeout tells them apart (and consumes the
  // tickets). Poco's SecureStreamSocket ignores setBlocking(false) for its inner socket, so a
  // short timeout is the way to get a non-waiting read.
  try {
    socket_.setReceiveTimeout(Poco::Timespan(1000));
    char byte = 0;
    socket_.receiveBytes(&byte, 1);
    return true;  // application data nobody asked for, or EOF (0): stale either way
  } catch (const Poco::TimeoutException&) {
    return false;  // only TLS housekeeping was waiting
  } catch (const Poco::Exception&) {
    return true;
  }
}

}  // namespace warren::redis::detail
