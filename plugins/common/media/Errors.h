// How media code says a job cannot go on: the content plugins' job exceptions (job/Failure.h),
// turned into a warren::Result by the plugin that called it.
#pragma once

#include "job/Failure.h"

#include <string>

namespace common::media {

// The input or the job data is wrong: retrying cannot help.
[[noreturn]] inline void unrecoverable(const std::string& message) {
  throw job::Unrecoverable(message);
}
// The node or a service failed: another attempt may succeed.
[[noreturn]] inline void retryable(const std::string& message) {
  throw job::Retryable(message);
}
// The host asked the job to stop (FFmpeg's blocking I/O returned AVERROR_EXIT, or a check
// between packets saw it): retryable, so that the job runs again elsewhere.
[[noreturn]] inline void cancelled() {
  throw job::Retryable("cancelled: the host asked the job to stop");
}

}  // namespace common::media
