// The seam between the queue and the plugins: the queue hands one job to an executor and gets
// its outcome back. plugins::Instance is the in-process executor (the plugin's handle runs on
// the calling thread); executor::ProcessExecutor runs it in child processes
// (queue.NAME.isolation = process, docs/isolation.md).
#pragma once

#include "plugins/Descriptor.h"
#include "plugins/JobContext.h"

namespace warren::plugins {

class Executor {
 public:
  virtual ~Executor() = default;

  // What the plugin declared: job names, resource class, memory per job...
  virtual const PluginInfo& info() const = 0;
  // True when jobs may run on the thread that fetched them, one after another: an inline
  // plugin (WARREN_RESOURCE_INLINE) in process, whose run() returns within microseconds.
  // Otherwise the queue runs each job on a pool thread, which run() may block.
  virtual bool runsInline() const = 0;
  // Runs one job on the calling thread and returns its outcome. The context carries the job's
  // input, the sinks for its progress, log lines and once() ledger, and its cancellation.
  // Thread-safe (the queue calls it from several threads at once). A plugin's failure, even a
  // crash of an executor process, is an outcome; only the host's own errors throw.
  virtual JobOutcome run(JobContext& job) = 0;
};

}  // namespace warren::plugins
