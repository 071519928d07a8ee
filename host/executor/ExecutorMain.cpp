#include "executor/ExecutorMain.h"

#include "executor/Calls.h"
#include "executor/Channel.h"
#include "executor/Memory.h"
#include "log/Log.h"
#include "plugins/HostApi.h"
#include "plugins/Instance.h"

#include <malloc.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <new>
#include <string>
#include <thread>

namespace warren::executor {
namespace {

// What the start frame says.
struct StartSpec {
  std::string path;    // the generation's file
  std::string origin;  // the operator's file, for refusals
  std::string scope;   // the queue
  plugins::ConfigValues config;
  log::Level level = log::Level::info;
  std::uint64_t memoryLimitBytes = 0;
  std::uint32_t services = 0;
};

StartSpec readStart(const Frame& frame) {
  if (frame.kind != Kind::start) throw ProtocolError("expected a start frame");
  FrameReader r = frame.reader();
  StartSpec spec;
  spec.path = std::string(r.bytes());
  spec.origin = std::string(r.bytes());
  spec.scope = std::string(r.bytes());
  const std::uint32_t count = r.u32();
  for (std::uint32_t i = 0; i < count; ++i) {
    std::string key(r.bytes());
    spec.config[key] = std::string(r.bytes());
  }
  spec.level = static_cast<log::Level>(r.u8());
  spec.memoryLimitBytes = r.u64();
  spec.services = r.u32();
  r.end();
  return spec;
}

// One job as the node sends it.
struct JobSpec {
  std::uint64_t seq = 0;
  plugins::JobInput input;
  bool wantRss = false;
};

JobSpec readJob(const Frame& frame) {
  FrameReader r = frame.reader();
  JobSpec job;
  job.seq = r.u64();
  job.input.id = std::string(r.bytes());
  job.input.name = std::string(r.bytes());
  job.input.queue = std::string(r.bytes());
  job.input.data = std::string(r.bytes());
  job.input.attempt = r.u32();
  job.input.deadlineMs = r.i64();
  job.input.timestamp = r.i64();
  job.wantRss = r.u8() != 0;
  r.end();
  return job;
}

// The process's link to the node: the main thread sends (jobs' outcomes, calls) and waits; a
// reader thread takes every frame off the socket, so a cancel reaches the running job even
// while the plugin never calls the host.
class Link final : public Forwarder {
 public:
  explicit Link(int fd) : channel_(fd) {}

  Frame first() {
    auto frame = channel_.receive();
    if (!frame) ::_exit(kExitParentGone);
    return std::move(*frame);
  }

  void startReading() {
    std::thread([this] { readLoop(); }).detach();
  }

  void send(const std::string& frame) {
    std::lock_guard lock(writeMutex_);
    channel_.send(frame);
  }

  Frame call(std::uint64_t id, std::string frame) override {
    send(frame);
    std::unique_lock lock(mutex_);
    wake_.wait(lock, [&] { return replies_.count(id) > 0; });
    Frame reply = std::move(replies_.at(id));
    replies_.erase(id);
    return reply;
  }

  void post(std::string frame) override { send(frame); }

  // The next job, or nothing once the node said stop.
  std::optional<JobSpec> nextJob() {
    std::unique_lock lock(mutex_);
    wake_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
    if (jobs_.empty()) return std::nullopt;
    JobSpec job = std::move(jobs_.front());
    jobs_.pop_front();
    return job;
  }

  // The job cancel frames go to (NULL between jobs); a cancel that came first applies now.
  void setCurrent(plugins::JobContext* context, std::uint64_t seq) {
    std::lock_guard lock(mutex_);
    current_ = context;
    currentSeq_ = seq;
    if (context != nullptr && pendingCancel_ && pendingCancel_->first == seq) {
      context->cancel(pendingCancel_->second);
    }
    pendingCancel_.reset();
  }

 private:
  void readLoop() {
    try {
      for (;;) {
        auto frame = channel_.receive();
        if (!frame) ::_exit(kExitParentGone);
        take(std::move(*frame));
      }
    } catch (...) {
      ::_exit(kExitParentGone);  // the node spoke garbage or the socket broke
    }
  }

  void take(Frame frame) {
    std::lock_guard lock(mutex_);
    switch (frame.kind) {
      case Kind::reply: {
        const std::uint64_t id = frame.reader().u64();
        replies_[id] = std::move(frame);
        break;
      }
      case Kind::job:
        jobs_.push_back(readJob(frame));
        break;
      case Kind::cancel: {
        FrameReader r = frame.reader();
        const std::uint64_t seq = r.u64();
        const std::string reason(r.bytes());
        if (current_ != nullptr && currentSeq_ == seq)
          current_->cancel(reason);
        else
          pendingCancel_.emplace(seq, reason);
        break;
      }
      case Kind::stop:
        stop_ = true;
        break;
      default:
        throw ProtocolError("unexpected frame");
    }
    wake_.notify_all();
  }

  Channel channel_;
  std::mutex writeMutex_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::uint64_t, Frame> replies_;
  std::deque<JobSpec> jobs_;
  bool stop_ = false;
  plugins::JobContext* current_ = nullptr;
  std::uint64_t currentSeq_ = 0;
  std::optional<std::pair<std::uint64_t, std::string>> pendingCancel_;
};

// ---- the plugin's crashes the node should tell apart ----

std::uintptr_t g_stackLow = 0;
constexpr std::uintptr_t kStackReach = 64u << 20;  // how far below the stack a frame may land

// A fault just below the main thread's stack is a stack overflow: exit with a code that says so.
// Any other fault goes on to the default action (SA_RESETHAND), and the process dies of it.
void onSegv(int, siginfo_t* info, void*) {
  const auto address = reinterpret_cast<std::uintptr_t>(info->si_addr);
  if (address < g_stackLow + 4 * 4096 && address + kStackReach >= g_stackLow) {
    ::_exit(kExitStackOverflow);
  }
}

void watchStack() {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
  void* low = nullptr;
  std::size_t size = 0;
  pthread_attr_getstack(&attr, &low, &size);
  pthread_attr_destroy(&attr);
  (void)size;
  g_stackLow = reinterpret_cast<std::uintptr_t>(low);
  static char altStack[64 * 1024];
  stack_t alt{};
  alt.ss_sp = altStack;
  alt.ss_size = sizeof altStack;
  sigaltstack(&alt, nullptr);
  struct sigaction action {};
  action.sa_sigaction = onSegv;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND;
  sigemptyset(&action.sa_mask);
  sigaction(SIGSEGV, &action, nullptr);
}

void onMemoryExhausted() {
  ::_exit(kExitMemoryLimit);
}

// Caps the address space at what the process maps now (the binary, its libraries, the plugin,
// the reader thread's stack) plus `bytes`; an allocation beyond ends the process with
// kExitMemoryLimit. Returns the address space it started from.
std::uint64_t capMemory(std::uint64_t bytes) {
  const std::uint64_t base = processMemory(::getpid()).addressSpaceBytes;
  if (bytes == 0) return base;
  rlimit limit{};
  limit.rlim_cur = static_cast<rlim_t>(base + bytes);
  limit.rlim_max = limit.rlim_cur;
  ::setrlimit(RLIMIT_AS, &limit);
  std::set_new_handler(onMemoryExhausted);
  return base;
}

std::string outcomeFrame(std::uint64_t seq, const plugins::JobOutcome& outcome, bool wantRss) {
  FrameBuilder frame(Kind::outcome);
  frame.u64(seq).u32(outcome.outcome).bytes(outcome.result).bytes(outcome.error);
  frame.i64(outcome.retryAtMs);
  frame.u64(wantRss ? processMemory(::getpid()).residentBytes : 0);
  return std::move(frame).finish();
}

[[noreturn]] void finish(int code) {
  std::fflush(nullptr);  // what the plugin printed
  ::_exit(code);
}

}  // namespace

int executorMain(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "warren: %s is started by the node, not by hand\n", kExecutorCommand);
    return 64;
  }
  // Dies with the node; a node that died before this line is noticed by comparing parents.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (std::to_string(::getppid()) != argv[2]) finish(kExitParentGone);
  // One malloc arena: the address space cap then measures the plugin, not the arenas' reserves.
  ::mallopt(M_ARENA_MAX, 1);
  log::setLevel(log::Level::off);  // everything the node should know goes over the socket

  Link link(kChannelFd);
  StartSpec spec;
  try {
    spec = readStart(link.first());
  } catch (const std::exception&) {
    finish(kExitParentGone);
  }
  link.startReading();
  std::unique_ptr<plugins::Instance> instance;
  std::uint64_t base = 0;
  try {
    auto library = plugins::Library::load(spec.path, spec.origin);
    base = capMemory(spec.memoryLimitBytes);
    const warren_host_api* table =
        forwardingTable(*plugins::hostApi(), link, spec.services, spec.level);
    instance =
        std::make_unique<plugins::Instance>(std::move(library), spec.config, spec.scope, table);
  } catch (const std::exception& e) {
    FrameBuilder failed(Kind::initFailed);
    failed.bytes(e.what());
    link.send(std::move(failed).finish());
    finish(kExitStopped);
  }
  FrameBuilder ready(Kind::ready);
  ready.u64(base);
  link.send(std::move(ready).finish());
  watchStack();

  while (auto job = link.nextJob()) {
    plugins::JobContext context(std::move(job->input), plugins::JobSinks{});
    link.setCurrent(&context, job->seq);
    plugins::JobOutcome outcome;
    try {
      outcome = instance->handle(context);
    } catch (const std::exception& e) {
      outcome.outcome = WARREN_JOB_FAILED_RETRYABLE;
      outcome.error = std::string("host error while running the plugin: ") + e.what();
    }
    link.setCurrent(nullptr, 0);
    link.send(outcomeFrame(job->seq, outcome, job->wantRss));
  }
  instance.reset();  // the plugin's shutdown
  finish(kExitStopped);
}

}  // namespace warren::executor
