#include "executor/Process.h"

#include "executor/Calls.h"
#include "executor/Supervisor.h"
#include "log/Log.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

namespace warren::executor {
namespace {

using Clock = ExecutorProcess::Clock;

// A pidfd for `pid`, or -1 on a kernel without pidfd_open (the loop then polls every 100 ms).
int pidfdOf(pid_t pid) {
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

std::string startFrame(const StartSpec& spec, std::uint32_t services) {
  FrameBuilder frame(Kind::start);
  frame.bytes(spec.plugin.string()).bytes(spec.origin.string()).bytes(spec.scope);
  frame.u32(static_cast<std::uint32_t>(spec.config.size()));
  for (const auto& [key, value] : spec.config) frame.bytes(key).bytes(value);
  log::Level level = log::Level::off;
  for (int l = 0; l <= static_cast<int>(log::Level::error); ++l) {
    if (log::enabled(static_cast<log::Level>(l))) {
      level = static_cast<log::Level>(l);
      break;
    }
  }
  frame.u8(static_cast<std::uint8_t>(level)).u64(spec.memoryLimitBytes).u32(services);
  return std::move(frame).finish();
}

std::string jobFrame(std::uint64_t seq, const plugins::JobInput& input, bool wantRss) {
  FrameBuilder frame(Kind::job);
  frame.u64(seq).bytes(input.id).bytes(input.name).bytes(input.queue).bytes(input.data);
  frame.u32(input.attempt).i64(input.deadlineMs).i64(input.timestamp).u8(wantRss ? 1 : 0);
  return std::move(frame).finish();
}

std::string cancelFrame(std::uint64_t seq, const std::string& reason) {
  FrameBuilder frame(Kind::cancel);
  frame.u64(seq).bytes(reason);
  return std::move(frame).finish();
}

void drain(int eventFd) {
  std::uint64_t count = 0;
  while (::read(eventFd, &count, sizeof count) > 0) {
  }
}

int remainingMs(Clock::time_point until) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
  return static_cast<int>(std::clamp<std::int64_t>(left.count() + 1, 0, 3600000));
}

}  // namespace

ExecutorProcess::ExecutorProcess(pid_t pid, int socket, Services services,
                                 std::uint64_t memoryLimitBytes)
    : channel_(socket),
      pid_(pid),
      pidfd_(pidfdOf(pid)),
      wakeFd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)),
      services_(std::move(services)),
      memoryLimitBytes_(memoryLimitBytes) {}

ExecutorProcess::~ExecutorProcess() {
  if (!reaped_) {
    killGroup();
    reap();
  }
  if (pidfd_ >= 0) ::close(pidfd_);
  if (wakeFd_ >= 0) ::close(wakeFd_);
}

std::unique_ptr<ExecutorProcess> ExecutorProcess::start(const StartSpec& spec,
                                                        const Services& services) {
  Spawned spawned;
  try {
    spawned = spawnExecutor(spec.executable);
  } catch (const std::exception& e) {
    throw StartFailed(e.what());
  }
  std::unique_ptr<ExecutorProcess> process(
      new ExecutorProcess(spawned.pid, spawned.socket, services, spec.memoryLimitBytes));
  if (process->wakeFd_ < 0) throw StartFailed("cannot create an eventfd for an executor process");
  const auto deadline = Clock::now() + spec.timeout;
  try {
    process->channel_.send(startFrame(spec, servicesOf(*services.api)));
  } catch (const ChannelClosed&) {
    throw StartFailed(process->ended().reason);
  }
  Ending ending = process->pump(nullptr, 0, deadline, std::chrono::milliseconds(0));
  if (ending.death) throw StartFailed(ending.death->reason);
  FrameReader r = ending.frame->reader();
  if (ending.frame->kind == Kind::initFailed) {
    const std::string reason(r.bytes());
    throw StartFailed(reason);
  }
  if (ending.frame->kind != Kind::ready) {
    throw StartFailed(process
                          ->kill(protocolBroken(frameName(ending.frame->kind) + " instead of ready",
                                                services.who))
                          .reason);
  }
  process->baseAddressSpace_ = r.u64();
  return process;
}

ExecutorProcess::Result ExecutorProcess::run(plugins::JobContext& job, bool wantRss,
                                             std::chrono::milliseconds cancelGrace) {
  const std::uint64_t seq = ++seq_;
  ++jobs_;
  const int wake = wakeFd_;
  job.setCancelListener([wake] {
    const std::uint64_t one = 1;
    (void)::write(wake, &one, sizeof one);
  });
  struct Unlisten {
    plugins::JobContext& job;
    ~Unlisten() { job.setCancelListener({}); }
  } unlisten{job};
  Result result;
  try {
    channel_.send(jobFrame(seq, job.input(), wantRss));
  } catch (const ChannelClosed&) {
    result.death = hasExited() ? ended() : kill(socketClosed(services_.who));
    return result;
  }
  Ending ending = pump(&job, seq, std::nullopt, cancelGrace);
  if (ending.death) {
    result.death = std::move(ending.death);
    return result;
  }
  try {
    if (ending.frame->kind != Kind::outcome) {
      throw ProtocolError(frameName(ending.frame->kind) + " instead of the job's outcome");
    }
    FrameReader r = ending.frame->reader();
    if (r.u64() != seq) throw ProtocolError("the outcome of another job");
    plugins::JobOutcome outcome;
    outcome.outcome = r.u32();
    outcome.result = std::string(r.bytes());
    outcome.error = std::string(r.bytes());
    outcome.retryAtMs = r.i64();
    result.residentBytes = r.u64();
    r.end();
    result.outcome = std::move(outcome);
  } catch (const ProtocolError& e) {
    result.death = kill(protocolBroken(e.what(), services_.who));
  }
  return result;
}

// Answers calls until another frame comes, the process ends, or (with `job`) the job ignores
// its cancellation past `cancelGrace`, or (with `deadline`) time runs out.
ExecutorProcess::Ending ExecutorProcess::pump(plugins::JobContext* job, std::uint64_t seq,
                                              std::optional<Clock::time_point> deadline,
                                              std::chrono::milliseconds cancelGrace) {
  bool cancelSent = false;
  std::string cancelReason;
  for (;;) {
    if (job != nullptr && !cancelSent && job->cancelled()) {
      cancelSent = true;
      cancelReason = job->cancelReason();
      deadline = Clock::now() + cancelGrace;
      try {
        channel_.send(cancelFrame(seq, cancelReason));
      } catch (const ChannelClosed&) {
        // the process is going away; its end is seen below
      }
    }
    try {
      while (auto frame = channel_.next()) {
        if (frame->kind != Kind::call) return {std::move(frame), std::nullopt};
        if (!serve(*frame, job))
          return {std::nullopt, hasExited() ? ended() : kill(socketClosed(services_.who))};
      }
    } catch (const ProtocolError& e) {
      return {std::nullopt, kill(protocolBroken(e.what(), services_.who))};
    }
    pollfd fds[3] = {{channel_.fd(), POLLIN, 0}, {wakeFd_, POLLIN, 0}, {pidfd_, POLLIN, 0}};
    int timeout = deadline ? remainingMs(*deadline) : -1;
    if (pidfd_ < 0) timeout = timeout < 0 ? 100 : std::min(timeout, 100);
    const int ready = ::poll(fds, pidfd_ >= 0 ? 3 : 2, timeout);
    if (ready < 0 && errno != EINTR) return {std::nullopt, kill(socketClosed(services_.who))};
    if (fds[1].revents != 0) drain(wakeFd_);
    if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      bool open = false;
      try {
        open = channel_.receiveSome();
      } catch (const ChannelClosed&) {
      }
      if (!open) return {std::nullopt, endedAfterEof()};
      continue;  // frames first: an outcome sent just before the end still counts
    }
    if ((pidfd_ >= 0 && fds[2].revents != 0) || (pidfd_ < 0 && hasExited())) {
      return {std::nullopt, ended()};
    }
    if (deadline && Clock::now() >= *deadline) {
      if (cancelSent) return {std::nullopt, kill(cancelIgnored(cancelReason, cancelGrace.count()))};
      return {std::nullopt,
              kill({"start timeout", "the executor process of " + services_.who +
                                         " did not start in time (its init is still running)"})};
    }
  }
}

// Answers one call; false when the reply could not be sent (the process is going away).
bool ExecutorProcess::serve(const Frame& call, plugins::JobContext* job) {
  warren_job handle{job};
  FrameReader reader = call.reader();
  const auto reply =
      serveCall(*services_.api, services_.host, job != nullptr ? &handle : nullptr, reader);
  if (!reply) return true;
  try {
    channel_.send(*reply);
    return true;
  } catch (const ChannelClosed&) {
    return false;
  }
}

bool ExecutorProcess::hasExited() const {
  if (reaped_) return true;
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
         info.si_pid == pid_;
}

// The process ended by itself: its lingering children go with it, and its status says why.
Death ExecutorProcess::ended() {
  killGroup();  // before the reap, while the group's id cannot name another process
  return classifyExit(reap(), services_.who, memoryLimitBytes_);
}

// End of stream on the socket: the process is exiting (or closed fd 3 and goes on).
Death ExecutorProcess::endedAfterEof() {
  const auto until = Clock::now() + std::chrono::seconds(1);
  while (Clock::now() < until) {
    if (hasExited()) return ended();
    pollfd fd{pidfd_, POLLIN, 0};
    if (pidfd_ >= 0)
      ::poll(&fd, 1, remainingMs(until));
    else
      ::usleep(10000);
  }
  return kill(socketClosed(services_.who));
}

Death ExecutorProcess::kill(Death why) {
  killGroup();
  reap();
  return why;
}

void ExecutorProcess::killGroup() const {
  if (reaped_ || pid_ <= 1) return;
  ::kill(-pid_, SIGKILL);  // the process group: a fork the plugin left behind goes too
  ::kill(pid_, SIGKILL);   // and the process, should the plugin have left the group
}

int ExecutorProcess::reap() {
  if (reaped_) return 0;
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  return status;
}

void ExecutorProcess::sendStop() {
  try {
    channel_.send(FrameBuilder(Kind::stop).finish());
  } catch (const ChannelClosed&) {
  }
}

}  // namespace warren::executor
