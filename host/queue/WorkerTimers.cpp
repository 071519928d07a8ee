// The timer thread: lock renewal, the stalled checker and job timeouts, on the worker's own
// connection so that neither a busy io thread nor a blocking plugin can delay them (§4.7, §4.9).
#include "log/Log.h"
#include "metrics/Registry.h"
#include "queue/WorkerParts.h"

namespace warren::queue {

void Worker::timerLoop() {
  using std::chrono::milliseconds;
  const std::int64_t renewEvery = std::max<std::int64_t>(options_.lockRenewTimeMs / 2, 50);
  std::int64_t nextRenewal = nowMs() + renewEvery;
  std::int64_t nextStalledCheck = nowMs();  // once at start, as BullMQ does
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      const std::int64_t due = std::min(nextRenewal, nextStalledCheck) - nowMs();
      timerWake_.wait_for(lock, milliseconds(std::clamp<std::int64_t>(due, 1, 100)),
                          [this] { return stopping_; });
      if (stopping_) return;
    }
    const std::int64_t now = nowMs();
    try {
      if (now >= nextRenewal) {
        nextRenewal = now + renewEvery;
        renewLocks();
      }
      if (now >= nextStalledCheck) {
        nextStalledCheck = now + options_.stalledIntervalMs;
        bool fetching = false;
        {
          std::lock_guard lock(mutex_);
          fetching = fetching_;
        }
        if (fetching) checkStalled();
      }
    } catch (const std::exception& e) {
      noteError(std::string("timer: ") + e.what());
    }
    enforceTimeouts();
  }
}

void Worker::renewLocks() {
  std::vector<std::string> args = {keys_.base(), std::to_string(options_.lockDurationMs)};
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, job] : active_) {
      if (job->abandoned || job->settling) continue;
      args.push_back(id);
      args.push_back(job->token);
    }
  }
  if (args.size() > 2) {
    const redis::Reply reply =
        script(ScriptId::extend).run(connections_.events(), {keys_.key("stalled")}, args);
    if (reply.isError()) throw std::runtime_error("lock renewal failed: " + reply.str());
    for (const auto& lost : reply.elements()) {
      {
        // A job settled while the renewal was on its way lost its lock on purpose.
        std::lock_guard lock(mutex_);
        const auto it = active_.find(lost.str());
        if (it == active_.end() || it->second->settling) continue;
      }
      log::warn("could not renew lock for job " + lost.str(),
                {{"queue", options_.queue}, {"jobId", lost.str()}});
      metrics::registry().counterAdd("worker_lock_renewal_failures_total",
                                     {{"queue", options_.queue}}, 1);
    }
  }
  std::lock_guard lock(mutex_);
  status_.lastRenewalMs = nowMs();
}

void Worker::checkStalled() {
  const redis::Reply reply =
      script(ScriptId::stalled)
          .run(connections_.events(), {keys_.key("stalled")},
               {keys_.base(), std::to_string(nowMs()), std::to_string(options_.maxStalledCount),
                std::to_string(options_.stalledIntervalMs)});
  if (reply.isError()) throw std::runtime_error("stalled check failed: " + reply.str());
  for (const auto& id : reply.elements()) {
    log::warn("stalled job moved back to wait", {{"queue", options_.queue}, {"jobId", id.str()}});
    metrics::registry().counterAdd("worker_stalled_jobs_recovered_total",
                                   {{"queue", options_.queue}}, 1);
  }
}

// At its deadline a job is asked to stop; if its plugin has not returned a second later, the
// job is failed without it (the plugin's late answer is dropped).
void Worker::enforceTimeouts() {
  if (options_.timeoutMs <= 0) return;
  const std::int64_t now = nowMs();
  std::vector<Command> overdue;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, job] : active_) {
      if (job->deadlineMs == 0 || now < job->deadlineMs || job->abandoned) continue;
      if (!job->timedOut) {
        job->timedOut = true;
        if (job->context) job->context->cancel("timeout");
      }
      if (now >= job->deadlineMs + kTimeoutGraceMs && job->context) {
        job->abandoned = true;
        job->cancelReason = "timeout";
        Command command;
        command.job = job;
        command.outcome.outcome = WARREN_JOB_FAILED_RETRYABLE;
        command.outcome.error = "timed out after " + std::to_string(options_.timeoutMs) + " ms";
        overdue.push_back(std::move(command));
      }
    }
  }
  for (auto& command : overdue) enqueue(std::move(command));
}

}  // namespace warren::queue
