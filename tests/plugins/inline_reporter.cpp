// An inline plugin (WARREN_RESOURCE_INLINE) that reports progress and writes a job log line
// before it completes, and fails jobs named "fail": what runs on the worker's io thread must
// reach Redis in the same order as from a pool thread.
#include <warren/plugin.hpp>

#include <string>

namespace {

class InlineReporter final : public warren::Plugin {
 public:
  explicit InlineReporter(const warren::Host& host) : warren::Plugin(host) {}

  warren::Result handle(warren::Job& job) override {
    job.progress(50);
    job.log("inline job " + std::string(job.id()));
    if (job.name() == "fail") return warren::Result::retry("inline failure");
    return warren::Result::completed(std::string(job.data()));
  }
};

const char* const kJobs[] = {"*"};

}  // namespace

WARREN_PLUGIN(InlineReporter, "inline_reporter", "1.0.0", kJobs, WARREN_RESOURCE_INLINE, 1u << 16,
              10, nullptr)
