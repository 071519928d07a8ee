// Byte transport under a Connection: plain TCP, unix socket or TLS, all as a Poco StreamSocket
// (SecureStreamSocket for TLS). Internal to the redis library; callers use Connection.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include <Poco/Net/Context.h>
#include <Poco/Net/StreamSocket.h>

#include "redis/Url.h"

namespace warren::redis::detail {

using Clock = std::chrono::steady_clock;

// Lets another thread see the descriptor of a socket being connected, so it can shut it down
// (interrupt a connect). retract() is always called before that socket is closed.
class SocketWatch {
 public:
  virtual void publish(int fd) = 0;
  virtual void retract() = 0;

 protected:
  ~SocketWatch() = default;
};

// TLS client settings shared by all reconnects of one Connection (loading CAs is not free).
Poco::Net::Context::Ptr makeTlsContext(const std::string& caFile, bool verify,
                                       const std::string& label);

class Transport {
 public:
  // Connects (and does the TLS handshake when `tls` is set) before `deadline`. `label` is the
  // redacted URL used in messages. Throws ConnectionError / TimeoutError.
  static std::unique_ptr<Transport> open(const Url& url, const Poco::Net::Context::Ptr& tls,
                                         Clock::time_point deadline, const std::string& label,
                                         SocketWatch& watch);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Writes all of `bytes`. `written` counts bytes handed to the kernel, also when this throws,
  // so the caller knows whether the server can have seen any of them.
  void sendAll(const std::string& bytes, Clock::time_point deadline, std::size_t& written);

  // Waits for bytes and reads some; 0 means the peer closed the connection.
  std::size_t receiveSome(char* buffer, std::size_t size, Clock::time_point deadline);

  // True when the socket is readable while no reply is expected: in RESP2 outside pub/sub the
  // server sends nothing unasked, so this means it closed the connection (restart, CLIENT KILL,
  // idle timeout) or the stream is out of step. Either way the connection is stale.
  bool idleReadable();

  // Makes the socket unusable at once, so closing it later does not wait on a dead peer.
  void abort();

  int fd() const { return fd_; }
  // Decrypted bytes wait in the TLS layer, where poll on fd() cannot see them.
  bool hasBuffered();

 private:
  void sendPlain(const std::string& bytes, Clock::time_point deadline, std::size_t& written);
  std::size_t receivePlain(char* buffer, std::size_t size, Clock::time_point deadline);
  Transport(Poco::Net::StreamSocket socket, bool tls, std::string label);
  void waitReadable(Clock::time_point deadline);

  Poco::Net::StreamSocket socket_;
  bool tls_;
  int fd_;
  std::string label_;
};

}  // namespace warren::redis::detail
