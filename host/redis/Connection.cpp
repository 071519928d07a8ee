#include "redis/Connection.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <random>
#include <stdexcept>

#include "redis/Stats.h"
#include "redis/Topology.h"
#include "redis/Transport.h"

namespace warren::redis {

using detail::Clock;
using std::chrono::milliseconds;

namespace {

// A connection whose last reply is more recent than this skips the idle check before sending.
constexpr milliseconds kBusyWithin{1};

// With a locator (Sentinel, Cluster) reconnect attempts are at most this far apart: each asks
// where the master is now, which changes at a failover, so a long backoff only delays the move.
constexpr milliseconds kLocatedRetryMax{250};

std::string millis(milliseconds span) {
  return std::to_string(span.count()) + " ms";
}

// Spread the waits of many workers that lost the same server: uniform in [delay/2, delay].
milliseconds jittered(milliseconds delay) {
  thread_local std::minstd_rand random{std::random_device{}()};
  if (delay.count() < 2) return delay;
  std::uniform_int_distribution<long long> pick(delay.count() / 2, delay.count());
  return milliseconds(pick(random));
}

// Waits between attempts of a command that met TRYAGAIN, CLUSTERDOWN or LOADING: short at
// first (a migration batch takes milliseconds), then at most half a second.
milliseconds retryWait(int waits) {
  milliseconds delay{10};
  for (int i = 0; i < waits && delay < milliseconds(500); ++i) delay *= 2;
  return std::min(delay, milliseconds(500));
}

std::vector<std::vector<std::string>> settingsCommands(const Url& url, const std::string& name) {
  std::vector<std::vector<std::string>> commands;
  if (!url.user.empty()) commands.push_back({"AUTH", url.user, url.password});
  if (url.user.empty() && !url.password.empty()) commands.push_back({"AUTH", url.password});
  if (url.db != 0) commands.push_back({"SELECT", std::to_string(url.db)});
  if (!name.empty()) commands.push_back({"CLIENT", "SETNAME", name});
  return commands;
}

// A refused AUTH/SELECT/SETNAME is a configuration problem, except while the server is still
// loading its data set: that passes, so it is an ordinary (retryable) ConnectionError.
[[noreturn]] void settingRefused(const std::vector<std::string>& command, const Reply& reply,
                                 const std::string& label) {
  if (reply.isError("LOADING") || reply.isError("BUSY"))
    throw ConnectionError("Redis at " + label + " is not ready: " + reply.str());
  if (command[0] == "AUTH")
    throw HandshakeError("Redis authentication failed for " + label + ": " + reply.str());
  if (command[0] == "ROLE")
    throw HandshakeError("cannot check that " + label + " is the master: ROLE refused: " +
                         reply.str() + " (allow +role for this user)");
  if (command[0] == "SELECT")
    throw HandshakeError("cannot select database " + command[1] + " on " + label + ": " +
                         reply.str());
  throw HandshakeError("cannot set client name '" + command[2] + "' on " + label + ": " +
                       reply.str());
}

}  // namespace

milliseconds backoffDelay(const ReconnectPolicy& policy, int failedAttempts) {
  if (failedAttempts < 1) return milliseconds(0);
  milliseconds delay = policy.baseDelay;
  for (int i = 1; i < failedAttempts && delay < policy.maxDelay; ++i) delay *= 2;
  return std::min(delay, policy.maxDelay);
}

// Lets interrupt()/close() reach a socket that is still being connected.
class Connection::Watch final : public detail::SocketWatch {
 public:
  explicit Watch(Connection& owner) : owner_(owner) {}
  void publish(int fd) override {
    std::lock_guard lock(owner_.mutex_);
    owner_.fd_ = fd;
    if (owner_.closed_ || owner_.interrupted_) ::shutdown(fd, SHUT_RDWR);
  }
  void retract() override {
    std::lock_guard lock(owner_.mutex_);
    owner_.fd_ = -1;
  }

 private:
  Connection& owner_;
};

// Marks the owner as inside a call, so that close() from another thread leaves the transport to
// the owner, which releases it here when the call ends.
class Connection::Operation {
 public:
  explicit Operation(Connection& owner) : owner_(owner) {
    std::lock_guard lock(owner_.mutex_);
    owner_.busy_ = true;
  }
  ~Operation() {
    std::unique_ptr<detail::Transport> released;
    std::lock_guard lock(owner_.mutex_);
    owner_.busy_ = false;
    if (!owner_.closed_) return;
    owner_.fd_ = -1;
    owner_.broken_ = true;
    released = std::move(owner_.transport_);
  }
  Operation(const Operation&) = delete;
  Operation& operator=(const Operation&) = delete;

 private:
  Connection& owner_;
};

Connection::Connection(Url url, ConnectionOptions options)
    : url_(std::move(url)),
      options_(std::move(options)),
      locator_(options_.locator.get()),
      server_(url_),
      label_(url_.redacted()),
      buffer_(64 * 1024),
      watch_(std::make_unique<Watch>(*this)) {
  if (locator_) locator_->attach(*this);
  try {
    Operation operation(*this);
    connectOnce();
  } catch (...) {
    if (locator_) locator_->detach(*this);
    throw;
  }
}

Connection::~Connection() {
  if (locator_) locator_->detach(*this);
  std::unique_ptr<detail::Transport> released;
  {
    std::lock_guard lock(mutex_);
    fd_ = -1;
    released = std::move(transport_);
  }
  // `released` closes gracefully here (TLS close_notify) unless it was aborted already.
}

Reply Connection::command(const std::vector<std::string>& argv) {
  return command(argv, options_.commandTimeout);
}

Reply Connection::command(const std::vector<std::string>& argv, milliseconds timeout) {
  if (locator_) return routed({argv}, timeout).front();
  const std::string payload = encodeCommand(argv);  // bad argv throws before any I/O
  Operation operation(*this);
  return roundTrip(payload, 1, timeout).front();
}

std::vector<Reply> Connection::pipeline(const std::vector<std::vector<std::string>>& commands) {
  return pipeline(commands, options_.commandTimeout);
}

std::vector<Reply> Connection::pipeline(const std::vector<std::vector<std::string>>& commands,
                                        milliseconds timeout) {
  if (commands.empty()) return {};
  if (locator_) return routed(commands, timeout);
  std::string payload;
  for (const auto& argv : commands) payload += encodeCommand(argv);
  Operation operation(*this);
  return roundTrip(payload, commands.size(), timeout);
}

// Commands whose replies say they did not run here are sent again where they belong (or after a
// wait), on their own: the others' replies stand. Up to reconnect.giveUpAfter (30 s when 0);
// then the last reply is returned as it is.
std::vector<Reply> Connection::routed(std::vector<std::vector<std::string>> commands,
                                      milliseconds timeout) {
  for (auto& argv : commands) locator_->guard(argv);
  const milliseconds budget = options_.reconnect.giveUpAfter.count() > 0
                                  ? options_.reconnect.giveUpAfter
                                  : milliseconds(30000);
  const auto deadline = Clock::now() + budget;
  std::vector<Reply> replies(commands.size());
  std::vector<std::size_t> todo(commands.size());
  for (std::size_t i = 0; i < todo.size(); ++i) todo[i] = i;
  Operation operation(*this);
  for (int waits = 0;;) {
    std::string payload;
    for (const std::size_t i : todo) payload += encodeCommand(commands[i]);
    std::vector<Reply> answers = roundTrip(payload, todo.size(), timeout);
    std::vector<std::size_t> again;
    bool wait = false;
    for (std::size_t k = 0; k < todo.size(); ++k) {
      const Redirect redirect = redirectOf(answers[k]);
      if (redirect && Clock::now() < deadline &&
          follow(redirect, commands[todo[k]], timeout, answers[k])) {
        again.push_back(todo[k]);
        wait = wait || redirect.kind != Redirect::Kind::moved;
        continue;
      }
      replies[todo[k]] = std::move(answers[k]);
    }
    if (again.empty()) return replies;
    if (wait && !sleepUnlessStopped(retryWait(waits++)))
      throwStopped(takeStop(), "waiting to send a command again");
    if (broken_ || !transport_) reconnectWithBackoff();
    todo = std::move(again);
  }
}

// Acts on a redirection of `argv`. True when the command is to be sent again; false when
// `answer` holds its final reply (an ASK answered by the importing node).
bool Connection::follow(const Redirect& redirect, const std::vector<std::string>& argv,
                        milliseconds timeout, Reply& answer) {
  if (!locator_->redirected(redirect, server_)) return false;
  switch (redirect.kind) {
    case Redirect::Kind::moved:
      ++stats().moved;
      markBroken("the slot moved (" + answer.str() + ")");
      return true;
    case Redirect::Kind::replica:
      locator_->failed(server_);
      markBroken(label_ + " is no longer the master (" + answer.str() + ")");
      return true;
    case Redirect::Kind::ask: {
      ++stats().asked;
      Reply asked = askAt(redirect.address, argv, timeout);
      if (redirectOf(asked)) return true;  // TRYAGAIN there: the keys are still split
      answer = std::move(asked);
      return false;
    }
    default:
      return true;  // TRYAGAIN, CLUSTERDOWN, LOADING: the same server, a moment later
  }
}

// ASKING and the command on the node importing the slot, over a connection kept for the next
// ASK. A failure there counts as TRYAGAIN: the command goes to the owner again.
Reply Connection::askAt(const std::string& address, const std::vector<std::string>& argv,
                        milliseconds timeout) {
  Url target = server_;
  try {
    const Address parsed =
        Address::parse(address.rfind(':', 0) == 0 ? server_.host + address : address, server_.port);
    target.host = parsed.host;
    target.port = parsed.port;
  } catch (const std::invalid_argument&) {
    return Reply::error("TRYAGAIN unreadable ASK address '" + address + "'");
  }
  try {
    if (!asking_ || asking_->url().endpoint() != target.endpoint()) {
      ConnectionOptions options = options_;
      options.locator.reset();
      options.clientName.clear();
      options.autoReconnect = true;
      asking_.reset();
      asking_ = std::make_unique<Connection>(target, options);
    }
    return asking_->pipeline({{"ASKING"}, argv}, timeout).back();
  } catch (const ConnectionError& e) {
    asking_.reset();
    return Reply::error(std::string("TRYAGAIN ") + e.what());
  }
}

void Connection::send(const std::vector<std::vector<std::string>>& commands) {
  if (commands.empty()) return;
  std::string payload;
  if (locator_) {
    for (auto argv : commands) {
      locator_->guard(argv);
      payload += encodeCommand(argv);
    }
  } else {
    for (const auto& argv : commands) payload += encodeCommand(argv);
  }
  Operation operation(*this);
  if (pending_ == 0) ensureUsable();
  std::size_t written = 0;
  try {
    transport_->sendAll(payload, Clock::now() + options_.commandTimeout, written);
  } catch (const ConnectionError& e) {
    const bool lostReplies = pending_ > 0;
    pending_ = 0;
    markBroken(e.what());
    if (const Stop stop = takeStop(); stop != Stop::None) throwStopped(stop, "sending");
    if (written == 0 && !lostReplies) throw;
    throw ConnectionError(std::string(e.what()) +
                          " (commands sent earlier or part of these may have run; they are not "
                          "re-sent)");
  }
  pending_ += commands.size();
}

std::vector<Reply> Connection::receive(std::size_t count) {
  if (count > pending_) throw std::logic_error("Connection::receive: more replies than were sent");
  Operation operation(*this);
  pending_ -= count;
  try {
    return readReplies(count, options_.commandTimeout);
  } catch (...) {
    pending_ = 0;  // the stream is gone
    throw;
  }
}

bool Connection::awaitReply(milliseconds timeout, int wakeFd) {
  if (pending_ == 0 || !early_.empty() || !transport_ || transport_->hasBuffered()) return true;
  if (auto reply = reader_.next()) {  // already here with the previous read
    early_.push_back(std::move(*reply));
    return true;
  }
  pollfd entries[2] = {{transport_->fd(), POLLIN, 0}, {wakeFd, POLLIN, 0}};
  const int rc = ::poll(entries, wakeFd >= 0 ? 2 : 1, static_cast<int>(timeout.count()));
  return rc > 0 && entries[0].revents != 0;
}

// The only retry: the connection was found dead before a single byte of the request left, so
// the server cannot have run it. Once bytes are out, a lost reply is reported, never re-sent.
std::vector<Reply> Connection::roundTrip(const std::string& payload, std::size_t count,
                                         milliseconds timeout) {
  if (pending_ > 0)
    throw std::logic_error("a command was sent while " + std::to_string(pending_) +
                           " replies sent ahead are still pending");
  for (int attempt = 0;; ++attempt) {
    ensureUsable();
    std::size_t written = 0;
    try {
      transport_->sendAll(payload, Clock::now() + timeout, written);
    } catch (const ConnectionError& e) {
      markBroken(e.what());
      if (const Stop stop = takeStop(); stop != Stop::None) throwStopped(stop, "sending");
      if (written == 0 && options_.autoReconnect && attempt == 0) continue;
      if (written == 0) throw;
      throw ConnectionError(std::string(e.what()) +
                            " (part of the request was sent; it is not re-sent)");
    }
    return readReplies(count, timeout);
  }
}

std::vector<Reply> Connection::readReplies(std::size_t count, milliseconds timeout) {
  std::vector<Reply> replies;
  replies.reserve(count);
  try {
    while (replies.size() < count) replies.push_back(readReply(Clock::now() + timeout));
    lastReplyAt_ = Clock::now();
    return replies;
  } catch (const ConnectionError& e) {
    markBroken(e.what());
    if (const Stop stop = takeStop(); stop != Stop::None) throwStopped(stop, "waiting for a reply");
    if (dynamic_cast<const TimeoutError*>(&e) != nullptr)
      throw TimeoutError("Redis command timeout: no reply from " + label_ + " within " +
                         millis(timeout) + "; the connection was dropped");
    if (dynamic_cast<const ProtocolError*>(&e) != nullptr)
      throw ProtocolError(std::string(e.what()) + " (from " + label_ + ")");
    throw ConnectionError(std::string(e.what()) +
                          " (the reply was lost; the command may have run, it is not re-sent)");
  }
}

Reply Connection::readReply(Clock::time_point deadline) {
  if (!early_.empty()) {
    Reply reply = std::move(early_.front());
    early_.pop_front();
    return reply;
  }
  for (;;) {
    if (auto reply = reader_.next()) return std::move(*reply);
    const std::size_t n = transport_->receiveSome(buffer_.data(), buffer_.size(), deadline);
    if (n == 0) throw ConnectionError("connection to " + label_ + " closed by the server");
    reader_.feed(buffer_.data(), n);
  }
}

void Connection::ensureUsable() {
  if (const Stop stop = takeStop(); stop != Stop::None) throwStopped(stop, "starting a command");
  if (broken_ || !transport_) {
    if (!options_.autoReconnect)
      throw ConnectionError("connection to " + label_ + " is not usable after an earlier error (" +
                            lastError_ + "); call reconnect() or enable autoReconnect");
    reconnectWithBackoff();
    return;
  }
  // A server restart or CLIENT KILL while we were idle: reconnect before sending anything. A
  // connection that answered within the last millisecond was not idle, and the check costs a
  // system call per command on busy connections.
  if (options_.autoReconnect && Clock::now() - lastReplyAt_ >= kBusyWithin &&
      transport_->idleReadable()) {
    markBroken("the server closed the idle connection");
    reconnectWithBackoff();
  }
}

void Connection::reconnect() {
  Operation operation(*this);
  {
    std::lock_guard lock(mutex_);
    closed_ = false;
  }
  reconnectWithBackoff();
}

void Connection::reconnectWithBackoff() {
  dropTransport();
  // The server may have gone for good (a failover): the locator looks again.
  if (locator_) locator_->failed(server_);
  const auto& policy = options_.reconnect;
  const auto started = Clock::now();
  for (int attempt = 1;; ++attempt) {
    if (const Stop stop = takeStop(); stop != Stop::None) throwStopped(stop, "reconnecting");
    try {
      connectOnce();
      ++reconnects_;
      ++stats().reconnects;
      return;
    } catch (const HandshakeError&) {
      throw;  // wrong password or db: waiting will not fix it
    } catch (const ConnectionError& e) {
      lastError_ = e.what();
      if (locator_) locator_->failed(server_);
    }
    const std::string tries = std::to_string(attempt) + (attempt == 1 ? " attempt" : " attempts");
    if (policy.maxAttempts > 0 && attempt >= policy.maxAttempts)
      throw ConnectionError("could not reconnect to " + label_ + " after " + tries + ": " +
                            lastError_);
    milliseconds delay = jittered(backoffDelay(policy, attempt));
    // A server that moves (failover) is back within seconds, somewhere else: look often.
    if (locator_) delay = std::min(delay, jittered(kLocatedRetryMax));
    if (policy.giveUpAfter.count() > 0 && Clock::now() + delay - started > policy.giveUpAfter)
      throw ConnectionError("could not reconnect to " + label_ + " within " +
                            millis(policy.giveUpAfter) + " (" + tries + "): " + lastError_);
    if (!sleepUnlessStopped(delay)) throwStopped(takeStop(), "reconnecting");
  }
}

void Connection::connectOnce() {
  if (url_.tls && !tls_) tls_ = detail::makeTlsContext(options_.caFile, options_.verify, label_);
  const auto deadline = Clock::now() + options_.connectTimeout;
  if (locator_) {
    server_ = locator_->locate(url_);
    label_ = server_.redacted();
  }
  {
    std::lock_guard lock(mutex_);
    socketAt_ = server_.endpoint();
  }
  install(detail::Transport::open(server_, tls_, deadline, label_, *watch_));
  try {
    applySettings(deadline);
  } catch (const ConnectionError& e) {
    markBroken(e.what());
    if (const Stop stop = takeStop(); stop != Stop::None) throwStopped(stop, "connecting");
    throw;
  }
}

// AUTH, SELECT and CLIENT SETNAME (and the locator's checks) in one round trip, within the
// connect timeout.
void Connection::applySettings(Clock::time_point deadline) {
  auto commands = settingsCommands(server_, options_.clientName);
  const std::size_t own = commands.size();
  if (locator_) {
    for (auto& check : locator_->checks()) commands.push_back(std::move(check));
  }
  if (commands.empty()) return;
  std::string payload;
  for (const auto& argv : commands) payload += encodeCommand(argv);
  std::size_t written = 0;
  std::vector<Reply> replies;
  try {
    transport_->sendAll(payload, deadline, written);
    for (std::size_t i = 0; i < commands.size(); ++i) replies.push_back(readReply(deadline));
  } catch (const TimeoutError&) {
    throw TimeoutError("cannot connect to " + label_ + ": no answer to " + commands[0][0] +
                       " within the connect timeout (" + millis(options_.connectTimeout) + ")");
  }
  for (std::size_t i = 0; i < commands.size(); ++i)
    if (replies[i].isError()) settingRefused(commands[i], replies[i], label_);
  if (own < commands.size())
    locator_->verify(
        std::vector<Reply>(replies.begin() + static_cast<std::ptrdiff_t>(own), replies.end()),
        label_);
}

void Connection::install(std::unique_ptr<detail::Transport> transport) {
  reader_.reset();    // bytes of an old connection must not leak into the new one
  lastReplyAt_ = {};  // the first command checks the new connection
  early_.clear();
  pending_ = 0;
  scriptMode_ = options_.useFunctions ? ScriptMode::unknown : ScriptMode::eval;
  {
    std::lock_guard lock(mutex_);
    if (!closed_ && !interrupted_) {
      fd_ = transport->fd();
      transport_ = std::move(transport);
      broken_ = false;
      rerouted_ = false;
      return;
    }
  }
  transport->abort();
  throwStopped(takeStop(), "connecting");
}

void Connection::dropTransport() {
  std::unique_ptr<detail::Transport> old;
  {
    std::lock_guard lock(mutex_);
    fd_ = -1;
    broken_ = true;
    old = std::move(transport_);
  }
  if (old) old->abort();  // a broken or replaced connection: no graceful TLS goodbye
}

void Connection::markBroken(const std::string& why) {
  lastError_ = why;
  pending_ = 0;  // replies sent ahead are lost with the stream
  early_.clear();
  dropTransport();
}

Connection::Stop Connection::takeStop() {
  std::lock_guard lock(mutex_);
  if (closed_) return Stop::Closed;
  if (!interrupted_) return Stop::None;
  interrupted_ = false;
  return Stop::Interrupted;
}

void Connection::throwStopped(Stop stop, const std::string& during) {
  if (stop == Stop::Closed) {
    markBroken("closed");
    throw ConnectionError("connection to " + label_ + " is closed");
  }
  markBroken("interrupted");
  throw ConnectionError("Redis connection to " + label_ + " interrupted while " + during);
}

// False when stopped (close, interrupt); a failover announced meanwhile ends the sleep early.
bool Connection::sleepUnlessStopped(milliseconds delay) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, delay, [this] { return closed_ || interrupted_ || rerouted_; });
  rerouted_ = false;
  return !closed_ && !interrupted_;
}

void Connection::serverChanged(const std::string& address) {
  std::lock_guard lock(mutex_);
  rerouted_ = true;
  if (fd_ >= 0 && socketAt_ != address) ::shutdown(fd_, SHUT_RDWR);
  wake_.notify_all();
}

std::optional<Reply> Connection::nextPush(milliseconds timeout) {
  Operation operation(*this);
  if (const Stop stop = takeStop(); stop != Stop::None) throwStopped(stop, "waiting for a message");
  if (broken_ || !transport_)
    throw ConnectionError("connection to " + label_ + " is not usable (" + lastError_ + ")");
  try {
    if (auto reply = reader_.next()) return reply;
    if (!transport_->hasBuffered()) {
      pollfd entry{transport_->fd(), POLLIN, 0};
      if (::poll(&entry, 1, static_cast<int>(timeout.count())) <= 0) {
        if (const Stop stop = takeStop(); stop != Stop::None)
          throwStopped(stop, "waiting for a message");
        return std::nullopt;
      }
    }
    return readReply(Clock::now() + options_.commandTimeout);
  } catch (const ConnectionError& e) {
    markBroken(e.what());
    if (const Stop stop = takeStop(); stop != Stop::None)
      throwStopped(stop, "waiting for a message");
    throw;
  }
}

void Connection::interrupt() {
  std::lock_guard lock(mutex_);
  interrupted_ = true;
  if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);  // wakes a blocked recv/poll/connect in the owner
  wake_.notify_all();
}

void Connection::close() {
  std::unique_ptr<detail::Transport> released;
  std::lock_guard lock(mutex_);
  closed_ = true;
  if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
  wake_.notify_all();
  if (busy_) return;  // the owner releases it when its call returns
  fd_ = -1;
  broken_ = true;
  released = std::move(transport_);
}

bool Connection::healthy() const {
  std::lock_guard lock(mutex_);
  return transport_ != nullptr && !broken_ && !closed_;
}

}  // namespace warren::redis
