// The scripts connection's traffic: the outbox goes out in batches ("flights"), each its progress
// and log lines plus its settlements grouped into finish-script calls. Up to two flights are on
// the wire at once: while Redis runs one, the jobs that the one before fetched run in the pool,
// and their settlements go out as the next. Redis is then not left idle during the worker's part
// of each round trip. Replies come back in order, so flights are handled in the order they left.
#include "log/Log.h"
#include "queue/Scripts.h"
#include "queue/WorkerParts.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>

namespace warren::queue {
namespace {

constexpr std::size_t kFinishGroup = 32;  // jobs per finish-script call at most
constexpr std::size_t kWholeReply = static_cast<std::size_t>(-1);

}  // namespace

// Sends the outbox and handles every reply before returning: for a pool thread settling its own
// job (settleHere), which then runs the successor it fetched.
void Worker::flushOutbox() {
  Flight flight;
  if (takeOutbox(flight)) sendFlight(std::move(flight));
  while (!flights_.empty()) completeFlight();
}

// The io thread: sends batches as they become ready, with a second one on the wire while the
// first is in Redis, until nothing is in flight.
void Worker::pumpFlights() {
  redis::Connection& connection = connections_.scripts();
  runInline();  // jobs left by a failed round
  for (;;) {
    bool ready = false;
    {
      std::lock_guard lock(mutex_);
      ready = flights_.size() < depth_ && sendReady(flights_.empty());
    }
    if (ready) {
      Flight flight;
      if (takeOutbox(flight)) sendFlight(std::move(flight));
      continue;
    }
    if (flights_.empty()) return;
    const bool overdue =
        Clock::now() >= flights_.front().sentAt + connection.options().commandTimeout;
    if (flights_.size() < depth_ && !overdue && !awaitReplyOrWork(connection)) continue;
    completeFlight();
  }
}

// Whether the outbox should leave now (requires mutex_). With nothing on the wire, half of a
// batch goes as soon as it has settled: the other half follows while Redis runs the first, and
// from then on the two halves take turns. With a flight out, the rest of the batch goes once
// every running job has settled. Either way no later than kSettleLinger.
bool Worker::sendReady(bool nothingInFlight) const {
  if (outbox_.empty()) return false;
  if (stopping_ || Clock::now() >= outboxSince_ + kSettleLinger) return true;
  const std::uint32_t running = slotsUsed_ - reservedInFlight_;
  if (running == 0) return true;
  return nothingInFlight && depth_ > 1 && outbox_.size() >= running;
}

// Waits for the oldest flight's reply, or for new outbox work. True when the reply has come, or
// when no job runs that could add work: the caller then reads the reply (no poll, no eventfd).
bool Worker::awaitReplyOrWork(redis::Connection& connection) {
  auto timeout = connection.options().commandTimeout;
  {
    std::lock_guard lock(mutex_);
    if (sendReady(false)) return false;
    if (outbox_.empty() && slotsUsed_ == reservedInFlight_) return true;
    if (!outbox_.empty()) {
      const auto left = outboxSince_ + kSettleLinger - Clock::now();
      timeout = std::max(std::chrono::milliseconds(1),
                         std::chrono::ceil<std::chrono::milliseconds>(left));
    }
    ioPolling_ = wakeFd_ >= 0;
  }
  const bool replied = connection.awaitReply(timeout, wakeFd_);
  {
    std::lock_guard lock(mutex_);
    ioPolling_ = false;
  }
  std::uint64_t signals = 0;
  if (wakeFd_ >= 0) (void)!::read(wakeFd_, &signals, sizeof signals);  // reset; nonblocking
  return replied;
}

// Pool threads: new outbox work for an io thread that waits on a reply (requires mutex_ held
// when ioPolling_ was read; the write itself needs no lock).
void Worker::wakeIoPoll() {
  const std::uint64_t one = 1;
  (void)!::write(wakeFd_, &one, sizeof one);
}

// Takes the whole outbox into `flight` and builds its script calls; false when it was empty.
bool Worker::takeOutbox(Flight& flight) {
  std::uint32_t allowance = 0;
  {
    std::lock_guard lock(mutex_);
    flight.batch.swap(outbox_);
    if (flight.batch.empty()) return false;
    if (fetching_ && !stopping_ && limitUntilMs_ <= nowMs() && slotsUsed_ < concurrency_) {
      allowance = concurrency_ - slotsUsed_;
    }
  }
  const std::string now = std::to_string(nowMs());
  for (const auto& command : flight.batch) {
    const bool canFetch = allowance > 0 && command.kind == Command::Kind::finish;
    flight.tokens.push_back(canFetch ? nextToken() : std::string());
    flight.calls.push_back(settle(command, canFetch, flight.tokens.back(), now));
    if (flight.calls.back().fetchNext) {
      --allowance;
      ++flight.reserved;
    }
  }
  {
    std::lock_guard lock(mutex_);
    slotsUsed_ += flight.reserved;
    reservedInFlight_ += flight.reserved;
  }
  groupSettlements(flight, now);
  return true;
}

// Finishes travel together, up to kFinishGroup jobs per call of the finish script, each call
// placed where the last of its jobs stood: every command queued before a job's finish (its
// progress, its logs) still runs before it, and Redis is never held by one call for long.
void Worker::groupSettlements(Flight& flight, const std::string& now) const {
  const auto& calls = flight.calls;
  auto finishesLeft = std::count_if(
      calls.begin(), calls.end(), [](const Settlement& c) { return c.script == ScriptId::finish; });
  std::vector<std::size_t> waiting;  // calls in the group being built
  Settlement group;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    if (calls[i].script != ScriptId::finish) {
      flight.where.emplace_back(flight.wire.size(), kWholeReply);
      flight.wire.push_back(calls[i]);
      continue;
    }
    if (waiting.empty()) {
      group.script = ScriptId::finish;
      group.args = finishHead(now);
    }
    group.args.insert(group.args.end(), calls[i].args.begin(), calls[i].args.end());
    flight.where.emplace_back(0, waiting.size());  // wire index set when the group is sent
    waiting.push_back(i);
    --finishesLeft;
    if (waiting.size() == kFinishGroup || finishesLeft == 0) {
      for (const std::size_t member : waiting) flight.where[member].first = flight.wire.size();
      flight.wire.push_back(std::move(group));
      waiting.clear();
    }
  }
}

void Worker::sendFlight(Flight flight) {
  redis::Connection& connection = connections_.scripts();
  flights_.push_back(std::move(flight));  // from here on a failure requeues it with the others
  try {
    Flight& next = flights_.back();
    // Finding out how the server runs scripts, and loading one, are commands of their own:
    // the replies still on the wire come first.
    const bool loadsNeeded =
        connection.scriptMode() != redis::ScriptMode::functions &&
        std::any_of(next.wire.begin(), next.wire.end(), [&](const Settlement& call) {
          return !scriptsLoaded_.test(static_cast<std::size_t>(call.script));
        });
    if (connection.scriptMode() == redis::ScriptMode::unknown || loadsNeeded) receiveFlights();
    const redis::ScriptMode mode = prepareScripts(connection, next.wire);
    const std::vector<std::string> keys = {keys_.key("meta")};
    std::vector<std::vector<std::string>> commands;
    commands.reserve(next.wire.size());
    for (const auto& call : next.wire)
      commands.push_back(script(call.script).argv(mode, keys, call.args));
    connection.send(commands);
    next.sent = true;
    next.sentAt = Clock::now();
  } catch (...) {
    requeueFlights(flights_);
    throw;
  }
}

// How the server runs the scripts of `calls`, loading those it may not know (EVALSHA mode only:
// all scripts share one function library, and preparing one prepares them all).
redis::ScriptMode Worker::prepareScripts(redis::Connection& connection,
                                         const std::vector<Settlement>& calls) {
  const redis::ScriptMode mode = script(ScriptId::finish).prepare(connection);
  if (mode != redis::ScriptMode::eval) return mode;
  for (const auto& call : calls) {
    const auto id = static_cast<std::size_t>(call.script);
    if (scriptsLoaded_.test(id)) continue;
    script(call.script).load(connection);
    scriptsLoaded_.set(id);
  }
  return mode;
}

// Reads the replies of every flight still waiting for them, without handling them: for a
// command that must run on its own next.
void Worker::receiveFlights() {
  redis::Connection& connection = connections_.scripts();
  try {
    for (auto& flight : flights_) {
      if (flight.received || !flight.sent) continue;
      flight.replies = connection.receive(flight.wire.size());
      flight.received = true;
    }
  } catch (...) {
    requeueFlights(flights_);
    throw;
  }
}

// Handles the oldest flight: its replies, then each command's outcome.
void Worker::completeFlight() {
  redis::Connection& connection = connections_.scripts();
  try {
    Flight& oldest = flights_.front();
    if (!oldest.received) {
      oldest.replies = connection.receive(oldest.wire.size());
      oldest.received = true;
    }
    retryMissing(oldest.wire, oldest.replies);
    retryRedirected(oldest.wire, oldest.replies);
  } catch (...) {
    flights_.front().received = false;  // sent again as a whole, ahead of the younger ones
    requeueFlights(flights_);
    throw;
  }
  Flight flight = std::move(flights_.front());
  flights_.erase(flights_.begin());
  {
    std::lock_guard lock(mutex_);
    slotsUsed_ -= flight.reserved;
    reservedInFlight_ -= flight.reserved;
    status_.lastFetchMs = nowMs();
  }
  for (std::size_t i = 0; i < flight.batch.size(); ++i) {
    const auto [index, result] = flight.where[i];
    const redis::Reply& reply = flight.replies[index];
    if (result == kWholeReply || reply.isError()) {
      handleReply(flight.batch[i], flight.calls[i], reply, flight.tokens[i]);
    } else if (reply.isArray() && result < reply.elements().size()) {
      handleReply(flight.batch[i], flight.calls[i], reply.elements()[result], flight.tokens[i]);
    } else {
      handleReply(flight.batch[i], flight.calls[i],
                  redis::Reply::error("ERR the finish script gave no result for this job"),
                  flight.tokens[i]);
    }
  }
  runInline();
}

// Calls the server did not run because it lost the scripts (restart, failover, a flush) are
// sent again, on their own.
void Worker::retryMissing(const std::vector<Settlement>& calls,
                          std::vector<redis::Reply>& replies) {
  const std::vector<std::string> keys = {keys_.key("meta")};
  for (std::size_t i = 0; i < calls.size(); ++i) {
    if (!redis::Script::isMissing(replies[i])) continue;
    const redis::Script& missing = script(calls[i].script);
    redis::Connection& connection = scriptsConnection();
    scriptsLoaded_.reset();
    const redis::ScriptMode mode = missing.prepare(connection);
    missing.load(connection, mode);
    replies[i] = connection.command(missing.argv(mode, keys, calls[i].args));
  }
}

// Calls that met a failover or a moving Cluster slot (READONLY, MOVED, ASK, TRYAGAIN: see
// redis/Locator.h) did not run: they are sent again, on their own, by a command that follows the
// redirection (the connection moves to the new master first). Only connections with a locator
// (Sentinel, Cluster) can move; on a plain URL such a reply stays what it is.
void Worker::retryRedirected(const std::vector<Settlement>& calls,
                             std::vector<redis::Reply>& replies) {
  const std::vector<std::string> keys = {keys_.key("meta")};
  for (std::size_t i = 0; i < calls.size(); ++i) {
    if (!redis::redirectOf(replies[i])) continue;
    redis::Connection& connection = scriptsConnection();
    if (!connection.options().locator) return;
    scriptsLoaded_.reset();  // the next server may not know them
    replies[i] = script(calls[i].script).run(connection, keys, calls[i].args);
  }
}

// Flights whose replies were lost (or that never left) go back to the outbox, ahead of what was
// queued since and in their own order, to be sent again.
void Worker::requeueFlights(std::vector<Flight>& lost) {
  std::lock_guard lock(mutex_);
  for (auto flight = lost.rbegin(); flight != lost.rend(); ++flight) {
    if (flight->received) continue;  // its replies are here: it is handled as usual
    slotsUsed_ -= flight->reserved;
    reservedInFlight_ -= flight->reserved;
    for (auto it = flight->batch.rbegin(); it != flight->batch.rend(); ++it) {
      outbox_.push_front(*it);
    }
  }
  std::erase_if(lost, [](const Flight& flight) { return !flight.received; });
  if (!outbox_.empty()) outboxSince_ = Clock::now();
}

// The scripts connection for a command of its own: replies still on the wire are read first.
redis::Connection& Worker::scriptsConnection() {
  receiveFlights();
  return connections_.scripts();
}

// One call of a script on its own (fetching for free slots, a scheduler's next iteration).
std::vector<redis::Reply> Worker::runScripts(const std::vector<Settlement>& calls) {
  redis::Connection& connection = scriptsConnection();
  const std::vector<std::string> keys = {keys_.key("meta")};
  const redis::ScriptMode mode = prepareScripts(connection, calls);
  std::vector<std::vector<std::string>> commands;
  commands.reserve(calls.size());
  for (const auto& call : calls)
    commands.push_back(script(call.script).argv(mode, keys, call.args));
  auto replies = connection.pipeline(commands);
  retryMissing(calls, replies);
  return replies;
}

}  // namespace warren::queue
