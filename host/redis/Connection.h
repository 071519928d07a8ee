// A blocking Redis connection: hiredis's RESP2 formatter and reply reader over our own socket
// (TCP, unix socket, or TLS through Poco NetSSL, since hiredis 0.14 has no TLS).
//
// Threading: a Connection is used by ONE thread at a time (commands, pipeline, reconnect). The
// only calls allowed from other threads are interrupt() and close(); they shut the socket down so
// a blocked read (BZPOPMIN, a slow reply, a connect or a reconnect backoff) returns at once.
//
// Errors: Redis error replies come back as Reply::isError(), they are not thrown. Transport
// failures throw ConnectionError (TimeoutError, HandshakeError, ProtocolError are subclasses)
// whose message names the redacted URL, never the password. After a ConnectionError the
// connection is "broken": the next call reconnects if autoReconnect is on, otherwise it throws
// until reconnect() is called.
//
// Servers that move (Sentinel, Cluster): with options.locator set, every (re)connect asks the
// locator where to go, and command() and pipeline() follow replies that say a command did not
// run on this server (MOVED, ASK, TRYAGAIN, CLUSTERDOWN, READONLY, LOADING; see Locator.h): they
// reconnect or wait and send those commands again, for up to reconnect.giveUpAfter. send() and
// receive() leave such replies to the caller (redirectOf tells them apart). Without a locator
// nothing of this runs.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <Poco/Net/Context.h>

#include "redis/Errors.h"
#include "redis/Locator.h"
#include "redis/Protocol.h"
#include "redis/Reply.h"
#include "redis/Url.h"

namespace warren::redis {

namespace detail {
class Transport;
}

struct ReconnectPolicy {
  std::chrono::milliseconds baseDelay{100};  // wait after the first failed attempt
  std::chrono::milliseconds maxDelay{5000};  // the doubling stops here
  int maxAttempts = 0;                       // 0: no limit on attempts
  // Give up once this much time has passed since reconnecting began; 0: no limit. With both
  // limits at 0 reconnect() tries until it succeeds or is interrupted.
  std::chrono::milliseconds giveUpAfter{30000};
};

// The wait before attempt `failedAttempts + 1`: baseDelay * 2^(failedAttempts-1), capped at
// maxDelay. reconnect() sleeps a random time between half of this and all of it, so workers that
// lost the server together do not come back in lockstep.
std::chrono::milliseconds backoffDelay(const ReconnectPolicy& policy, int failedAttempts);

struct ConnectionOptions {
  std::chrono::milliseconds connectTimeout{10000};  // TCP connect + TLS handshake + AUTH/SELECT
  std::chrono::milliseconds commandTimeout{5000};   // per reply; blocking commands pass their own
  std::string clientName;                           // CLIENT SETNAME after every (re)connect
  std::string caFile;                               // rediss://: PEM CA bundle; empty = system CAs
  bool verify = true;                               // rediss://: check certificate and host name
  // Reconnect on the next call after a failure, and retry a command once if the connection was
  // found dead before any of it was sent. A command whose reply was lost is never re-sent.
  bool autoReconnect = false;
  ReconnectPolicy reconnect;
  // Run scripts that come with a function library as Redis functions (FUNCTION LOAD, FCALL) when
  // the server has them (7.0+); false, or an older server: EVALSHA only.
  bool useFunctions = true;
  // Where to connect when the server can change (Sentinel, Cluster); empty: always the URL.
  std::shared_ptr<Locator> locator;
};

// How the server behind a connection runs scripts: found out once per (re)connect (Script.h).
enum class ScriptMode { unknown, functions, eval };

class Connection {
 public:
  // Connects, then AUTH / SELECT / CLIENT SETNAME as the URL and options ask.
  // Throws ConnectionError (HandshakeError if the server refused one of those commands).
  explicit Connection(Url url, ConnectionOptions options = {});
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // One command, waiting up to options.commandTimeout for the reply.
  Reply command(const std::vector<std::string>& argv);
  // For blocking commands (BZPOPMIN, BLMOVE, ...): pass the block time plus a margin.
  Reply command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout);

  // Sends all commands in one write, then reads one reply per command, in order. Each reply is
  // awaited up to the command timeout. Errors of single commands are in their replies.
  std::vector<Reply> pipeline(const std::vector<std::vector<std::string>>& commands);
  std::vector<Reply> pipeline(const std::vector<std::vector<std::string>>& commands,
                              std::chrono::milliseconds timeout);

  // Pipelining ahead: send() writes commands and returns at once; receive() later reads the
  // next `count` of their replies, in order. While replies are pending only send(), receive()
  // and awaitReply() may be used (command() and pipeline() throw std::logic_error). A transport
  // error drops every pending reply (the commands may have run; they are not re-sent).
  void send(const std::vector<std::vector<std::string>>& commands);
  std::vector<Reply> receive(std::size_t count);
  std::size_t pending() const { return pending_; }
  // Waits up to `timeout` until a pending reply has (started to) come in, or `wakeFd` (e.g. an
  // eventfd) is readable. True when a reply has (on TLS also when decrypted bytes wait in the
  // TLS layer, which poll cannot see).
  bool awaitReply(std::chrono::milliseconds timeout, int wakeFd);

  // Drops the current socket and connects again with backoff (options.reconnect), re-applying
  // AUTH, SELECT and CLIENT SETNAME. Also reopens a connection after close(). Throws
  // ConnectionError when the policy gives up, HandshakeError at once (retrying cannot help).
  void reconnect();

  // Any thread. Makes the command in progress, or else the next call, throw ConnectionError
  // ("interrupted"). The socket is shut down, so a later call reconnects (autoReconnect) or
  // throws until reconnect().
  void interrupt();
  // Any thread. Shuts the socket down; every later call throws until reconnect(). The descriptor
  // is released now if the owner is idle, else when its current call returns.
  void close();

  // Any thread, called by the locator: the master is now at `address` ("host:port"). A socket to
  // another server is shut down (the call on it fails as a lost connection) and a reconnect
  // backoff ends at once.
  void serverChanged(const std::string& address);

  // Pub/sub (after SUBSCRIBE): the next message, or nullopt when none came within `timeout`.
  // Throws ConnectionError when the connection is lost, interrupted or closed.
  std::optional<Reply> nextPush(std::chrono::milliseconds timeout);

  // False once a transport error was seen (until a successful reconnect) or after close().
  bool healthy() const;
  const Url& url() const { return url_; }
  // Owner thread only: the server connected to (the URL's, or the one the locator named).
  const Url& server() const { return server_; }
  const ConnectionOptions& options() const { return options_; }
  // Successful reconnects so far (not counting the first connect).
  std::uint64_t reconnects() const { return reconnects_.load(); }

  // Owner thread only. Starts as `unknown` after every (re)connect: the server may have changed.
  ScriptMode scriptMode() const { return scriptMode_; }
  void setScriptMode(ScriptMode mode) { scriptMode_ = mode; }

 private:
  class Watch;
  class Operation;
  enum class Stop { None, Interrupted, Closed };

  std::vector<Reply> roundTrip(const std::string& payload, std::size_t count,
                               std::chrono::milliseconds timeout);
  std::vector<Reply> routed(std::vector<std::vector<std::string>> commands,
                            std::chrono::milliseconds timeout);
  bool follow(const Redirect& redirect, const std::vector<std::string>& argv,
              std::chrono::milliseconds timeout, Reply& answer);
  Reply askAt(const std::string& address, const std::vector<std::string>& argv,
              std::chrono::milliseconds timeout);
  std::vector<Reply> readReplies(std::size_t count, std::chrono::milliseconds timeout);
  void ensureUsable();
  void reconnectWithBackoff();
  void connectOnce();
  void applySettings(std::chrono::steady_clock::time_point deadline);
  void install(std::unique_ptr<detail::Transport> transport);
  void dropTransport();
  void markBroken(const std::string& why);
  [[noreturn]] void throwStopped(Stop stop, const std::string& during);
  Stop takeStop();
  bool sleepUnlessStopped(std::chrono::milliseconds delay);
  Reply readReply(std::chrono::steady_clock::time_point deadline);

  const Url url_;
  const ConnectionOptions options_;
  Locator* const locator_;              // options_.locator, or null
  Url server_;                          // where the socket goes: url_, or what the locator named
  std::string label_;                   // redacted server_ for messages
  std::unique_ptr<Connection> asking_;  // to the node of the last ASK redirection
  Poco::Net::Context::Ptr tls_;
  ReplyReader reader_;
  std::vector<char> buffer_;

  // Owned by the thread using the connection; swapped under mutex_ so close() sees it consistently.
  std::unique_ptr<detail::Transport> transport_;
  bool broken_ = true;
  std::string lastError_;
  ScriptMode scriptMode_ = ScriptMode::unknown;
  std::size_t pending_ = 0;  // replies sent ahead and not yet received
  std::deque<Reply> early_;  // replies decoded by awaitReply, not yet received
  std::chrono::steady_clock::time_point lastReplyAt_;  // when the last command's replies were read

  // Shared with interrupt()/close() callers.
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  int fd_ = -1;               // socket to shut down on interrupt/close; -1 when none
  bool busy_ = false;         // the owner is inside a call
  bool closed_ = false;       // close() called, until reconnect()
  bool interrupted_ = false;  // interrupt() called, not yet reported
  bool rerouted_ = false;     // serverChanged() called: a backoff sleep ends early
  std::string socketAt_;      // server_.endpoint() of the socket in fd_ (or being connected)
  std::unique_ptr<Watch> watch_;
  std::atomic<std::uint64_t> reconnects_{0};
};

}  // namespace warren::redis
